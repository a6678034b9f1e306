package org.sparselab.core.probe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparselab.api.data.ArraySplit;
import org.sparselab.core.config.ConfigBinder;
import org.sparselab.core.config.ConfigSource;
import org.sparselab.core.util.Json;
import org.tribuo.Model;
import org.tribuo.classification.Label;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A whole probe on a tiny encoder: tables, kept models with provenance, probe-codes.onnx checked by ONNX Runtime. */
class ProbeEndToEndTest {
    private static final int DIM = 12;
    private static final int UNITS = 24;
    private static final List<String> CLASSES = List.of("a", "b", "c");

    /** Class c lights up inputs 4c .. 4c + 3, plus noise. */
    private static ArraySplit blobs(String name, int n, Random r) {
        float[] x = new float[n * DIM];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            for (int j = 0; j < DIM; j++) {
                x[i * DIM + j] = (float) (r.nextGaussian() * 0.3 + (j / 4 == y[i] ? 1.0 : 0.0));
            }
        }
        return new ArraySplit(name, x, y, DIM);
    }

    @Test
    void probeWritesTablesModelsAndAVerifiedOnnxProbe(@TempDir Path run) throws Exception {
        Random r = new Random(3);
        ArraySplit train = blobs("train", 90, r);
        ArraySplit test = blobs("test", 45, r);
        try (NDManager m = NDManager.newBaseManager()) {
            float[] w = new float[DIM * UNITS];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) r.nextGaussian();
            }
            NDArray weights = m.create(w, new ai.djl.ndarray.types.Shape(DIM, UNITS));
            // a sparse code: ReLU of a random projection, shifted so that most units are zero
            ProbeData data = new ProbeData("tiny", train, test, CLASSES, x -> x.matMul(weights).sub(1.5f).maximum(0f), UNITS, m, 16, 7);
            ProbeConfig cfg = ConfigBinder.bind(Map.of("k_per_class", List.of(1, 2, 40, "all"), "seeds", 2, "onnx_check_samples", 20),
                    ProbeConfig.class, "evaluate[0]", ConfigSource.inline("test"), "evaluation 'probe'");
            int arrays = m.getManagedArrays().size();

            Probe.Result res = Probe.run(data, cfg);
            assertEquals(arrays, m.getManagedArrays().size(), "encoding leaves no arrays behind");
            ProbeEvaluation.Written written = ProbeEvaluation.write(run.resolve(ProbeFiles.DIR), data, cfg, res);
            Map<String, Object> head = written.head();
            assertTrue(written.codesOnnx().passed());

            Path dir = run.resolve(ProbeFiles.DIR);
            for (String f : List.of("probe.json", "probe.csv", "probe.md", "probe-codes.tribuo", "probe-raw.tribuo", "probe-codes.onnx",
                    "confusion-codes.txt", "confusion-codes.json", "confusion-raw.txt", "confusion-raw.json")) {
                assertTrue(Files.isRegularFile(dir.resolve(f)), "missing " + f);
            }
            JsonNode doc = Json.mapper().readTree(dir.resolve("probe.json").toFile());
            JsonNode cells = doc.get("cells");
            assertEquals(8, cells.size(), "4 K values x (codes, raw)");
            assertEquals("codes", cells.get(0).get("features").asText());
            assertEquals(3, cells.get(0).get("train_samples").asInt(), "K = 1 of 3 classes");
            assertEquals(6, cells.get(1).get("train_samples").asInt());
            assertEquals(90, cells.get(2).get("train_samples").asInt(), "K = 40 > 30 per class: capped at what each class has");
            assertTrue(cells.get(2).get("capped").asBoolean());
            assertEquals("all", cells.get(3).get("k").asText());
            assertEquals(90, cells.get(3).get("train_samples").asInt());
            assertEquals(2, cells.get(3).get("accuracies").size());
            assertEquals(2, cells.get(3).get("macro_f1").size());
            assertTrue(cells.get(3).get("mean").asDouble() > 0.8, cells.get(3).toString());
            assertTrue(cells.get(7).get("mean").asDouble() > 0.8, "raw inputs separate the blobs too: " + cells.get(7));
            assertEquals(UNITS, doc.get("feature_widths").get("codes").asInt());
            assertTrue(doc.get("trainer_provenance").toString().contains("LinearSGDTrainer"), doc.get("trainer_provenance").toString());
            JsonNode check = doc.get("onnx_check");
            assertTrue(check.get("passed").asBoolean(), check.toString());
            assertEquals(20, check.get("samples").asInt());
            assertEquals("CPU", check.get("provider").asText());
            assertEquals("passed", head.get("probe_codes_onnx"));
            assertEquals(cells.get(3).get("mean").asDouble(), (Double) head.get("codes_kall"), 1e-12);

            String md = Files.readString(dir.resolve("probe.md"));
            assertTrue(md.contains("| K per class | codes (mean ± std, 2 seeds) | raw (mean ± std, 2 seeds) |"), md);
            assertTrue(md.contains("| 40* |") && md.contains("| all |"), md);
            assertEquals(9, Files.readAllLines(dir.resolve("probe.csv")).size());

            JsonNode conf = Json.mapper().readTree(dir.resolve("confusion-codes.json").toFile());
            long total = 0;
            for (JsonNode row : conf.get("counts")) {
                for (JsonNode v : row) {
                    total += v.asLong();
                }
            }
            assertEquals(45, total, "every test sample once");

            // The hook for pipeline composition: the saved model is the in-memory one, over every unit in order.
            Model<Label> saved = ProbeFiles.loadCodesModel(run);
            assertEquals(UNITS, saved.getFeatureIDMap().size());
            assertEquals(5, saved.getFeatureIDMap().getID("f0005"));
            assertTrue(saved.getProvenance().toString().contains("tiny"), "the run is in the model's provenance");
            Features f = res.features().get(Probe.CODES);
            Rows codes = res.tests().get(Probe.CODES);
            assertArrayEquals(ProbeOnnx.javaScores(res.codesModel(), f, codes, codes.size()),
                    ProbeOnnx.javaScores(saved, f, codes, codes.size()), 0f);
        }
    }

    @Test
    void maxTrainAllCapsKAllWithASeededSubsetPerRepetition() {
        Random r = new Random(4);
        ArraySplit train = blobs("train", 90, r);
        ArraySplit test = blobs("test", 30, r);
        try (NDManager m = NDManager.newBaseManager()) {
            ProbeData data = new ProbeData("tiny", train, test, CLASSES, x -> x.maximum(0f), DIM, m, 32, 11);
            ProbeConfig cfg = ConfigBinder.bind(Map.of("k_per_class", List.of("all"), "seeds", 2, "max_train_all", 30, "raw_baseline", false),
                    ProbeConfig.class, "evaluate[0]", ConfigSource.inline("test"), "evaluation 'probe'");
            Probe.Result res = Probe.run(data, cfg);
            assertEquals(1, res.cells().size());
            Probe.Cell all = res.cells().get(0);
            assertEquals(30, all.trainSamples());
            assertTrue(all.capped());
            assertEquals(30, res.codesModel().getProvenance().getDatasetProvenance().getNumExamples());
            assertTrue(ProbeFiles.markdown(res.cells(), 2).contains("| all* |"));
        }
    }
    /** selection: first + val_split: the first K per class, the same in every repetition; the epochs chosen on val are recorded. */
    @Test
    void firstKPerClassWithValidationSelection() {
        Random r = new Random(6);
        ArraySplit train = blobs("train", 90, r);
        ArraySplit test = blobs("test", 30, r);
        ArraySplit val = blobs("val", 30, r);
        try (NDManager m = NDManager.newBaseManager()) {
            ProbeData data = new ProbeData("tiny", train, test, CLASSES, x -> x.maximum(0f), DIM, m, 32, 11, val);
            ProbeConfig cfg = ConfigBinder.bind(Map.of("k_per_class", List.of(2, "all"), "seeds", 2, "selection", "first", "val_split", "val",
                            "val_epochs", List.of(1, 4)),
                    ProbeConfig.class, "evaluate[0]", ConfigSource.inline("test"), "evaluation 'probe'");
            Probe.Result res = Probe.run(data, cfg);
            assertEquals(4, res.cells().size());
            Probe.Cell k2 = res.cells().get(0);
            assertEquals(6, k2.trainSamples());
            assertEquals(2, k2.selectedEpochs().size());
            for (int e : k2.selectedEpochs()) {
                assertTrue(e == 1 || e == 4, k2.toString());
            }
            assertTrue(res.cells().get(1).mean() > 0.8, res.cells().get(1).toString());
            // without a val split: the configured epochs, none recorded
            ProbeConfig plain = ConfigBinder.bind(Map.of("k_per_class", List.of(2), "seeds", 1, "selection", "first", "raw_baseline", false),
                    ProbeConfig.class, "evaluate[0]", ConfigSource.inline("test"), "evaluation 'probe'");
            assertEquals(List.of(), Probe.run(new ProbeData("tiny", train, test, CLASSES, x -> x.maximum(0f), DIM, m, 32, 11), plain)
                    .cells().get(0).selectedEpochs());
            // a val_split the data does not provide is named
            ProbeConfig missing = ConfigBinder.bind(Map.of("val_split", "val"), ProbeConfig.class, "evaluate[0]", ConfigSource.inline("test"),
                    "evaluation 'probe'");
            org.sparselab.core.UserException e = org.junit.jupiter.api.Assertions.assertThrows(org.sparselab.core.UserException.class,
                    () -> Probe.run(new ProbeData("tiny", train, test, CLASSES, x -> x.maximum(0f), DIM, m, 32, 11), missing));
            assertTrue(e.getMessage().contains("val_split"), e.getMessage());
        }
    }
}

package org.sparselab.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The VDL models from the real plugin jar (issue 6): each variant trains through {@code sparselab run} on tiny IDX
 * data, logs VDL's metrics and statistics, and exports a verified encoder and pipeline; VDL-NL's decoder rate is
 * annealed; the eight shipped run configs are accepted.
 */
class VdlIT {
    @TempDir
    static Path tmp;
    static Path idx;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void data() throws IOException {
        idx = tmp.resolve("idx");
        TestKit.writeIdx(idx, 240, 80);
    }

    private static String levels0(JsonNode denoise) {
        return denoise.get("levels").toString();
    }

    /** The run's metrics.jsonl rows. */
    static List<JsonNode> rows(Path run) throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            if (!line.isBlank()) {
                rows.add(JSON.readTree(line));
            }
        }
        return rows;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sdl", "sdl-nl", "vdl", "vdl-nl"})
    void trainsLogsAndExports(String variant) throws IOException {
        String name = "vdl-it-" + variant;
        Path cfg = tmp.resolve(name + ".yaml");
        Files.writeString(cfg, """
                name: %s
                seed: 31
                device: cpu
                output: %s
                dataset: {id: mnist, root: %s, val_size: 40, normalize: standardize}
                model: {id: vdl, variant: %s, code_dim: 16, hidden_dim: 32, n_steps_inf: 50, lrt_d: 0.003, lrt_e: 0.003,
                        code_reg: 2.0, anneal_lr_dec_freq: 1}
                metrics: [{id: psnr, scale: 0.3081}, l0, dead_units, mse]
                training: {epochs: 3, batch_size: 40, eval_batch_size: 40, optimizer: {id: adam}, checkpoint_every: 0,
                           keep_best: {metric: loss, mode: min}}
                evaluate: [export, {id: denoise, sigma: [0.5, 1.0]}%s]
                """.formatted(name, tmp.resolve("out"), idx, variant, variant.equals("vdl")
                ? ", {id: probe, k_per_class: [1, all], seeds: 1, selection: first, val_split: val, val_epochs: [1, 2], export_pipeline: false}" : ""));
        TestKit.Cli c = TestKit.cli("run", "--plain", "--plugins", TestKit.pluginFolder().toString(), cfg.toString());
        assertEquals(0, c.exit(), c.all());
        Path run = TestKit.runFolders(tmp.resolve("out"), name).get(0);
        List<JsonNode> rows = rows(run);
        List<JsonNode> train = rows.stream().filter(r -> r.get("split").asText().equals("train")).toList();
        JsonNode val = rows.stream().filter(r -> r.get("split").asText().equals("val")).reduce((a, b) -> b).orElseThrow();
        JsonNode test = rows.stream().filter(r -> r.get("split").asText().equals("test")).reduce((a, b) -> b).orElseThrow();
        assertEquals(3, train.size(), rows.toString());
        for (String key : new String[]{"psnr", "l0", "dead_units", "mse", "energy", "inf_steps", "code_distance", "encoder_loss",
                "decoder_loss", "dead_codes", "zs_l0", "code_l1", "atom_norm_mean", "lr_decoder"}) {
            assertTrue(train.get(2).has(key), key + " in " + train.get(2));
        }
        for (JsonNode r : new JsonNode[]{val, test}) {
            double psnr = r.get("psnr").asDouble();
            double l0 = r.get("l0").asDouble();
            assertTrue(psnr > 0 && psnr < 40, r.toString());
            assertTrue(l0 >= 0 && l0 <= 1, r.toString());
        }
        // the training energy falls from the first epoch to the last
        assertTrue(train.get(2).get("energy").asDouble() < train.get(0).get("energy").asDouble(), train.toString());
        // anneal_lr_dec_freq 1 halves the decoder's rate after every epoch (vdl-nl's schedule, shortened)
        assertEquals(0.003, train.get(0).get("lr_decoder").asDouble(), 1e-12);
        assertEquals(0.0015, train.get(1).get("lr_decoder").asDouble(), 1e-12);
        assertEquals(0.00075, train.get(2).get("lr_decoder").asDouble(), 1e-12);
        if (variant.startsWith("sdl")) {
            assertEquals(1.0, train.get(2).get("atom_norm_mean").asDouble(), 1e-5, "projected columns");
        }
        JsonNode check = JSON.readTree(run.resolve("export/check.json").toFile());
        assertTrue(check.get("passed").asBoolean(), check.toString());
        assertTrue(Files.isRegularFile(run.resolve("export/encoder.onnx")));

        // keep_best: the epoch with the lowest val energy, its parameters in model/best.npz, the last epoch's in parameters.npz
        JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
        JsonNode best = summary.get("best");
        List<JsonNode> vals = rows.stream().filter(r -> r.get("split").asText().equals("val")).toList();
        int bestEpoch = 0;
        double bestLoss = Double.POSITIVE_INFINITY;
        for (JsonNode v : vals) {
            if (v.get("loss").asDouble() < bestLoss) {
                bestLoss = v.get("loss").asDouble();
                bestEpoch = v.get("epoch").asInt();
            }
        }
        assertEquals(bestEpoch, best.get("epoch").asInt(), best.toString());
        assertEquals(bestLoss, best.get("value").asDouble(), 1e-12);
        assertEquals("model/best.npz", best.get("parameters").asText());
        assertTrue(Files.isRegularFile(run.resolve("model/best.npz")) && Files.isRegularFile(run.resolve("model/parameters.npz")));

        // denoise: two levels, in denoise.json and summary.json; the clean PSNR is the test pass's (same model, same images)
        JsonNode denoise = JSON.readTree(run.resolve("denoise.json").toFile());
        assertEquals(levels0(denoise), levels0(summary.get("denoise")), "summary.json holds the same rows");
        JsonNode levels = denoise.get("levels");
        assertEquals(2, levels.size(), denoise.toString());
        // the dataset declares its own standardisation's inverse (the tiny data's std, not MNIST's 0.3081 of the psnr metric)
        java.util.regex.Matcher mapping = java.util.regex.Pattern.compile("x_pix = x \\* ([0-9.eE-]+) \\+ .*\\[dataset\\]")
                .matcher(denoise.get("pixel_mapping").asText());
        assertTrue(mapping.matches(), denoise.toString());
        double scale = Double.parseDouble(mapping.group(1));
        assertEquals(test.get("psnr").asDouble() + 20 * Math.log10(0.3081 / scale), levels.get(0).get("psnr_orig").asDouble(), 1e-3,
                "psnr_orig = the test psnr (same model, same images) up to the pixel scale");
        assertTrue(levels.get(0).get("psnr_noisy_img").asDouble() > levels.get(1).get("psnr_noisy_img").asDouble(), levels.toString());
        assertEquals(-20 * Math.log10(scale), levels.get(1).get("psnr_noisy_img").asDouble(), 0.1, "σ = 1 in standardised units");
        assertTrue(denoise.get("baselines").has("psnr_zero_prediction"), denoise.toString());
        if (variant.equals("vdl")) {
            JsonNode probe = JSON.readTree(run.resolve("probe/probe.json").toFile());
            assertEquals("first", probe.get("selection").asText());
            assertEquals(4, probe.get("cells").size(), probe.toString());
            assertEquals(10, probe.get("cells").get(0).get("train_samples").asInt(), "K = 1 of 10 classes");
            assertEquals(1, probe.get("cells").get(0).get("selected_epochs").size());
            // sparselab denoise on the finished run: other levels, the best epoch's parameters, summary.json updated
            TestKit.Cli d = TestKit.cli("denoise", "--plugins", TestKit.pluginFolder().toString(), "--sigma", "0.1,1", run.toString());
            assertEquals(0, d.exit(), d.all());
            assertTrue(d.out().contains("PSNR_noisy_rec"), d.out());
            JsonNode again = JSON.readTree(run.resolve("denoise.json").toFile());
            assertEquals(0.1, again.get("levels").get(0).get("sigma").asDouble(), 0.0);
            assertEquals(levels.get(1).get("psnr_noisy_rec").asDouble(), again.get("levels").get(1).get("psnr_noisy_rec").asDouble(), 1e-9,
                    "the same model (best.npz) and the same seeded noise");
            assertEquals(0.1, JSON.readTree(run.resolve("summary.json").toFile()).get("denoise").get("levels").get(0).get("sigma").asDouble(), 0.0);
        }
    }

    /** The supervised LISTA baseline on K = 3 images per class, best validation epoch tested. */
    @Test
    void listaClassifierTrainsOnKPerClassAndTestsTheBestEpoch() throws IOException {
        String yaml = Files.readString(TestKit.repo().resolve("runs/vdl/mnist-lista-classifier.yaml"))
                .replaceAll("(?m)^dataset: .*$", "dataset: {id: mnist, root: " + idx + ", val_size: 40, normalize: standardize, train_per_class: 3}")
                .replaceAll("(?m)^  epochs: 100$", "  epochs: 4")
                .replaceAll("(?m)^name: .*$", "name: vdl-it-lista\noutput: " + tmp.resolve("out"))
                .replaceAll("(?m)^device: .*$", "device: cpu");
        Path cfg = tmp.resolve("lista.yaml");
        Files.writeString(cfg, yaml);
        TestKit.Cli c = TestKit.cli("run", "--plain", "--plugins", TestKit.pluginFolder().toString(), cfg.toString());
        assertEquals(0, c.exit(), c.all());
        Path run = TestKit.runFolders(tmp.resolve("out"), "vdl-it-lista").get(0);
        JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
        assertTrue(summary.get("best").get("epoch").asInt() >= 1, summary.toString());
        JsonNode test = summary.get("final").get("test");
        assertTrue(test.get("accuracy").asDouble() >= 0 && test.get("accuracy").asDouble() <= 1, test.toString());
        assertTrue(run.resolve("config.resolved.yaml").toFile().exists());
        assertTrue(Files.readString(run.resolve("config.resolved.yaml")).contains("train_per_class: 3"));
    }

    /** The eight scripts as shipped run files: every model key, type and range accepted, the model built (the data swapped for tiny IDX). */
    @Test
    void theEightShippedRunConfigsAreValid() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(TestKit.repo().resolve("runs/vdl"))) {
            files = s.filter(f -> f.toString().endsWith(".yaml") && !f.getFileName().toString().contains("lista-classifier")).sorted().toList();
        }
        assertEquals(8, files.size(), files.toString());
        for (Path f : files) {
            String yaml = Files.readString(f);
            assertTrue(yaml.contains("seed: 31") && yaml.contains("batch_size: 250") && yaml.contains("n_steps_inf: 200"), f.toString());
            if (f.getFileName().toString().startsWith("imagenet")) {
                assertTrue(yaml.contains("dataset: {id: image-patches, root:"), f.toString());
            }
            // the image-patches plugin is built separately: validate the rest against tiny MNIST-shaped data
            String swapped = yaml.replaceAll("(?m)^dataset: .*$",
                    "dataset: {id: mnist, root: " + idx + ", val_size: 40, normalize: standardize}");
            Path copy = tmp.resolve("shipped-" + f.getFileName());
            Files.writeString(copy, swapped);
            TestKit.Cli c = TestKit.cli("validate", "--plugins", TestKit.pluginFolder().toString(), copy.toString());
            assertEquals(0, c.exit(), f + ": " + c.all());
        }
    }

    @Test
    void anotherOptimiserIsRejectedWithTheKeysToUse() throws IOException {
        Path cfg = tmp.resolve("vdl-sgd.yaml");
        Files.writeString(cfg, """
                name: vdl-sgd
                output: %s
                dataset: {id: mnist, root: %s, val_size: 40}
                model: {id: vdl, code_dim: 8}
                training: {epochs: 1, batch_size: 40, optimizer: {id: sgd, lr: 0.1}}
                """.formatted(tmp.resolve("out"), idx));
        TestKit.Cli c = TestKit.cli("run", "--plain", "--plugins", TestKit.pluginFolder().toString(), cfg.toString());
        assertTrue(c.exit() != 0, c.all());
        assertTrue(c.err().contains("training.optimizer.id") && c.err().contains("lrt_d"), c.all());
    }
}

package org.sparselab.core.probe;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OrtEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparselab.api.data.Split;
import org.sparselab.core.UserException;
import org.sparselab.core.config.ComponentSpec;
import org.sparselab.core.config.ConfigBinder;
import org.sparselab.core.config.ConfigSource;
import org.sparselab.core.onnx.Exporter;
import org.sparselab.core.onnx.OnnxCheck;
import org.sparselab.core.onnx.OnnxModels;
import org.sparselab.core.onnx.OnnxVerifier;
import org.sparselab.core.onnx.OrtSessions;
import org.sparselab.core.run.Evaluation;
import org.sparselab.core.run.RunState;
import org.sparselab.core.util.AtomicFiles;
import org.sparselab.core.util.Json;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.Model;
import org.tribuo.ONNXExportable;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.ConfusionMatrix;
import org.tribuo.classification.evaluation.LabelEvaluation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code evaluate: probe}: Tribuo classifiers on the codes and on raw inputs for K samples per class; tables in
 * {@code probe/}, the K = all models with their provenance, and the encoder → probe pipeline as ONNX, verified.
 */
public final class ProbeEvaluation implements Evaluation {
    private static final Logger LOG = LoggerFactory.getLogger(ProbeEvaluation.class);

    @Override
    public String id() {
        return "probe";
    }

    @Override
    public String description() {
        return "Tribuo linear probes on codes and raw inputs for K labelled samples per class (mean ± std over seeds); pipeline.onnx";
    }

    @Override
    public void validate(ComponentSpec spec, ConfigSource source) {
        ConfigBinder.bind(spec.params(), ProbeConfig.class, spec.path(), source, "evaluation 'probe'");
    }

    @Override
    public void run(RunState state, ComponentSpec spec, Map<String, Object> summary) throws Exception {
        ProbeConfig cfg = ConfigBinder.bind(spec.params(), ProbeConfig.class, spec.path(),
                ConfigSource.inline(state.run().file().toString()), "evaluation 'probe'");
        summary.put("probe", runAndWrite(state, cfg));
    }

    /** Runs the probe and writes its files; returns the headline figures. */
    public static Map<String, Object> runAndWrite(RunState state, ProbeConfig cfg) throws Exception {
        long t0 = System.nanoTime();
        Probe.Result r = Probe.run(state, cfg);
        Path dir = state.folder().resolve("probe");
        Files.createDirectories(dir);
        writeTables(dir, cfg, r);
        for (Map.Entry<String, Model<Label>> e : r.allModels().entrySet()) {
            Path f = dir.resolve("probe-" + e.getKey() + ".tribuo");
            AtomicFiles.write(f, out -> {
                Path tmp = Files.createTempFile(dir, ".probe", ".tribuo");
                try {
                    e.getValue().serializeToFile(tmp);
                    Files.copy(tmp, out);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            });
            LabelEvaluation ev = r.allEvaluations().get(e.getKey());
            AtomicFiles.writeString(dir.resolve("confusion-" + e.getKey() + ".txt"), ev.toString() + "\n\n" + ev.getConfusionMatrix() + "\n");
            AtomicFiles.writeString(dir.resolve("confusion-" + e.getKey() + ".json"), Json.pretty(confusion(ev.getConfusionMatrix(), state)));
        }
        Map<String, Object> head = new LinkedHashMap<>();
        for (Probe.Cell c : r.cells()) {
            if (c.k().equals("all") || c.k().equals("10")) {
                head.put(c.features() + "_k" + c.k(), c.mean());
            }
        }
        if (cfg.exportPipeline() && r.allModels().containsKey("codes")) {
            OnnxCheck check = exportPipeline(state, r, cfg);
            head.put("pipeline_onnx", check.passed() ? "passed" : "FAILED: " + check.failure());
        }
        head.put("seconds", (System.nanoTime() - t0) / 1e9);
        return head;
    }

    static void writeTables(Path dir, ProbeConfig cfg, Probe.Result r) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("trainer", cfg.trainer());
        doc.put("epochs", cfg.epochs());
        doc.put("seeds", cfg.seeds());
        doc.put("train_split", cfg.trainSplit());
        doc.put("test_split", cfg.testSplit());
        doc.put("cells", r.cells());
        Model<Label> any = r.allModels().values().stream().findFirst().orElse(null);
        if (any != null) {
            doc.put("trainer_provenance", any.getProvenance().getTrainerProvenance().toString());
        }
        AtomicFiles.writeString(dir.resolve("probe.json"), Json.pretty(doc));
        StringBuilder csv = new StringBuilder("features,k,train_samples,mean,std,accuracies\n");
        for (Probe.Cell c : r.cells()) {
            csv.append(String.format(Locale.ROOT, "%s,%s,%d,%.6f,%.6f,%s%n", c.features(), c.k(), c.trainSamples(), c.mean(), c.std(),
                    String.join(" ", c.accuracies().stream().map(a -> String.format(Locale.ROOT, "%.6f", a)).toList())));
        }
        AtomicFiles.writeString(dir.resolve("probe.csv"), csv.toString());
        AtomicFiles.writeString(dir.resolve("probe.md"), markdown(r.cells(), cfg.seeds()));
    }

    /** K | codes | raw, mean ± std over seeds. */
    public static String markdown(List<Probe.Cell> cells, int seeds) {
        List<String> ks = new ArrayList<>();
        List<String> sets = new ArrayList<>();
        for (Probe.Cell c : cells) {
            if (!ks.contains(c.k())) {
                ks.add(c.k());
            }
            if (!sets.contains(c.features())) {
                sets.add(c.features());
            }
        }
        StringBuilder sb = new StringBuilder("| K per class |");
        sets.forEach(s -> sb.append(' ').append(s).append(" (mean ± std, ").append(seeds).append(" seeds) |"));
        sb.append("\n|---|").append("---|".repeat(sets.size())).append('\n');
        for (String k : ks) {
            sb.append("| ").append(k).append(" |");
            for (String s : sets) {
                cells.stream().filter(c -> c.k().equals(k) && c.features().equals(s)).findFirst()
                        .ifPresent(c -> sb.append(String.format(Locale.ROOT, " %.4f ± %.4f |", c.mean(), c.std())));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static Map<String, Object> confusion(ConfusionMatrix<Label> m, RunState state) {
        List<String> names = state.data().spec().classNames();
        double[][] cells = new double[names.size()][names.size()];
        for (int t = 0; t < names.size(); t++) {
            for (int p = 0; p < names.size(); p++) {
                cells[t][p] = m.confusion(new Label(names.get(p)), new Label(names.get(t)));
            }
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("labels", names);
        doc.put("rows", "true label");
        doc.put("columns", "predicted label");
        doc.put("counts", cells);
        return doc;
    }

    /** probe-codes.onnx (Tribuo's export) and export/pipeline.onnx (encoder → probe), verified on the test codes. */
    static OnnxCheck exportPipeline(RunState state, Probe.Result r, ProbeConfig cfg) throws Exception {
        Model<Label> model = r.allModels().get("codes");
        if (!(model instanceof ONNXExportable exportable)) {
            throw new UserException("probe: the Tribuo model cannot be exported to ONNX");
        }
        Path probeDir = state.folder().resolve("probe");
        exportable.saveONNXModel("org.sparselab.probe", 1, probeDir.resolve("probe-codes.onnx"));
        ImmutableFeatureMap fmap = model.getFeatureIDMap();
        int[] columns = new int[fmap.size()];
        for (int id = 0; id < fmap.size(); id++) {
            columns[id] = r.codeFeatures().column(fmap.get(id).getName());
        }
        int classes = model.getOutputIDInfo().size();
        OnnxMl.ModelProto proto = OnnxModels.pipeline(state.model(), exportable, columns, state.data().spec().inputDim(), classes,
                Map.of("run_name", state.run().name(), "probe", "tribuo " + cfg.trainer() + ", K = all"));
        Path file = state.folder().resolve("export/pipeline.onnx");
        AtomicFiles.write(file, proto::writeTo);

        // Java side: encode, then Tribuo; ONNX side: the pipeline on raw inputs.
        Split test = state.data().split(cfg.testSplit());
        Probe.Matrix codes = r.tests().get("codes");
        int n = codes.rows();
        String[] labelOfOutput = new String[classes];
        for (int i = 0; i < classes; i++) {
            labelOfOutput[i] = model.getOutputIDInfo().getOutput(i).getLabel();
        }
        float[] java = new float[n * classes];
        for (int i = 0; i < n; i++) {
            Prediction<Label> p = model.predict(r.codeFeatures().example(codes.x(), i, "?"));
            Map<String, Label> scores = p.getOutputScores();
            for (int c = 0; c < classes; c++) {
                java[i * classes + c] = (float) scores.get(labelOfOutput[c]).getScore();
            }
        }
        OnnxVerifier.Stats stats = new OnnxVerifier.Stats();
        int bs = 1000;
        try (OrtSessions.Opened ort = OrtSessions.open(file, OrtSessions.isGpu(state.device()))) {
            for (int start = 0; start < n; start += bs) {
                int m = Math.min(bs, n - start);
                float[] x = test.features(slice(start, m));
                float[] onnx = OnnxVerifier.run(OrtEnvironment.getEnvironment(), ort.session(), "scores", x, m, test.inputDim());
                float[] j = new float[m * classes];
                System.arraycopy(java, start * classes, j, 0, j.length);
                stats.add(j, onnx, m, classes, false, true, 1e-4);
            }
            OnnxCheck check = stats.check("pipeline.onnx", "scores", ort.provider(), test.name(), n, false, true,
                    new OnnxVerifier.Criteria(1e-4, 0.999, 0.999));
            LOG.info(Exporter.line(check));
            appendCheck(state.folder().resolve("export"), check);
            return check;
        }
    }

    private static int[] slice(int start, int m) {
        int[] idx = new int[m];
        for (int i = 0; i < m; i++) {
            idx[i] = start + i;
        }
        return idx;
    }

    private static void appendCheck(Path exportDir, OnnxCheck check) throws IOException {
        List<OnnxCheck> checks = new ArrayList<>();
        Path f = exportDir.resolve("check.json");
        if (Files.exists(f)) {
            var node = Json.mapper().readTree(f.toFile()).get("checks");
            if (node != null) {
                for (var c : node) {
                    if (!c.get("file").asText().equals(check.file())) {
                        checks.add(Json.mapper().treeToValue(c, OnnxCheck.class));
                    }
                }
            }
        }
        checks.add(check);
        Exporter.writeChecks(exportDir, checks);
    }
}

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
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.Model;
import org.tribuo.ONNXExportable;
import org.tribuo.classification.Label;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code evaluate: probe}: Tribuo classifiers on the codes and on raw inputs for K samples per class; tables,
 * the kept models with their provenance and probe-codes.onnx in {@code probe/} ({@link ProbeFiles}), and the
 * encoder → probe pipeline as ONNX, verified.
 */
public final class ProbeEvaluation implements Evaluation {
    private static final Logger LOG = LoggerFactory.getLogger(ProbeEvaluation.class);

    @Override
    public String id() {
        return "probe";
    }

    @Override
    public String description() {
        return "Tribuo linear probes on codes and raw inputs for K labelled samples per class (mean ± std over seeds); "
                + "probe-codes.onnx, pipeline.onnx";
    }

    @Override
    public Class<? extends Record> configType() {
        return ProbeConfig.class;
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

    /** Runs the probe on an opened run and writes {@code <run>/probe/}; returns the headline figures. */
    public static Map<String, Object> runAndWrite(RunState state, ProbeConfig cfg) throws Exception {
        long t0 = System.nanoTime();
        ProbeData data = ProbeData.of(state, cfg);
        Probe.Result r = Probe.run(data, cfg);
        Written w = write(state.folder().resolve(ProbeFiles.DIR), data, cfg, r);
        Map<String, Object> head = w.head();
        List<OnnxCheck> checks = new ArrayList<>();
        if (w.codesOnnx() != null) {
            checks.add(w.codesOnnx());
        }
        boolean encoder = org.sparselab.core.onnx.OnnxModels.hasEncoder(state.model(), state.data().spec().inputDim());
        if (cfg.exportPipeline() && r.codesModel() != null && !encoder) {
            // The probe's results stand; only the deployment pipeline needs the encoder's ONNX form.
            head.put("pipeline_onnx", "skipped: the model (or one of its sparsifiers) has no ONNX encoder");
            LOG.warn("probe: pipeline.onnx skipped: the model (or one of its sparsifiers) has no ONNX encoder");
        }
        if (cfg.exportPipeline() && r.codesModel() != null && encoder) {
            OnnxCheck check = exportPipeline(state, r, cfg);
            head.put("pipeline_onnx", check.passed() ? "passed" : "FAILED: " + check.failure());
            checks.add(check);
        }
        if (!checks.isEmpty()) {
            // beside the export's own checks, so that the report shows every ONNX file of the run in one table
            Exporter.mergeChecks(state.folder().resolve("export"), checks);
        }
        head.put("seconds", (System.nanoTime() - t0) / 1e9);
        return head;
    }

    /** What {@link #write} reports: the headline figures and the check of probe-codes.onnx (null when not exported). */
    public record Written(Map<String, Object> head, OnnxCheck codesOnnx) {
    }

    /**
     * Writes a probe's files into {@code dir} (models, confusion matrices, probe-codes.onnx checked with ONNX
     * Runtime, tables); the headline figures are the accuracy means at K = all and K = 10 per feature set.
     */
    public static Written write(Path dir, ProbeData data, ProbeConfig cfg, Probe.Result r) throws IOException {
        Files.createDirectories(dir);
        Map<String, String> models = ProbeFiles.writeModels(dir, r, data.classNames());
        OnnxCheck onnx = null;
        if (r.codesModel() != null) {
            onnx = ProbeOnnx.exportAndCheck(r.codesModel(), r.features().get(Probe.CODES), r.tests().get(Probe.CODES),
                    cfg.onnxCheckSamples(), dir.resolve(ProbeFiles.CODES_ONNX));
            LOG.info(Exporter.line(onnx));
        }
        ProbeFiles.writeTables(dir, data, cfg, r, models, onnx);
        Map<String, Object> head = new LinkedHashMap<>();
        for (Probe.Cell c : r.cells()) {
            if (c.k().equals(ProbeConfig.ALL) || c.k().equals("10")) {
                head.put(c.features() + "_k" + c.k(), c.mean());
            }
        }
        if (onnx != null) {
            head.put("probe_codes_onnx", onnx.passed() ? "passed" : "FAILED: " + onnx.failure());
        }
        return new Written(head, onnx);
    }

    /**
     * export/pipeline.onnx (encoder → probe on codes), verified on the probe's test samples against encode + Tribuo.
     * The feature map covers every unit in order, so the gather inside is the identity; it stays for models made
     * by other means.
     */
    static OnnxCheck exportPipeline(RunState state, Probe.Result r, ProbeConfig cfg) throws Exception {
        Model<Label> model = r.codesModel();
        if (!(model instanceof ONNXExportable exportable)) {
            throw new UserException("probe: the Tribuo model cannot be exported to ONNX");
        }
        Features features = r.features().get(Probe.CODES);
        ImmutableFeatureMap fmap = model.getFeatureIDMap();
        int[] columns = new int[fmap.size()];
        for (int id = 0; id < fmap.size(); id++) {
            columns[id] = features.column(fmap.get(id).getName());
        }
        int classes = model.getOutputIDInfo().size();
        Map<String, String> meta = new LinkedHashMap<>(Exporter.metadata(state));
        meta.put("probe", "tribuo " + cfg.trainer() + ", K = " + cfg.keptK() + " per class, repetition 0 (probe/" + ProbeFiles.CODES_MODEL + ")");
        OnnxMl.ModelProto proto = OnnxModels.pipeline(state.model(), exportable, columns, state.data().spec().inputDim(), classes, meta);
        Path file = state.folder().resolve("export/pipeline.onnx");
        AtomicFiles.write(file, proto::writeTo);

        // Java side: encode, then Tribuo; ONNX side: the pipeline on the same raw inputs.
        Split test = state.data().split(cfg.testSplit());
        Rows codes = r.tests().get(Probe.CODES);
        int n = codes.size();
        float[] java = ProbeOnnx.javaScores(model, features, codes, n);
        OnnxVerifier.Stats stats = new OnnxVerifier.Stats();
        int bs = 1000;
        try (OrtSessions.Opened ort = OrtSessions.open(file, OrtSessions.isGpu(state.device()))) {
            for (int start = 0; start < n; start += bs) {
                int m = Math.min(bs, n - start);
                int[] idx = new int[m];
                for (int i = 0; i < m; i++) {
                    idx[i] = codes.index(start + i);
                }
                float[] onnx = OnnxVerifier.run(OrtEnvironment.getEnvironment(), ort.session(), "scores", test.features(idx), m, test.inputDim());
                float[] j = new float[m * classes];
                System.arraycopy(java, start * classes, j, 0, j.length);
                stats.add(j, onnx, m, classes, false, true, ProbeOnnx.CRITERIA.tolerance());
            }
            OnnxCheck check = stats.check("pipeline.onnx", "scores", ort.provider(), test.name(), n, false, true, ProbeOnnx.CRITERIA);
            LOG.info(Exporter.line(check));
            return check;
        }
    }
}

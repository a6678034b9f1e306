package org.sparselab.core.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OrtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparselab.api.Task;
import org.sparselab.api.data.Split;
import org.sparselab.api.model.TrainableModel;
import org.sparselab.core.SparselabVersion;
import org.sparselab.core.UserException;
import org.sparselab.core.run.RunState;
import org.sparselab.core.util.AtomicFiles;
import org.sparselab.core.util.Json;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Exports a run's model to {@code export/encoder.onnx} (and {@code export/model.onnx} for the full forward),
 * verifies each file with ONNX Runtime against the Java model, and writes {@code export/check.json}. A failed
 * check is an error carrying the figures.
 */
public final class Exporter {
    private static final Logger LOG = LoggerFactory.getLogger(Exporter.class);

    private Exporter() {
    }

    /** The outcome: the checks written to check.json. */
    public record Result(List<OnnxCheck> checks) {
        public boolean passed() {
            return checks.stream().allMatch(OnnxCheck::passed);
        }
    }

    public static Result export(RunState state, ExportConfig cfg) throws IOException {
        TrainableModel model = state.model();
        Split split = verificationSplit(state, cfg.split());
        int inputDim = state.data().spec().inputDim();
        Path dir = state.folder().resolve("export");
        Map<String, String> meta = metadata(state);
        List<OnnxCheck> checks = new ArrayList<>();

        OnnxMl.ModelProto encoder = OnnxModels.build(model, OnnxModels.Part.ENCODER, inputDim, model.codeSize(), meta)
                .orElseThrow(() -> new UserException("model '" + state.run().model().spec().id()
                        + "' (or one of its sparsifiers) has no ONNX form, so it cannot be exported"));
        checks.add(writeAndVerify(state, dir.resolve("encoder.onnx"), encoder, OnnxModels.Part.ENCODER, split, cfg,
                model::encode, true, false));

        if (cfg.forward()) {
            Optional<Integer> outDim = outputWidth(state, split);
            if (outDim.isPresent()) {
                Optional<OnnxMl.ModelProto> forward = OnnxModels.build(model, OnnxModels.Part.FORWARD, inputDim, outDim.get(), meta);
                if (forward.isPresent()) {
                    checks.add(writeAndVerify(state, dir.resolve("model.onnx"), forward.get(), OnnxModels.Part.FORWARD, split, cfg,
                            x -> model.predict(x).orElseThrow(), false, model.task() == Task.CLASSIFICATION));
                }
            }
        }
        Result result = new Result(checks);
        writeChecks(dir, checks);
        if (!result.passed() && cfg.failOnMismatch()) {
            StringBuilder sb = new StringBuilder("ONNX export failed its check:");
            checks.stream().filter(c -> !c.passed()).forEach(c -> sb.append(' ').append(c.file()).append(": ").append(c.failure()).append('.'));
            sb.append(" Figures in ").append(dir.resolve("check.json"));
            throw new UserException(sb.toString());
        }
        return result;
    }

    /** Appends checks of other files (the probe pipeline) to check.json. */
    public static void writeChecks(Path exportDir, List<OnnxCheck> checks) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("passed", checks.stream().allMatch(OnnxCheck::passed));
        doc.put("checks", checks);
        AtomicFiles.writeString(exportDir.resolve("check.json"), Json.pretty(doc));
    }

    static Split verificationSplit(RunState state, String name) {
        if (!state.data().hasSplit(name)) {
            throw new UserException("export: the dataset has no split '" + name + "' to verify on; it has " + state.data().splitNames());
        }
        return state.data().split(name);
    }

    static Map<String, String> metadata(RunState state) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("sparselab_version", SparselabVersion.FRAMEWORK);
        meta.put("run_name", state.run().name());
        meta.put("run_folder", state.folder() == null ? "" : state.folder().dir().getFileName().toString());
        meta.put("model", state.run().model().spec().id());
        meta.put("dataset", state.run().dataset().spec().id());
        meta.put("input", "float32 [batch, " + state.data().spec().inputDim() + "], preprocessed as the dataset delivers samples");
        return meta;
    }

    private static Optional<Integer> outputWidth(RunState state, Split split) {
        try (NDScope scope = new NDScope()) {
            NDArray x = split.batch(new int[]{0}, state.manager()).x();
            return state.model().predict(x).map(y -> (int) y.getShape().get(1));
        }
    }

    private static OnnxCheck writeAndVerify(RunState state, Path file, OnnxMl.ModelProto proto, OnnxModels.Part part, Split split,
                                            ExportConfig cfg, java.util.function.Function<NDArray, NDArray> java,
                                            boolean sparse, boolean classes) throws IOException {
        AtomicFiles.write(file, proto::writeTo);
        try (OrtSessions.Opened ort = OrtSessions.open(file, OrtSessions.isGpu(state.device()))) {
            OnnxCheck c = OnnxVerifier.verify(file.getFileName().toString(), ort, part.outputName(), state, split, cfg.samples(), java,
                    sparse, classes, cfg.criteria());
            LOG.info(line(c));
            return c;
        } catch (OrtException e) {
            throw new UserException("ONNX Runtime could not run " + file + ": " + OrtSessions.firstLine(e.getMessage()), e);
        }
    }

    public static String line(OnnxCheck c) {
        return String.format(Locale.ROOT, "%s on %s (%d %s samples): max|diff| %.2e, max rel %.2e%s%s -> %s", c.file(), c.provider(),
                c.samples(), c.split(), c.maxAbsDiff(), c.maxRelDiff(),
                c.activeSetAgreement() == null ? "" : String.format(Locale.ROOT, ", active sets %.4f (%d ties)", c.activeSetAgreement(), c.ties()),
                c.classAgreement() == null ? "" : String.format(Locale.ROOT, ", classes %.4f", c.classAgreement()),
                c.passed() ? "passed" : "FAILED: " + c.failure());
    }
}

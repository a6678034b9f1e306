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
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
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
        java.util.Set<Integer> swappedRows = new java.util.HashSet<>();
        checks.add(writeAndVerify(state, dir.resolve("encoder.onnx"), encoder, OnnxModels.Part.ENCODER, split, cfg,
                model::encode, true, false, java.util.Set.of(), swappedRows));

        if (cfg.forward()) {
            Optional<Integer> outDim = outputWidth(state, split);
            if (outDim.isPresent()) {
                Optional<OnnxMl.ModelProto> forward = OnnxModels.build(model, OnnxModels.Part.FORWARD, inputDim, outDim.get(), meta);
                if (forward.isPresent()) {
                    checks.add(writeAndVerify(state, dir.resolve("model.onnx"), forward.get(), OnnxModels.Part.FORWARD, split, cfg,
                            x -> model.predict(x).orElseThrow(), false, model.task() == Task.CLASSIFICATION, swappedRows, new java.util.HashSet<>()));
                }
            }
        }
        return conclude(dir, checks, cfg.failOnMismatch());
    }

    /**
     * Records the checks in {@code check.json} (keeping those of files not re-checked here, e.g. the probe's
     * pipeline.onnx) and, when one failed and {@code failOnMismatch}, throws a {@link UserException} with the figures.
     */
    public static Result conclude(Path exportDir, List<OnnxCheck> checks, boolean failOnMismatch) throws IOException {
        Result result = new Result(checks);
        mergeChecks(exportDir, checks);
        if (!result.passed() && failOnMismatch) {
            StringBuilder sb = new StringBuilder("ONNX export failed its check:");
            checks.stream().filter(c -> !c.passed()).forEach(c -> sb.append(' ').append(line(c)).append('.'));
            sb.append(" Figures in ").append(exportDir.resolve("check.json"));
            throw new UserException(sb.toString());
        }
        return result;
    }

    /** Writes {@code checks} into check.json, replacing entries of the same files and keeping the others. */
    public static void mergeChecks(Path exportDir, List<OnnxCheck> checks) throws IOException {
        List<OnnxCheck> all = new ArrayList<>();
        try {
            all.addAll(readChecks(exportDir));
        } catch (IOException | RuntimeException e) {
            LOG.warn("ignoring the unreadable {} ({})", exportDir.resolve("check.json"), e.getMessage());
        }
        all.removeIf(old -> checks.stream().anyMatch(c -> c.file().equals(old.file())));
        all.addAll(checks);
        writeChecks(exportDir, all);
    }

    /** The checks recorded in {@code check.json}; empty when there is none (an unreadable file is an error). */
    public static List<OnnxCheck> readChecks(Path exportDir) throws IOException {
        Path f = exportDir.resolve("check.json");
        List<OnnxCheck> out = new ArrayList<>();
        if (!Files.isRegularFile(f)) {
            return out;
        }
        var node = Json.mapper().readTree(f.toFile()).get("checks");
        if (node != null) {
            for (var c : node) {
                out.add(Json.mapper().treeToValue(c, OnnxCheck.class));
            }
        }
        return out;
    }

    /** Writes check.json with exactly these checks (see {@link #mergeChecks} to keep other files' entries). */
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

    /**
     * The ONNX metadata of a run's exports: framework version, run, model and dataset ids, the dataset's resolved
     * parameters (its input normalisation among them: the graphs take inputs as the dataset delivers them), and
     * SHA-256 digests of the run's provenance.json and parameters, which tie the file to the run that made it.
     */
    public static Map<String, String> metadata(RunState state) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("sparselab_version", SparselabVersion.FRAMEWORK);
        meta.put("run_name", state.run().name());
        meta.put("run_folder", state.folder() == null ? "" : state.folder().dir().getFileName().toString());
        meta.put("model", state.run().model().spec().id());
        meta.put("dataset", state.run().dataset().spec().id());
        meta.put("dataset_params", Json.line(state.run().dataset().config()));
        meta.put("input", "float32 [batch, " + state.data().spec().inputDim() + "], preprocessed as the dataset delivers samples");
        if (state.folder() != null) {
            meta.put("provenance_sha256", sha256(state.folder().resolve("provenance.json")));
            java.nio.file.Path best = state.folder().resolve(org.sparselab.core.run.Runner.BEST);
            if (java.nio.file.Files.isRegularFile(best)) {
                // training.keep_best: the exported model is the best validation epoch's
                meta.put("parameters", org.sparselab.core.run.Runner.BEST);
                meta.put("parameters_sha256", sha256(best));
            } else {
                meta.put("parameters_sha256", sha256(state.folder().resolve(org.sparselab.core.run.Runner.PARAMETERS)));
            }
        }
        return meta;
    }

    /** Hex SHA-256 of a file, or "" when it is absent. */
    static String sha256(Path file) {
        if (!Files.isRegularFile(file)) {
            return "";
        }
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0; ) {
                md.update(buf, 0, r);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new UserException("cannot digest " + file + ": " + e.getMessage(), e);
        }
    }

    private static Optional<Integer> outputWidth(RunState state, Split split) {
        try (NDScope scope = new NDScope()) {
            NDArray x = split.batch(new int[]{0}, state.manager()).x();
            return state.model().predict(x).map(y -> (int) y.getShape().get(1));
        }
    }

    private static OnnxCheck writeAndVerify(RunState state, Path file, OnnxMl.ModelProto proto, OnnxModels.Part part, Split split,
                                            ExportConfig cfg, java.util.function.Function<NDArray, NDArray> java,
                                            boolean sparse, boolean classes, java.util.Set<Integer> excludedRows,
                                            java.util.Set<Integer> swappedRows) throws IOException {
        AtomicFiles.write(file, proto::writeTo);
        try (OrtSessions.Opened ort = OrtSessions.open(file, OrtSessions.isGpu(state.device()))) {
            OnnxCheck c = OnnxVerifier.verify(file.getFileName().toString(), ort, part.outputName(), state, split, cfg.samples(), java,
                    sparse, classes, cfg.criteria(), excludedRows, swappedRows);
            LOG.info(line(c));
            return c;
        } catch (OrtException e) {
            throw new UserException("ONNX Runtime could not run " + file + ": " + OrtSessions.firstLine(e.getMessage()), e);
        }
    }

    public static String line(OnnxCheck c) {
        return String.format(Locale.ROOT, "%s on %s (%d %s samples): max|diff| %.2e, max rel %.2e%s%s -> %s", c.file(), c.provider(),
                c.samples(), c.split(), c.maxAbsDiff(), c.maxRelDiff(),
                c.activeSetAgreement() == null ? "" : String.format(Locale.ROOT, ", active sets %.4f (%d ties%s)", c.activeSetAgreement(), c.ties(),
                        c.rankSwaps() == 0 ? "" : ", " + c.rankSwaps() + " entries exchanged by rank ties"),
                c.classAgreement() == null ? "" : String.format(Locale.ROOT, ", classes %.4f", c.classAgreement())
                        + (c.activeSetAgreement() == null && c.rankSwaps() > 0
                        ? " (" + c.rankSwaps() + " samples whose codes had rank ties left out of max|diff|)" : ""),
                c.passed() ? "passed" : "FAILED: " + c.failure());
    }
}

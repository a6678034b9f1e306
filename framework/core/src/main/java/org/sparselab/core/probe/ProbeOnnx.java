package org.sparselab.core.probe;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import org.sparselab.core.UserException;
import org.sparselab.core.onnx.OnnxCheck;
import org.sparselab.core.onnx.OnnxVerifier;
import org.sparselab.core.onnx.OrtSessions;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.ONNXExportable;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The probe on codes as ONNX, written by Tribuo ({@link ONNXExportable#saveONNXModel}: input {@code input}
 * {@code [batch, codeSize]} in unit order, output {@code output} = class scores, probabilities for the logistic
 * trainer), and checked with ONNX Runtime on the CPU against Tribuo's Java predictions.
 */
final class ProbeOnnx {
    static final String DOMAIN = "org.sparselab.probe";
    static final String OUTPUT = "output";
    static final OnnxVerifier.Criteria CRITERIA = new OnnxVerifier.Criteria(1e-4, 0.999, 0.999);

    private ProbeOnnx() {
    }

    static OnnxCheck exportAndCheck(Model<Label> model, Features features, Rows test, int samples, Path file) throws IOException {
        if (!(model instanceof ONNXExportable exportable)) {
            throw new UserException("probe: the Tribuo model " + model.getClass().getSimpleName() + " cannot be exported to ONNX");
        }
        if (model.getFeatureIDMap().size() != features.width()) {
            throw new IllegalStateException("probe model knows " + model.getFeatureIDMap().size() + " features, the codes have " + features.width());
        }
        Path tmp = Files.createTempFile(file.getParent(), ".probe", ".onnx");
        try {
            exportable.saveONNXModel(DOMAIN, 1, tmp);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        int n = Math.min(samples, test.size());
        int classes = model.getOutputIDInfo().size();
        float[] java = javaScores(model, features, test, n);
        OnnxVerifier.Stats stats = new OnnxVerifier.Stats();
        // a plain CPU session: the check is about the file, not about the device
        try (OrtSessions.Opened ort = OrtSessions.open(file, false)) {
            if (n > 0) {
                float[] onnx = OnnxVerifier.run(OrtEnvironment.getEnvironment(), ort.session(), OUTPUT, test.dense(0, n), n, features.width());
                if (onnx.length != java.length) {
                    throw new UserException("probe-codes.onnx returned " + onnx.length + " scores for " + n + " samples of " + classes + " classes");
                }
                stats.add(java, onnx, n, classes, false, true, CRITERIA.tolerance());
            }
            return stats.check(file.getFileName().toString(), OUTPUT, ort.provider(), "test codes", n, false, true, CRITERIA);
        } catch (OrtException e) {
            throw new UserException("probe: ONNX Runtime could not run " + file + ": " + e.getMessage(), e);
        }
    }

    /** Tribuo's scores for the first n rows, row-major, columns in the model's output id order (= the ONNX output's). */
    static float[] javaScores(Model<Label> model, Features features, Rows rows, int n) {
        ImmutableOutputInfo<Label> out = model.getOutputIDInfo();
        int classes = out.size();
        float[] scores = new float[n * classes];
        for (int i = 0; i < n; i++) {
            Prediction<Label> p = model.predict(features.example(rows, i, LabelFactory.UNKNOWN_LABEL));
            Map<String, Label> byName = p.getOutputScores();
            for (int c = 0; c < classes; c++) {
                scores[i * classes + c] = (float) byName.get(out.getOutput(c).getLabel()).getScore();
            }
        }
        return scores;
    }
}

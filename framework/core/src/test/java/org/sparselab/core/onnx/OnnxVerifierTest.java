package org.sparselab.core.onnx;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparselab.core.UserException;
import org.sparselab.api.data.Npy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OnnxVerifierTest {
    private static final OnnxVerifier.Criteria STRICT = new OnnxVerifier.Criteria(1e-4, 0.999, 0.999);

    @Test
    void identicalOutputsPass() {
        OnnxVerifier.Stats s = new OnnxVerifier.Stats();
        float[] a = {0, 2, 0, 3, 1, 0, 0, 5};
        s.add(a, a.clone(), 2, 4, true, true, 1e-4);
        OnnxCheck c = s.check("encoder.onnx", "code", "CPU", "test", 2, true, true, STRICT);
        assertTrue(c.passed());
        assertEquals(1.0, c.activeSetAgreement());
        assertEquals(1.0, c.classAgreement());
        assertNull(c.failure());
    }

    @Test
    void aLargeDifferenceFailsWithTheFigures() {
        OnnxVerifier.Stats s = new OnnxVerifier.Stats();
        s.add(new float[]{0, 2, 0, 3}, new float[]{0, 2.01f, 0, 3}, 1, 4, true, false, 1e-4);
        OnnxCheck c = s.check("encoder.onnx", "code", "CPU", "test", 1, true, false, STRICT);
        assertFalse(c.passed());
        assertTrue(c.failure().contains("max |java - onnx| = 0.0100 exceeds 0.000100"), c.failure());
    }

    @Test
    void tiesAtTheThresholdAreNotDisagreements() {
        // Units 1 and 2 tie at 2.0: Java kept unit 1, ONNX kept unit 2.
        float[] java = {5, 2, 0, 0};
        float[] onnx = {5, 0, 2.00001f, 0};
        assertEquals(1, OnnxVerifier.Stats.activeSets(java, onnx, 0, 4, 1e-4));
        float[] wrong = {5, 0, 0, 4};
        assertEquals(-1, OnnxVerifier.Stats.activeSets(new float[]{5, 2, 0, 0}, wrong, 0, 4, 1e-4));
    }

    @Test
    void classDisagreementFails() {
        OnnxVerifier.Stats s = new OnnxVerifier.Stats();
        s.add(new float[]{1, 2, 2, 1}, new float[]{1, 2, 1, 2}, 2, 2, false, true, 10);
        OnnxCheck c = s.check("model.onnx", "output", "CPU", "test", 2, false, true, new OnnxVerifier.Criteria(10, 0.999, 0.999));
        assertFalse(c.passed());
        assertEquals(0.5, c.classAgreement());
        assertTrue(c.failure().contains("predicted classes agree on 0.5000"), c.failure());
    }

    @Test
    void npyRoundTripAndErrors(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("a.npy");
        Npy.write(f, new float[]{1, 2, 3, 4, 5, 6}, 2, 3);
        Npy.Matrix m = Npy.read(f);
        assertEquals(2, m.rows());
        assertEquals(3, m.cols());
        assertArrayEquals(new float[]{1, 2, 3, 4, 5, 6}, m.data());
        Path bad = Files.writeString(dir.resolve("b.npy"), "not numpy");
        IOException e = assertThrows(IOException.class, () -> Npy.read(bad));
        assertTrue(e.getMessage().contains("not a .npy file"));
    }

    @Test
    void aFileThatIsNotOnnxIsAClearError(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("x.onnx"), "hello");
        UserException e = assertThrows(UserException.class, () -> OrtSessions.open(f, false));
        assertTrue(e.getMessage().contains("is not a valid ONNX model"), e.getMessage());
    }
}

package org.sparselab.plugins.netfragments;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.onnxruntime.OrtEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparselab.api.config.ConfigException;
import org.sparselab.api.data.Batch;
import org.sparselab.api.data.DataSpec;
import org.sparselab.api.model.StepOutput;
import org.sparselab.core.onnx.OnnxModels;
import org.sparselab.core.onnx.OnnxVerifier;
import org.sparselab.core.onnx.OrtSessions;
import org.sparselab.core.testing.TestModelContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The model through the framework's API: Hebbian training steps, state in and out, the ONNX export, config errors. */
class NetFragmentsModelTest {

    static final DataSpec LINES = DataSpec.of(new int[]{1, 32, 32}, 0);

    static FragmentsConfig config(String s1, String act, String evalAct) {
        return new FragmentsConfig(false, s1, 10, null, null, null, 6, act, null, evalAct, null);
    }

    /** Images of lines through the centre at several angles (test data; the dataset plugin has its own rasteriser). */
    static float[] lines(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * 1024];
        for (int i = 0; i < n; i++) {
            int v = 2 + r.nextInt(29);
            boolean rows = r.nextBoolean();
            float[] img = rows ? NetFragmentsChecksTest.line(2, v, 30, 32 - v) : NetFragmentsChecksTest.line(v, 2, 32 - v, 30);
            System.arraycopy(img, 0, x, i * 1024, 1024);
        }
        return x;
    }

    static NetFragmentsModel.Instance trained(NDManager m, FragmentsConfig c, int images) {
        NetFragmentsModel.Instance model = (NetFragmentsModel.Instance) new NetFragmentsModel().create(c, new TestModelContext(LINES, m));
        float[] x = lines(images, 3);
        for (int i = 0; i < images; i += 4) {
            try (NDManager step = m.newSubManager()) {
                int n = Math.min(4, images - i);
                NDArray b = step.create(Arrays.copyOfRange(x, i * 1024, (i + n) * 1024), new Shape(n, 1024));
                model.trainStep(new Batch(b, null, new int[n]));
            }
        }
        return model;
    }

    /** A training batch is the same as its images one after another (one Hebbian update each, the original's batch 1). */
    @Test
    void aBatchIsItsImagesInTurn() {
        try (NDManager m = NDManager.newBaseManager()) {
            FragmentsConfig c = config("threshold", "0.5", null);
            NetFragmentsModel.Instance model = (NetFragmentsModel.Instance) new NetFragmentsModel().create(c, new TestModelContext(LINES, m));
            float[] x = lines(5, 1);
            StepOutput out = model.trainStep(new Batch(m.create(x, new Shape(5, 1024)), null, new int[5]));
            assertArrayEquals(new long[]{5, 4096}, out.code().getShape().getShape());
            assertTrue(Double.isNaN(out.loss()), "no loss: the model learns without gradients");
            NetFragments reference = new NetFragments(c);
            // the context's seed drives the same generator in the reference (threshold S1 and S2 draw nothing)
            for (int i = 0; i < 5; i++) {
                reference.learn(Arrays.copyOfRange(x, i * 1024, (i + 1) * 1024), new SplittableRandom(0), null);
            }
            assertArrayEquals(reference.s2().weights(), model.syncedNet().s2().weights());
            float[] init = new NetFragments(c).s2().weights();
            assertFalse(Arrays.equals(init, reference.s2().weights()), "training must change W");
            model.close();
        }
    }

    /** state() hands out the current weights; values written into it (a load) are what the model then uses. */
    @Test
    void stateRoundTrip() {
        try (NDManager m = NDManager.newBaseManager()) {
            NetFragmentsModel.Instance a = trained(m, config("threshold", "0.5", null), 40);
            NetFragmentsModel.Instance b = (NetFragmentsModel.Instance) new NetFragmentsModel().create(config("threshold", "0.5", null),
                    new TestModelContext(LINES, m));
            NDArray wa = a.state().get("W");
            assertArrayEquals(new long[]{40, 5324}, wa.getShape().getShape());
            assertArrayEquals(a.syncedNet().s2().weights(), wa.toFloatArray());
            NDArray x = m.create(lines(8, 9), new Shape(8, 1024));
            assertNotEquals(Arrays.toString(a.encode(x).toFloatArray()), Arrays.toString(b.encode(x).toFloatArray()));
            b.state().get("W").set(wa.toFloatArray()); // what ModelStore.load does
            assertArrayEquals(a.encode(x).toFloatArray(), b.encode(x).toFloatArray());
            a.close();
            b.close();
        }
    }

    /** The exported S1 + S2 graph, run by ONNX Runtime, equals encode bit for bit (binary outputs). */
    @Test
    void onnxEncoderEqualsJava(@TempDir Path dir) throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            for (String s1 : new String[]{"threshold", "None"}) {
                NetFragmentsModel.Instance model = trained(m, new FragmentsConfig(s1.equals("None"), s1, 10, null, null, null, 6,
                        "bernoulli", List.of(1.0, 1.2, 1.4, 1.6, 1.8, 2.0), "0.3", List.of(0.6, 0.8, 1.0, 1.2, 1.4, 1.6)), 60);
                int n = 24;
                float[] x = lines(n, 17);
                // some noise pixels too, so that the graph sees more than clean lines
                SplittableRandom r = new SplittableRandom(5);
                for (int i = 0; i < 40; i++) {
                    x[r.nextInt(x.length)] = 1;
                }
                var proto = OnnxModels.build(model, OnnxModels.Part.ENCODER, 1024, 4096, Map.of()).orElseThrow();
                Path f = dir.resolve(s1 + ".onnx");
                Files.write(f, proto.toByteArray());
                try (OrtSessions.Opened ort = OrtSessions.open(f, false)) {
                    float[] onnx = OnnxVerifier.run(OrtEnvironment.getEnvironment(), ort.session(), OnnxModels.Part.ENCODER.outputName(), x, n, 1024);
                    float[] java = model.encode(m.create(x, new Shape(n, 1024))).toFloatArray();
                    assertEquals(java.length, onnx.length);
                    int on = 0;
                    for (int i = 0; i < java.length; i++) {
                        assertEquals(java[i], onnx[i], 0f, s1 + " entry " + i);
                        on += (int) java[i];
                    }
                    assertTrue(on > n * 10, "the outputs must not be trivially empty: " + on);
                }
                model.close();
            }
        }
    }

    /** Stochastic inference has no graph to verify; the export says so by offering none. */
    @Test
    void bernoulliInferenceIsNotExported() {
        try (NDManager m = NDManager.newBaseManager()) {
            NetFragmentsModel.Instance model = (NetFragmentsModel.Instance) new NetFragmentsModel().create(
                    config("threshold", "bernoulli", null), new TestModelContext(LINES, m));
            assertTrue(OnnxModels.build(model, OnnxModels.Part.ENCODER, 1024, 4096, Map.of()).isEmpty());
            model.close();
        }
    }

    @Test
    void badConfigurationsNameTheKeyAndWhatIsAccepted() {
        ConfigException e = assertThrows(ConfigException.class, () -> config("sigmoid", "0.5", null));
        assertTrue(e.getMessage().contains("s1_activation") && e.getMessage().contains("threshold | bernoulli | None"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> config("threshold", "1.5", null));
        assertTrue(e.getMessage().contains("act_threshold"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> config("threshold", "0.5", "maybe"));
        assertTrue(e.getMessage().contains("eval_act_threshold"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> new FragmentsConfig(null, null, null, null, null, null, 6, null, List.of(1.0, 1.2), null, null));
        assertTrue(e.getMessage().contains("square_factor") && e.getMessage().contains("6"), e.getMessage());
        try (NDManager m = NDManager.newBaseManager()) {
            e = assertThrows(ConfigException.class, () -> new NetFragmentsModel().create(config("threshold", "0.5", null),
                    new TestModelContext(DataSpec.of(new int[]{1, 28, 28}, 10), m)));
            assertTrue(e.getMessage().contains("32×32"), e.getMessage());
        }
    }
}

package org.sparselab.plugins.vdl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.onnxruntime.OrtEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparselab.api.NoConfig;
import org.sparselab.api.Task;
import org.sparselab.api.config.ConfigException;
import org.sparselab.api.data.Batch;
import org.sparselab.api.data.DataSpec;
import org.sparselab.api.metric.MetricAccumulator;
import org.sparselab.api.metric.MetricContext;
import org.sparselab.api.model.StepOutput;
import org.sparselab.api.train.OptimizerSpec;
import org.sparselab.api.train.TrainingSpec;
import org.sparselab.core.config.ConfigBinder;
import org.sparselab.core.onnx.OnnxModels;
import org.sparselab.core.onnx.OnnxVerifier;
import org.sparselab.core.onnx.OrtSessions;
import org.sparselab.core.testing.TestModelContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The VDL model's modules, metrics and schedule: spec vdl.md checks C4, C5, C9, C14, C16, C17, and its ONNX export. */
class VdlModelTest {

    /** A config from snake_case keys, bound as a run file would be. */
    static VdlModel.Config config(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return ConfigBinder.mapper().convertValue(m, VdlModel.Config.class);
    }

    static VdlModel.Instance create(NDManager m, int inputDim, int batch, Object... kv) {
        TrainingSpec training = new TrainingSpec(1, batch, 0, OptimizerSpec.defaults());
        return (VdlModel.Instance) new VdlModel().create(config(kv), new TestModelContext(DataSpec.of(new int[]{inputDim}, 0), m, training));
    }

    @Test
    void c4ParameterCountsOfTheOriginalsModules() {
        try (NDManager m = NDManager.newBaseManager()) {
            VdlModel.Instance mnist = create(m, 784, 250, "variant", "sdl", "code_dim", 128);
            assertEquals(116_864, mnist.encoderParameters());
            assertEquals(100_352, mnist.decoderParameters());
            VdlModel.Instance mnistNl = create(m, 784, 250, "variant", "vdl-nl", "code_dim", 128, "hidden_dim", 1024);
            assertEquals(116_864, mnistNl.encoderParameters());
            assertEquals(934_912, mnistNl.decoderParameters());
            VdlModel.Instance patches = create(m, 784, 250, "variant", "vdl", "code_dim", 256);
            assertEquals(266_496, patches.encoderParameters());
            assertEquals(200_704, patches.decoderParameters());
            VdlModel.Instance patchesNl = create(m, 784, 250, "variant", "sdl-nl", "code_dim", 256, "hidden_dim", 2048);
            assertEquals(2_131_968, patchesNl.decoderParameters());
            // the saved state is exactly the parameters
            long total = patchesNl.state().values().stream().mapToLong(NDArray::size).sum();
            assertEquals(266_496 + 2_131_968, total);
            for (VdlModel.Instance i : new VdlModel.Instance[]{mnist, mnistNl, patches, patchesNl}) {
                i.close();
            }
        }
    }

    @Test
    void c5ListaForwardOnAHandMadeTwoDimensionalExample() {
        try (NDManager m = NDManager.newBaseManager()) {
            VdlModel.Instance model = create(m, 2, 4, "variant", "vdl", "code_dim", 2, "code_reg", 1.0);
            // W (code x input), b, S (code x code) of the original; stored transposed
            double[][] w = {{0.8, -0.3}, {-0.5, 0.9}};
            double[] b = {0.1, -0.2};
            double[][] s = {{0.0, -0.6}, {-0.4, 0.2}};
            model.encW.set(new float[]{(float) w[0][0], (float) w[1][0], (float) w[0][1], (float) w[1][1]});
            model.encB.set(new float[]{(float) b[0], (float) b[1]});
            model.encS.set(new float[]{(float) s[0][0], (float) s[1][0], (float) s[0][1], (float) s[1][1]});
            double[][] ys = {{1.0, 0.5}, {-0.7, 1.2}, {0.3, -0.9}, {2.0, 2.0}};
            float[] flat = new float[8];
            for (int i = 0; i < 4; i++) {
                flat[2 * i] = (float) ys[i][0];
                flat[2 * i + 1] = (float) ys[i][1];
            }
            float[] got = model.encode(m.create(flat, new Shape(4, 2))).toFloatArray();
            for (int i = 0; i < 4; i++) {
                double[] bb = new double[2];
                for (int j = 0; j < 2; j++) {
                    bb[j] = w[j][0] * ys[i][0] + w[j][1] * ys[i][1] + b[j];
                }
                // ReLU(B + S·ReLU(B + S·ReLU(B + S·ReLU(B))))
                double[] z = {Math.max(bb[0], 0), Math.max(bb[1], 0)};
                for (int k = 0; k < 3; k++) {
                    double[] next = new double[2];
                    for (int j = 0; j < 2; j++) {
                        next[j] = Math.max(bb[j] + s[j][0] * z[0] + s[j][1] * z[1], 0);
                    }
                    z = next;
                }
                assertEquals(z[0], got[2 * i], 1e-6, "sample " + i + " unit 0");
                assertEquals(z[1], got[2 * i + 1], 1e-6, "sample " + i + " unit 1");
            }
            // the example exercises both sides of the ReLU
            boolean zero = false;
            boolean positive = false;
            for (float v : got) {
                zero |= v == 0;
                positive |= v > 0;
            }
            assertTrue(zero && positive);
            model.close();
        }
    }

    @Test
    void c9PsnrRules() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray y = m.randomNormal(new Shape(3, 784));
            // identical images: exactly 40 dB
            assertEquals(40.0, Psnr.mean(y, y, 0.3081, null), 0.0);
            // a constant error of 0.1 in pixel space: MSE 0.01 => 20 dB; in normalised space the error is 0.1 / 0.3081
            NDArray off = y.add(0.1f / 0.3081f);
            assertEquals(20.0, Psnr.mean(y, off, 0.3081, null), 1e-4);
            // the mean of per-image PSNRs, not the PSNR of the mean MSE: 20 dB, 40 dB (exact) and 30 dB => 30 dB
            float[] t = new float[3 * 784];
            float[] p = new float[3 * 784];
            for (int i = 0; i < 784; i++) {
                p[i] = 0.1f;
                p[2 * 784 + i] = (float) Math.sqrt(1e-3);
            }
            double[] per = Psnr.perImage(m.create(t, new Shape(3, 784)), m.create(p, new Shape(3, 784)), 1.0, null).toDoubleArray();
            assertEquals(20.0, per[0], 1e-4);
            assertEquals(40.0, per[1], 0.0);
            assertEquals(30.0, per[2], 1e-4);
            // LCN patches: x_pix = (x·s + m)·0.259 + 0.457 with the patch's own maps
            java.util.Random r = new java.util.Random(3);
            float[] x = new float[2 * 784];
            float[] xh = new float[2 * 784];
            float[] s = new float[2 * 784];
            float[] mm = new float[2 * 784];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) r.nextGaussian();
                xh[i] = x[i] + (float) (0.3 * r.nextGaussian());
                s[i] = (float) (0.1 + r.nextDouble());
                mm[i] = (float) r.nextGaussian();
            }
            double[] lcn = Psnr.perImage(m.create(x, new Shape(2, 784)), m.create(xh, new Shape(2, 784)), 0.259,
                    m.create(s, new Shape(2, 784))).toDoubleArray();
            for (int img = 0; img < 2; img++) {
                double mse = 0;
                for (int i = img * 784; i < (img + 1) * 784; i++) {
                    double a = (x[i] * (double) s[i] + mm[i]) * 0.259 + 0.457;
                    double b = (xh[i] * (double) s[i] + mm[i]) * 0.259 + 0.457;
                    mse += (a - b) * (a - b) / 784;
                }
                assertEquals(10 * Math.log10(1 / mse), lcn[img], 1e-6);
            }
            // the metric averages per-image values over the pass, weighted by batch size
            MetricAccumulator acc = new PsnrMetric().create(new PsnrMetric.Config(1.0),
                    new MetricContext(null, Task.RECONSTRUCTION, 4, m));
            NDArray zeros = m.zeros(new Shape(3, 784));
            acc.update(new StepOutput(zeros, null, null, m.create(p, new Shape(3, 784)), 0));
            acc.update(new StepOutput(zeros.get("0:1"), null, null, zeros.get("0:1"), 0));
            assertEquals((20 + 40 + 30 + 40) / 4.0, acc.result(null).get("psnr"), 1e-4);
        }
    }

    @Test
    void c16TheVdlNlDecoderLearningRateHalvesEveryThirtyEpochs() {
        VdlModel.Config c = config("variant", "vdl-nl");
        for (int epoch = 0; epoch < 200; epoch++) {
            double expected = epoch < 30 ? 3e-4 : epoch < 60 ? 1.5e-4 : epoch >= 180 ? 4.6875e-6 : Double.NaN;
            if (!Double.isNaN(expected)) {
                assertEquals(expected, c.decoderLr(epoch), 1e-15, "epoch " + epoch);
            }
        }
        assertEquals(3e-4 / 8, c.decoderLr(100), 1e-15);
        // the other variants keep their rate
        assertEquals(3e-4, config("variant", "vdl").decoderLr(150), 0.0);
        assertEquals(1e-3, config("variant", "sdl-nl").decoderLr(150), 0.0);
        // through the model: the rate changes in onEpochEnd, and each epoch's stats report the rate it trained with
        try (NDManager m = NDManager.newBaseManager()) {
            VdlModel.Instance model = create(m, 16, 8, "variant", "vdl-nl", "code_dim", 4, "hidden_dim", 8, "n_steps_inf", 5, "code_reg", 1.0);
            for (int epoch = 0; epoch < 61; epoch++) {
                if (epoch == 29 || epoch == 30) {
                    try (NDScope scope = new NDScope()) {
                        model.trainStep(new Batch(m.randomNormal(new Shape(8, 16)), null, new int[8]));
                    }
                    assertEquals(epoch < 30 ? 3e-4 : 1.5e-4, model.epochStats().get("lr_decoder"), 1e-15);
                }
                model.onEpochEnd(epoch);
                assertEquals(c.decoderLr(epoch + 1), model.adamD.lr(), 1e-15);
            }
            assertEquals(7.5e-5, model.adamD.lr(), 1e-15);
            model.close();
        }
    }

    @Test
    void c17CodesAreNonNegativeAndL0IsTheZeroFractionOfTheEncodersCodes() {
        Engine.getInstance().setRandomSeed(3);
        try (NDManager m = NDManager.newBaseManager()) {
            MetricAccumulator l0 = new L0Metric().create(new NoConfig(), new MetricContext(null, Task.RECONSTRUCTION, 4, m));
            l0.update(new StepOutput(m.zeros(new Shape(2, 3)), null, m.create(new float[]{0, 1, 0, 2, 0, 0, 0, 3}, new Shape(2, 4)), null, 0));
            assertEquals((2 / 4.0 + 3 / 4.0) / 2, l0.result(null).get("l0"), 1e-12);

            for (String variant : VdlModel.VARIANTS) {
                VdlModel.Instance model = create(m, 20, 16, "variant", variant, "code_dim", 12, "hidden_dim", 10, "n_steps_inf", 30, "code_reg", 1.0);
                for (int step = 0; step < 3; step++) {
                    try (NDScope scope = new NDScope()) {
                        NDArray x = m.randomNormal(new Shape(16, 20));
                        StepOutput out = model.trainStep(new Batch(x, null, new int[16]));
                        // the step's code is the encoder's prediction for the batch (before the step's updates)
                        assertEquals(16 * 12, out.code().size());
                        assertTrue(out.code().min().getFloat() >= 0, variant);
                        StepOutput ev = model.evaluate(new Batch(x, null, new int[16]));
                        assertTrue(ev.code().min().getFloat() >= 0, variant);
                        double zeros = ev.code().eq(0f).sum().getLong() / (double) ev.code().size();
                        MetricAccumulator acc = new L0Metric().create(new NoConfig(), new MetricContext(null, Task.RECONSTRUCTION, 12, m));
                        acc.update(ev);
                        assertEquals(zeros, acc.result(null).get("l0"), 1e-12);
                        // evaluate's code is encode(x)
                        assertEquals(0f, model.encode(x).sub(ev.code()).abs().max().getFloat(), 0f);
                    }
                }
                model.close();
            }
        }
    }

    @Test
    void c14ColumnNormalisationAfterEveryDecoderStep() {
        Engine.getInstance().setRandomSeed(4);
        try (NDManager m = NDManager.newBaseManager()) {
            VdlModel.Instance sdl = create(m, 30, 20, "variant", "sdl", "code_dim", 10, "lrt_d", 0.05, "n_steps_inf", 20);
            VdlModel.Instance sdlNl = create(m, 30, 20, "variant", "sdl-nl", "code_dim", 10, "hidden_dim", 14, "lrt_d", 0.05, "n_steps_inf", 20);
            VdlModel.Instance vdl = create(m, 30, 20, "variant", "vdl", "code_dim", 10, "lrt_d", 0.05, "n_steps_inf", 20);
            // at initialisation as well
            assertUnitRows(sdl.dict, "SDL atoms at init");
            assertUnitRows(sdlNl.w1, "SDL-NL W1 columns at init");
            assertUnitRows(sdlNl.w2, "SDL-NL W2 columns at init");
            for (int step = 0; step < 5; step++) {
                try (NDScope scope = new NDScope()) {
                    NDArray x = m.randomNormal(new Shape(20, 30));
                    for (VdlModel.Instance model : new VdlModel.Instance[]{sdl, sdlNl, vdl}) {
                        model.trainStep(new Batch(x, null, new int[20]));
                    }
                    assertUnitRows(sdl.dict, "SDL atoms after step " + step);
                    assertUnitRows(sdlNl.w1, "SDL-NL W1 columns after step " + step);
                    assertUnitRows(sdlNl.w2, "SDL-NL W2 columns after step " + step);
                }
            }
            // VDL: no projection (the rows' norms are whatever Adam made of the U(±1/√d) init)
            float[] norms = vdl.dict.norm(new int[]{1}).toFloatArray();
            int off = 0;
            for (float n : norms) {
                off += Math.abs(n - 1) > 1e-3 ? 1 : 0;
            }
            assertTrue(off > 0, "VDL's dictionary is not projected");
            for (VdlModel.Instance i : new VdlModel.Instance[]{sdl, sdlNl, vdl}) {
                i.close();
            }
        }
    }

    private static void assertUnitRows(NDArray w, String what) {
        try (NDScope scope = new NDScope()) {
            float[] norms = w.norm(new int[]{1}).toFloatArray();
            for (int i = 0; i < norms.length; i++) {
                assertEquals(1.0, norms[i], 1e-6, what + ", column " + i);
            }
        }
    }

    @Test
    void trainingStepsDoNotAccumulateArrays() {
        Engine.getInstance().setRandomSeed(6);
        try (NDManager m = NDManager.newBaseManager()) {
            for (String variant : VdlModel.VARIANTS) {
                VdlModel.Instance model = create(m, 20, 16, "variant", variant, "code_dim", 8, "hidden_dim", 12, "n_steps_inf", 15, "code_reg", 1.0);
                NDArray x = m.randomNormal(new Shape(16, 20));
                int before = -1;
                for (int step = 0; step < 6; step++) {
                    try (NDScope scope = new NDScope()) {
                        model.trainStep(new Batch(x, null, new int[16]));
                        model.evaluate(new Batch(x, null, new int[16]));
                    }
                    if (step == 1) {
                        before = m.getManagedArrays().size();
                    }
                }
                model.onEpochEnd(0);
                assertTrue(model.epochStats().containsKey("energy"));
                assertEquals(before, m.getManagedArrays().size(), variant + ": arrays per step are freed");
                model.close();
            }
        }
    }

    @Test
    void configDefaultsFollowTheVariantsMnistScriptsAndExplicitKeysWin() {
        VdlModel.Config sdl = config("variant", "sdl");
        assertEquals("linear", sdl.decoder());
        assertEquals(1.0, sdl.normDecoder());
        assertEquals(0.0, sdl.varianceReg());
        assertEquals(1.0, sdl.codeReg());
        assertEquals(0.005, sdl.sparsityReg());
        assertEquals(3e-4, sdl.lrtE());
        VdlModel.Config vdlNl = config("variant", "vdl-nl");
        assertEquals("one_hidden", vdlNl.decoder());
        assertEquals(0.0, vdlNl.normDecoder());
        assertEquals(10.0, vdlNl.varianceReg());
        assertEquals(100.0, vdlNl.codeReg());
        assertEquals(0.001, vdlNl.weightDecayDecBias());
        assertEquals(30, vdlNl.annealLrDecFreq());
        VdlModel.Config ablation = config("variant", "sdl", "norm_decoder", 0.0, "n_steps_inf", 10, "weight_decay_enc_bias", 0.01);
        assertEquals(0.0, ablation.normDecoder());
        assertEquals(10, ablation.nStepsInf());
        assertEquals(0.01, ablation.weightDecayEncBias());
        assertThrows(IllegalArgumentException.class, () -> config("variant", "vdl-xl"));
        // vdl-nl's γ = 100 at d = 128 with η = 0.5 is stable (η·2γ/d = 0.78); at d = 16 FISTA would diverge
        config("variant", "vdl-nl", "code_dim", 128);
        IllegalArgumentException diverges = assertThrows(IllegalArgumentException.class, () -> config("variant", "vdl-nl", "code_dim", 16));
        assertTrue(diverges.getMessage().contains("lrt_z") && diverges.getMessage().contains("diverge"), diverges.getMessage());
        assertThrows(IllegalArgumentException.class, () -> config("variant", "vdl", "lambda", 0.1));
        try (NDManager m = NDManager.newBaseManager()) {
            TrainingSpec sgd = new TrainingSpec(1, 8, 0, new OptimizerSpec("sgd", 0.1, null, null, null, null, null, null));
            ConfigException e = assertThrows(ConfigException.class, () -> new VdlModel().create(config(),
                    new TestModelContext(DataSpec.of(new int[]{4}, 0), m, sgd)));
            assertTrue(e.getMessage().contains("training.optimizer.id") && e.getMessage().contains("lrt_d"), e.getMessage());
        }
    }

    @Test
    void onnxEncoderAndPipelineMatchJava(@TempDir Path dir) throws Exception {
        Engine.getInstance().setRandomSeed(9);
        try (NDManager m = NDManager.newBaseManager()) {
            for (String variant : new String[]{"vdl", "sdl-nl"}) {
                VdlModel.Instance model = create(m, 36, 16, "variant", variant, "code_dim", 12, "hidden_dim", 20, "n_steps_inf", 20);
                // train a little so that the bias and S are not at their init
                for (int step = 0; step < 3; step++) {
                    try (NDScope scope = new NDScope()) {
                        model.trainStep(new Batch(m.randomNormal(new Shape(16, 36)), null, new int[16]));
                    }
                }
                assertNotEquals(0f, model.encB.abs().sum().getFloat());
                NDArray x = m.randomNormal(new Shape(32, 36));
                float[] xs = x.toFloatArray();
                for (OnnxModels.Part part : OnnxModels.Part.values()) {
                    int width = part == OnnxModels.Part.ENCODER ? 12 : 36;
                    var proto = OnnxModels.build(model, part, 36, width, Map.of()).orElseThrow();
                    Path f = dir.resolve(variant + "-" + part + ".onnx");
                    Files.write(f, proto.toByteArray());
                    try (OrtSessions.Opened ort = OrtSessions.open(f, false)) {
                        float[] onnx = OnnxVerifier.run(OrtEnvironment.getEnvironment(), ort.session(), part.outputName(), xs, 32, 36);
                        float[] java = (part == OnnxModels.Part.ENCODER ? model.encode(x) : model.predict(x).orElseThrow()).toFloatArray();
                        assertEquals(java.length, onnx.length);
                        for (int i = 0; i < java.length; i++) {
                            assertEquals(java[i], onnx[i], 1e-5, variant + " " + part + " entry " + i);
                        }
                    }
                }
                model.close();
            }
        }
    }
}

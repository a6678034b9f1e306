package org.sparselab.plugins.sdmtopk;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.sparselab.api.Task;
import org.sparselab.api.config.ConfigException;
import org.sparselab.api.data.Batch;
import org.sparselab.api.data.DataSpec;
import org.sparselab.api.model.StepOutput;
import org.sparselab.api.model.TrainableModel;
import org.sparselab.api.train.OptimizerSpec;
import org.sparselab.api.train.TrainingSpec;
import org.sparselab.core.testing.TestModelContext;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReluFfnModelTest {

    private static NoiseConfig noise(String type, double sigma) {
        return new NoiseConfig(type, sigma, null, null, null, null, null, null);
    }

    @Test
    void noiseDistributionsHaveTheirMoments() {
        Engine.getInstance().setRandomSeed(1);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray zero = m.zeros(new Shape(200, 500));
            double[][] cases = {
                    // type, sigma, expected mean, expected variance
                    {0, 0.5, 0, 0.25}, {1, 0.5, 0, 2 * 0.25}, {2, 2.0, 0.5, 0.25}, {3, 3.0, 3.0, 3.0}};
            String[] types = {"normal", "laplace", "exponential", "poisson"};
            for (double[] c : cases) {
                NoiseLayer layer = new NoiseLayer(noise(types[(int) c[0]], c[1]), 3);
                NDArray e = layer.apply(zero);
                double mean = e.mean().getFloat();
                double var = e.sub(mean).square().mean().getFloat();
                assertEquals(c[2], mean, 0.03 + 0.02 * Math.abs(c[2]), types[(int) c[0]] + " mean");
                assertEquals(c[3], var, 0.05 * c[3] + 0.01, types[(int) c[0]] + " variance");
            }
            // the rerun variant: exponential with mean σ
            NoiseConfig meanSigma = new NoiseConfig("exponential", 2.0, true, null, null, null, null, null);
            assertEquals(2.0, new NoiseLayer(meanSigma, 3).apply(zero).mean().getFloat(), 0.05);
        }
    }

    @Test
    void annealingIsLinearAfterItsStart() {
        NoiseConfig c = new NoiseConfig("normal", 0.8, null, null, 10, 20, 0.0, null);
        assertEquals(0.8, c.sigmaAt(10), 1e-12);
        assertEquals(0.4, c.sigmaAt(20), 1e-12);
        assertEquals(0.0, c.sigmaAt(30), 1e-12);
        assertEquals(0.0, c.sigmaAt(100), 1e-12);
    }

    @Test
    void reconstructsTheCleanInputFromNoisyInputs() {
        Engine.getInstance().setRandomSeed(4);
        try (NDManager m = NDManager.newBaseManager()) {
            DataSpec spec = DataSpec.of(new int[]{16}, 0);
            TestModelContext ctx = new TestModelContext(spec, m, new TrainingSpec(1, 64, 1.0, new OptimizerSpec("adam", 0.01, null, null, null, null, null, null)));
            ReluFfnModel.Config cfg = new ReluFfnModel.Config(List.of(64), null, null, null, null, null, noise("normal", 0.1), null);
            TrainableModel model = new ReluFfnModel().create(cfg, ctx);
            assertEquals(Task.RECONSTRUCTION, model.task());
            NDArray basis = m.randomUniform(0, 1, new Shape(4, 16));
            double first = Double.NaN;
            double last = Double.NaN;
            for (int i = 0; i < 300; i++) {
                try (NDScope s = new NDScope()) {
                    NDScope.unregister(basis);
                    NDArray x = m.randomUniform(0, 1, new Shape(64, 4)).matMul(basis);
                    StepOutput out = model.trainStep(new Batch(x, null, new int[64]));
                    if (i == 0) {
                        first = out.loss();
                    }
                    last = out.loss();
                }
            }
            assertTrue(last < first * 0.2, "reconstruction loss " + first + " -> " + last);
            model.close();
        }
    }

    @Test
    void inhibitoryCircuitWithDefaultsIsReluOfMuZeroMinusCReluMuZero() {
        Engine.getInstance().setRandomSeed(6);
        try (NDManager m = NDManager.newBaseManager()) {
            DataSpec spec = DataSpec.of(new int[]{5}, 2);
            for (String type : new String[]{"all_to_all", "interneuron"}) {
                ReluFfnModel.Config cfg = new ReluFfnModel.Config(List.of(6), "classification", false, null, null, null, null,
                        new InhibCircuitConfig(type, null, null, null));
                TrainableModel model = new ReluFfnModel().create(cfg, new TestModelContext(spec, m));
                NDArray x = m.randomNormal(new Shape(4, 5));
                var st = model.state();
                NDArray mu0 = x.matMul(st.get("w0").transpose());
                NDArray z = mu0.maximum(0f);
                NDArray cz = type.equals("all_to_all") ? z.matMul(st.get("inhib0_0").transpose())
                        : z.matMul(st.get("inhib0_0").transpose()).add(st.get("inhib0_1")).maximum(0f).matMul(st.get("inhib0_2").transpose());
                NDArray expected = mu0.sub(cz).maximum(0f);
                assertTrue(model.encode(x).sub(expected).abs().max().getFloat() < 1e-5, type);
                model.close();
            }
        }
    }

    @Test
    void tiedDecoderAndMultiLayerShapes() {
        try (NDManager m = NDManager.newBaseManager()) {
            DataSpec spec = DataSpec.of(new int[]{10}, 3);
            TrainableModel tied = new ReluFfnModel().create(new ReluFfnModel.Config(List.of(7), "reconstruction", null, null, true, null, null, null),
                    new TestModelContext(spec, m));
            assertEquals(new Shape(5, 10), tied.predict(m.ones(new Shape(5, 10))).orElseThrow().getShape());
            TrainableModel deep = new ReluFfnModel().create(new ReluFfnModel.Config(List.of(12, 6), null, null, null, null, null, null, null),
                    new TestModelContext(spec, m));
            assertEquals(Task.CLASSIFICATION, deep.task());
            assertEquals(6, deep.codeSize());
            assertEquals(new Shape(5, 3), deep.predict(m.ones(new Shape(5, 10))).orElseThrow().getShape());
            assertThrows(ConfigException.class, () -> new ReluFfnModel.Config(List.of(4, 4), null, null, null, true, null, null, null));
        }
    }
}

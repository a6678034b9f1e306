package org.sparselab.core.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;
import org.sparselab.api.train.OptimizerSpec;
import org.sparselab.api.train.ParameterSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class DjlUpdaterTest {

    private static OptimizerSpec sgd(double lr) {
        return new OptimizerSpec("sgd", lr, null, null, null, null, null, null);
    }

    @Test
    void clipsTheGlobalGradientNormLikeTorch() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.create(new float[]{1, 2});
            NDArray b = m.create(new float[]{3});
            ParameterSet ps = new ParameterSet().weight("w", w).bias("b", b);
            DjlUpdater u = new DjlUpdater(ps, sgd(1.0), 1.0);
            try (NDScope s = new NDScope(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                // d/dw = [3, 4]*... : loss = 3*w0 + 4*w1 + 0*b -> grad norm 5
                NDArray loss = w.mul(m.create(new float[]{3, 4})).sum().add(b.mul(0f).sum());
                gc.backward(loss);
            }
            double norm = u.step();
            assertEquals(5.0, norm, 1e-6);
            // step = lr * grad / 5 -> w - [0.6, 0.8]
            assertArrayEquals(new float[]{0.4f, 1.2f}, w.toFloatArray(), 1e-5f);
            assertArrayEquals(new float[]{0f}, w.getGradient().toFloatArray().length == 2 ? new float[]{0f} : null);
            assertArrayEquals(new float[]{0, 0}, w.getGradient().toFloatArray(), 0f, "gradients are zeroed after the step");
        }
    }

    @Test
    void optimiserStateSurvivesTheStepScopeForEveryOptimiser() {
        for (String id : OptimizerSpec.IDS) {
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray w = m.create(new float[]{1, -1, 2});
                DjlUpdater u = new DjlUpdater(new ParameterSet().weight("w", w),
                        new OptimizerSpec(id, 0.01, null, null, null, null, null, null), 0);
                for (int step = 0; step < 3; step++) {
                    try (NDScope s = new NDScope()) {
                        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                            gc.backward(w.square().sum());
                        }
                        u.step();
                    }
                }
                float[] v = w.toFloatArray();
                assertEquals(3, v.length);
                for (float x : v) {
                    assertEquals(false, Float.isNaN(x), id);
                }
                assertEquals(true, Math.abs(v[0]) < 1f, id + " moved the weight towards 0: " + v[0]);
            }
        }
    }

    @Test
    void sgdWithMomentumFollowsTorchAndLrScaleMultipliesTheRate() {
        // torch.optim.SGD(lr=0.1, momentum=0.9) on loss = sum(c * w) with constant gradient c:
        // buf1 = c, buf2 = 1.9 c, buf3 = 2.71 c; w3 = w0 - 0.1 * (1 + 1.9 + 2.71) c. The scaled array moves 3x as far.
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.create(new float[]{1, 2});
            NDArray k = m.create(new float[]{5});
            NDArray c = m.create(new float[]{0.5f, -1f});
            ParameterSet ps = new ParameterSet().weight("w", w).add("k", k, false, 3.0);
            DjlUpdater u = new DjlUpdater(ps, new OptimizerSpec("sgdm", 0.1, 0.9, null, null, null, null, null), 0);
            for (int step = 0; step < 3; step++) {
                try (NDScope s = new NDScope()) {
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        gc.backward(w.mul(c).sum().add(k.sum()));
                    }
                    u.step();
                }
            }
            float f = 0.1f * (1 + 1.9f + 2.71f);
            assertArrayEquals(new float[]{1 - f * 0.5f, 2 + f}, w.toFloatArray(), 1e-5f);
            assertArrayEquals(new float[]{5 - 3 * f}, k.toFloatArray(), 1e-5f);
        }
    }
}

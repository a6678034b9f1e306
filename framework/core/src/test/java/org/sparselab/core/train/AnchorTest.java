package org.sparselab.core.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;
import org.sparselab.api.train.OptimizerSpec;
import org.sparselab.api.train.ParameterSet;
import org.sparselab.core.config.RegularizerConfig;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class AnchorTest {
    @Test
    void l2AnchorPullsWeightsBackWithGradientTwoLambdaOmegaDelta() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.create(new float[]{1, 2});
            DjlUpdater u = new DjlUpdater(new ParameterSet().weight("w", w), new OptimizerSpec("sgd", 1.0, null, null, null, null, null, null), 0);
            Regularizers.consolidate(new RegularizerConfig("l2", 0.5, null, null, null, null), null, List.of(u), null, 1);
            w.set(new float[]{3, 2});
            try (NDScope s = new NDScope()) {
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.backward(w.mul(0f).sum());
                }
                u.step();
            }
            // grad = 2 * 0.5 * 1 * ([3, 2] - [1, 2]) = [2, 0]; SGD lr 1
            assertArrayEquals(new float[]{1, 2}, w.toFloatArray(), 1e-6f);
        }
    }

    @Test
    void siImportanceIsThePathIntegralOverTheSquaredChange() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.create(new float[]{0, 0});
            DjlUpdater u = new DjlUpdater(new ParameterSet().weight("w", w), new OptimizerSpec("sgd", 0.5, null, null, null, null, null, null), 0);
            Regularizers.start(new RegularizerConfig("si", 1.0, null, null, null, 0.1), List.of(u));
            // loss = -(w0) - 2 w1: gradient (-1, -2), SGD 0.5 moves w by (0.5, 1) per step
            for (int step = 0; step < 2; step++) {
                try (NDScope s = new NDScope()) {
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        gc.backward(w.mul(m.create(new float[]{-1, -2})).sum());
                    }
                    u.step();
                }
            }
            assertArrayEquals(new float[]{1, 2}, w.toFloatArray(), 1e-6f);
            Regularizers.consolidate(new RegularizerConfig("si", 1.0, null, null, null, 0.1), null, List.of(u), null, 1);
            // ω = Σ -g·Δθ = (2 × 0.5, 2 × 2) = (1, 4); Ω = ω / (Δ² + 0.1) = (1 / 1.1, 4 / 4.1)
            assertArrayEquals(new float[]{1 / 1.1f, 4 / 4.1f}, u.anchor().importance(0).toFloatArray(), 1e-5f);
        }
    }
}

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
            Regularizers.consolidate(new RegularizerConfig("l2", 0.5, null, null, null), null, List.of(u), null, 1);
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
}

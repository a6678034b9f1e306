package org.sparselab.plugins.topk;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.engine.Engine;
import org.junit.jupiter.api.Test;
import org.sparselab.api.Mode;
import org.sparselab.api.config.ConfigException;
import org.sparselab.api.sparsity.SparsifierContext;
import org.sparselab.api.sparsity.SparsityOp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TopKSparsifierTest {

    private static SparsityOp op(int k, boolean relu, int units, NDManager m) {
        return new TopKSparsifier().create(new TopKSparsifier.Config(k, relu, null, null, null), new SparsifierContext(units, m, 1, 1, 1));
    }

    @Test
    void keepsExactlyTheKLargestPerRow() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(new float[]{5, -1, 3, 9, 2, 7, 0.5f, 4, 8, 1, 6, 3.5f}, new ai.djl.ndarray.types.Shape(2, 6));
            float[] out = op(3, true, 6, m).apply(a, Mode.TRAIN).toFloatArray();
            assertArrayEquals(new float[]{5, 0, 0, 9, 0, 7, 0, 4, 8, 0, 6, 0}, out, 0f);
        }
    }

    @Test
    void reluZeroesNegativeSurvivors() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(new float[]{-1, -2, -3, 4}, new ai.djl.ndarray.types.Shape(1, 4));
            assertArrayEquals(new float[]{-1, -2, 0, 4}, op(3, false, 4, m).apply(a, Mode.INFERENCE).toFloatArray(), 0f);
            assertArrayEquals(new float[]{0, 0, 0, 4}, op(3, true, 4, m).apply(a, Mode.INFERENCE).toFloatArray());
        }
    }

    @Test
    void randomRowsHaveKNonzeros() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            NDArray a = m.randomNormal(new ai.djl.ndarray.types.Shape(64, 1000)).abs().add(1e-3f);
            NDArray out = op(50, true, 1000, m).apply(a, Mode.TRAIN);
            long[] counts = out.gt(0).sum(new int[]{1}).toLongArray();
            for (long c : counts) {
                assertEquals(50, c);
            }
        }
    }

    @Test
    void gradientFlowsOnlyThroughKeptUnits() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(new float[]{1, 4, 2, 3}, new ai.djl.ndarray.types.Shape(1, 4));
            a.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = op(2, true, 4, m).apply(a, Mode.TRAIN).sum();
                gc.backward(y);
            }
            assertArrayEquals(new float[]{0, 1, 0, 1}, a.getGradient().toFloatArray());
        }
    }

    @Test
    void kLargerThanLayerIsAConfigError() {
        try (NDManager m = NDManager.newBaseManager()) {
            ConfigException e = assertThrows(ConfigException.class, () -> op(11, true, 10, m));
            assertEquals("k", e.key());
        }
        assertThrows(ConfigException.class, () -> new TopKSparsifier.Config(0, true, null, null, null));
    }
}

package org.sparselab.plugins.sdmmemory;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spec sdm.md §10 check 15: invariants of the associative memories. */
class MemoriesTest {

    private static NDArray binaryPatterns(NDManager m, int count, int n, long seed) {
        return m.create(Convergence.randomUniform(new Random(seed), count, n), new Shape(count, n)).gt(0f).toType(DataType.FLOAT32, false);
    }

    @Test
    void unperturbedQueriesReturnTheirPatternsWithInfiniteNeurons() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray p = binaryPatterns(m, 128, 64, 3);
            NDArray unit = p.mul(2f).sub(1f);
            unit = unit.div(unit.norm(new int[]{1}, true));
            for (Memories.Kind k : new Memories.Kind[]{Memories.Kind.BINARY_SDM, Memories.Kind.BINARY_ATTENTION_BFIT,
                    Memories.Kind.CONT_SDM, Memories.Kind.CONT_ATTENTION_BFIT, Memories.Kind.CONT_ATTENTION_CFIT}) {
                NDArray patterns = k.binary() ? p : unit;
                Memories mem = new Memories(k, patterns, 11, Math.pow(2, 64), 1, false);
                int[] steps = new int[1];
                NDArray out = Convergence.converge(mem, patterns, k.binary(), 20, steps);
                for (float c : Convergence.cosines(out, patterns, k.binary())) {
                    assertEquals(1.0, c, 1e-4, k.toString());
                }
            }
        }
    }

    @Test
    void perturbedBinaryQueriesAreCorrectedWithinTheRadius() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray p = binaryPatterns(m, 64, 64, 4);
            NDArray q = Convergence.perturbBinary(p, 6, new Random(1));
            float[] before = Convergence.cosines(q, p, true);
            for (float c : before) {
                assertEquals(1 - 2 * 6 / 64.0, c, 1e-6, "exactly h bits flipped");
            }
            Memories mem = new Memories(Memories.Kind.BINARY_SDM, p, 11, Math.pow(2, 64), 1, false);
            float[] after = Convergence.cosines(Convergence.converge(mem, q, true, 20, new int[1]), p, true);
            double mean = 0;
            for (float c : after) {
                mean += c / after.length;
            }
            assertTrue(mean > 0.99, "binary SDM restores the patterns: " + mean);
        }
    }

    @Test
    void aQueryWithNoWeightKeepsItsValue() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray p = m.create(new float[]{1, 1, 1, 1, 1, 1, 1, 1}, new Shape(1, 8));
            NDArray far = m.create(new float[]{0, 0, 0, 0, 0, 0, 0, 0}, new Shape(1, 8));
            Memories mem = new Memories(Memories.Kind.BINARY_SDM, p, 1, 256, 1, false); // d = 1: circles 8 apart never meet
            assertArrayEquals(far.toFloatArray(), mem.update(far).toFloatArray());
        }
    }

    @Test
    void perturbedContinuousQueriesHaveTheTargetCosine() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray raw = m.create(Convergence.randomUniform(new Random(5), 32, 64), new Shape(32, 64));
            NDArray q = Convergence.perturbContinuous(raw, 8, 64, false, new Random(2));
            for (float c : Convergence.cosines(q, raw, false)) {
                assertEquals(1 - 2 * 8 / 64.0, c, 1e-5);
            }
        }
    }
}

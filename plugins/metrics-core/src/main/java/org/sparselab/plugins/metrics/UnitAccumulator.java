package org.sparselab.plugins.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;

/**
 * A per-unit running sum kept on the engine, so a batch costs one reduction and one in-place add.
 * Created lazily with the code width; kept out of the step's NDScope.
 */
final class UnitAccumulator {
    private final NDManager manager;
    private NDArray sum;

    UnitAccumulator(NDManager manager) {
        this.manager = manager;
    }

    /** Adds {@code perUnit} ([units]) to the running sum. */
    void add(NDArray perUnit) {
        if (sum == null) {
            sum = manager.zeros(perUnit.getShape(), perUnit.getDataType(), perUnit.getDevice());
            NDScope.unregister(sum);
        }
        sum.addi(perUnit);
    }

    /** The sum as Java floats, or null when nothing was added. */
    float[] values() {
        return sum == null ? null : sum.toFloatArray();
    }

    void reset() {
        if (sum != null) {
            sum.close();
            sum = null;
        }
    }
}

package org.sparselab.plugins.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;

/**
 * A per-unit running sum ({@code [units]}, float32) kept on the engine, so a batch costs one in-place add and
 * no host sync. Created lazily with the code width on the code's device.
 */
final class UnitAccumulator {
    private final NDManager manager;
    private NDArray total;

    UnitAccumulator(NDManager manager) {
        this.manager = manager;
    }

    /** Adds {@code perUnit} ({@code [units]}, any numeric or boolean type) to the running sum. */
    void add(NDArray perUnit) {
        NDArray v = perUnit.toType(DataType.FLOAT32, false);
        if (total == null) {
            // created during the caller's step NDScope, which would otherwise close it with the step's arrays
            total = manager.zeros(v.getShape(), DataType.FLOAT32, v.getDevice());
            NDScope.unregister(total);
        }
        total.addi(v);
    }

    /** The sum as Java floats (the pass's one host sync), or null when nothing was added. */
    float[] values() {
        return total == null ? null : total.toFloatArray();
    }

    void reset() {
        if (total != null) {
            total.close();
            total = null;
        }
    }
}

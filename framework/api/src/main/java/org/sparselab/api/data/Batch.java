package org.sparselab.api.data;

import ai.djl.ndarray.NDArray;

/**
 * A batch on the engine's device.
 *
 * @param x features {@code [n, inputDim]} float32
 * @param y labels {@code [n]} int64, or null when unlabelled
 * @param indices the samples' indices in their split
 */
public record Batch(NDArray x, NDArray y, int[] indices) {
    public int size() {
        return indices.length;
    }
}

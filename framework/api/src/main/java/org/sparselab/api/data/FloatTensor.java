package org.sparselab.api.data;

import java.util.Arrays;

/** An engine-neutral dense float tensor (row-major), e.g. a dataset's ground-truth dictionary. */
public record FloatTensor(float[] data, int[] shape) {
    public FloatTensor {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
        }
    }

    public int rows() {
        return shape[0];
    }

    public int cols() {
        return data.length / Math.max(1, shape[0]);
    }
}

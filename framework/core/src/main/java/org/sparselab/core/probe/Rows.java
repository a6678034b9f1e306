package org.sparselab.core.probe;

import java.util.Arrays;

/**
 * Samples of one split as sparse rows (compressed: only non-zero entries), with their labels and the split
 * indices they came from. Codes are mostly zeros, so this holds a 55000 x 10000 code matrix in tens of MB
 * instead of gigabytes, and it is exactly what Tribuo's sparse examples are built from.
 */
final class Rows {
    private final int width;
    private final int[] start;
    private final int[] col;
    private final float[] val;
    private final int[] label;
    private final int[] index;

    private Rows(int width, int[] start, int[] col, float[] val, int[] label, int[] index) {
        this.width = width;
        this.start = start;
        this.col = col;
        this.val = val;
        this.label = label;
        this.index = index;
    }

    int width() {
        return width;
    }

    int size() {
        return label.length;
    }

    int label(int row) {
        return label[row];
    }

    int[] labels() {
        return label.clone();
    }

    /** Index of the row in its split. */
    int index(int row) {
        return index[row];
    }

    int nonZeros(int row) {
        return start[row + 1] - start[row];
    }

    int column(int row, int j) {
        return col[start[row] + j];
    }

    float value(int row, int j) {
        return val[start[row] + j];
    }

    /** Rows {@code from .. from + n - 1} as a dense row-major matrix. */
    float[] dense(int from, int n) {
        float[] out = new float[n * width];
        for (int r = 0; r < n; r++) {
            for (int p = start[from + r]; p < start[from + r + 1]; p++) {
                out[r * width + col[p]] = val[p];
            }
        }
        return out;
    }

    /** Appends dense row-major blocks. */
    static final class Builder {
        private final int width;
        private final int[] label;
        private final int[] index;
        private final int[] start;
        private int[] col = new int[1024];
        private float[] val = new float[1024];
        private int rows;
        private int nnz;

        /** @param index split indices of the rows to come, in order; labels are given with each block */
        Builder(int width, int[] index) {
            this.width = width;
            this.index = index.clone();
            this.label = new int[index.length];
            this.start = new int[index.length + 1];
        }

        Builder add(float[] dense, int n, int[] labels) {
            if (dense.length != n * width) {
                throw new IllegalArgumentException(dense.length + " values for " + n + " rows of width " + width);
            }
            for (int r = 0; r < n; r++) {
                for (int j = 0; j < width; j++) {
                    float v = dense[r * width + j];
                    if (v != 0f) {
                        if (nnz == col.length) {
                            col = Arrays.copyOf(col, col.length * 2);
                            val = Arrays.copyOf(val, val.length * 2);
                        }
                        col[nnz] = j;
                        val[nnz++] = v;
                    }
                }
                label[rows] = labels[r];
                start[++rows] = nnz;
            }
            return this;
        }

        Rows build() {
            if (rows != index.length) {
                throw new IllegalStateException(rows + " rows added, " + index.length + " expected");
            }
            return new Rows(width, start, Arrays.copyOf(col, nnz), Arrays.copyOf(val, nnz), label, index);
        }
    }
}

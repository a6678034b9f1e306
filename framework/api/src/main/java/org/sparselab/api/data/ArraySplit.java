package org.sparselab.api.data;

import java.util.Arrays;

/** A split held in memory as a row-major float matrix and int labels. The arrays are not copied. */
public final class ArraySplit implements Split {
    private final String name;
    private final float[] features;
    private final int[] labels;
    private final int dim;
    private final int size;

    /**
     * @param features row-major {@code [size, dim]}
     * @param labels one per sample, or null when unlabelled
     */
    public ArraySplit(String name, float[] features, int[] labels, int dim) {
        if (dim < 1 || features.length % dim != 0) {
            throw new IllegalArgumentException("features length " + features.length + " is not a multiple of dim " + dim);
        }
        this.size = features.length / dim;
        if (labels != null && labels.length != size) {
            throw new IllegalArgumentException(name + ": " + labels.length + " labels for " + size + " samples");
        }
        this.name = name;
        this.features = features;
        this.labels = labels;
        this.dim = dim;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int inputDim() {
        return dim;
    }

    @Override
    public int label(int index) {
        return labels == null ? -1 : labels[index];
    }

    @Override
    public int[] labels() {
        return labels == null ? super_labels() : labels.clone();
    }

    private int[] super_labels() {
        int[] y = new int[size];
        Arrays.fill(y, -1);
        return y;
    }

    @Override
    public void copySample(int index, float[] dst, int offset) {
        System.arraycopy(features, index * dim, dst, offset, dim);
    }
}

package org.sparselab.api.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * One split of a dataset (train, val, test, or a view of one). Samples are addressed by index;
 * the framework decides the order (seeded shuffling) and asks for batches of indices.
 */
public interface Split {

    /** Name used in metrics and logs, e.g. {@code train} or {@code test[0,1]}. */
    String name();

    int size();

    /** Flattened sample length. */
    int inputDim();

    /** Label of sample i, or -1 when the split is unlabelled. */
    int label(int index);

    /**
     * Writes sample {@code index}, flattened, into {@code dst} at {@code offset}. Implementations must be
     * deterministic for a given index (generators seed per index) and safe to call from one thread at a time.
     */
    void copySample(int index, float[] dst, int offset);

    /** All labels, in index order (a copy). */
    default int[] labels() {
        int[] y = new int[size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = label(i);
        }
        return y;
    }

    default boolean labelled() {
        return size() == 0 || label(0) >= 0;
    }

    /** Features of the given samples as a row-major {@code [n, inputDim]} array. */
    default float[] features(int[] indices) {
        int dim = inputDim();
        float[] x = new float[indices.length * dim];
        for (int i = 0; i < indices.length; i++) {
            copySample(indices[i], x, i * dim);
        }
        return x;
    }

    /** A batch on the manager's device: features {@code [n, inputDim]} float32, labels int64 (if labelled). */
    default Batch batch(int[] indices, NDManager manager) {
        float[] x = features(indices);
        NDArray features = manager.create(FloatBuffer.wrap(x), new Shape(indices.length, inputDim()), DataType.FLOAT32);
        NDArray labels = null;
        if (labelled()) {
            long[] y = new long[indices.length];
            for (int i = 0; i < indices.length; i++) {
                y[i] = label(indices[i]);
            }
            labels = manager.create(y);
        }
        return new Batch(features, labels, indices.clone());
    }

    /** The samples whose label is one of {@code classes}, in their original order (for continual-learning tasks). */
    default Split withClasses(int... classes) {
        boolean[] keep = new boolean[Arrays.stream(classes).max().orElse(-1) + 1];
        for (int c : classes) {
            keep[c] = true;
        }
        int[] idx = new int[size()];
        int n = 0;
        for (int i = 0; i < size(); i++) {
            int y = label(i);
            if (y >= 0 && y < keep.length && keep[y]) {
                idx[n++] = i;
            }
        }
        return new IndexedSplit(this, Arrays.copyOf(idx, n), name() + Arrays.toString(classes).replace(" ", ""));
    }

    /** The given samples of this split, in the given order. */
    default Split select(int[] indices, String name) {
        return new IndexedSplit(this, indices.clone(), name);
    }
}

package org.sparselab.api.data;

import java.util.Arrays;
import java.util.List;

/**
 * Shapes and labels of a dataset, which is what a model needs to build its parameters.
 *
 * @param sampleShape shape of one sample, e.g. {@code [1, 28, 28]} for a grey image or {@code [256]} for a vector
 * @param numClasses number of classes, 0 for unlabelled data
 * @param classNames display names of the classes (size numClasses)
 */
public record DataSpec(int[] sampleShape, int numClasses, List<String> classNames) {

    public DataSpec {
        if (sampleShape == null || sampleShape.length == 0) {
            throw new IllegalArgumentException("sampleShape must have at least one dimension");
        }
        for (int d : sampleShape) {
            if (d < 1) {
                throw new IllegalArgumentException("sampleShape has a non-positive dimension: " + Arrays.toString(sampleShape));
            }
        }
        sampleShape = sampleShape.clone();
        classNames = classNames == null ? defaultNames(numClasses) : List.copyOf(classNames);
        if (classNames.size() != numClasses) {
            throw new IllegalArgumentException("classNames has " + classNames.size() + " names for " + numClasses + " classes");
        }
    }

    public static DataSpec of(int[] sampleShape, int numClasses) {
        return new DataSpec(sampleShape, numClasses, null);
    }

    private static List<String> defaultNames(int n) {
        String[] names = new String[n];
        for (int i = 0; i < n; i++) {
            names[i] = Integer.toString(i);
        }
        return List.of(names);
    }

    /** Length of a flattened sample. */
    public int inputDim() {
        int n = 1;
        for (int d : sampleShape) {
            n *= d;
        }
        return n;
    }

    @Override
    public int[] sampleShape() {
        return sampleShape.clone();
    }

    /** True for {@code [channels, height, width]} samples, which plots show as images. */
    public boolean isImage() {
        return sampleShape.length == 3 && (sampleShape[0] == 1 || sampleShape[0] == 3);
    }

    public boolean labelled() {
        return numClasses > 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DataSpec s && Arrays.equals(sampleShape, s.sampleShape)
                && numClasses == s.numClasses && classNames.equals(s.classNames);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(sampleShape) + 17 * numClasses + classNames.hashCode();
    }

    @Override
    public String toString() {
        return "DataSpec" + Arrays.toString(sampleShape) + ", classes=" + numClasses;
    }
}

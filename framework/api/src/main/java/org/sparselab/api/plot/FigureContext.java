package org.sparselab.api.plot;

import ai.djl.ndarray.NDArray;
import org.sparselab.api.data.DataSpec;

/**
 * What a model sees when it draws its figures ({@code TrainableModel.figures}). The arrays belong to the
 * framework and are closed after the call; arrays the model creates during the call are freed with them.
 *
 * @param data shapes and class names of the run's data ({@link DataSpec#isImage()} tells whether inputs are images)
 * @param testInputs the first test inputs {@code [n, inputDim]} float32 (n up to 256)
 * @param testLabels their labels {@code [n]} int64, or null for unlabelled data
 */
public record FigureContext(DataSpec data, NDArray testInputs, NDArray testLabels) {

    /** Number of test inputs given. */
    public int size() {
        return (int) testInputs.getShape().get(0);
    }
}

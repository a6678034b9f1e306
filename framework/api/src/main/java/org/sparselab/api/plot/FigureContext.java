package org.sparselab.api.plot;

import ai.djl.ndarray.NDArray;
import org.sparselab.api.data.DataSpec;

/**
 * What a model sees when it draws its figures.
 *
 * @param data shapes and class names of the run's data
 * @param testInputs a batch of test inputs {@code [n, inputDim]} (n up to a few hundred), closed afterwards
 * @param testLabels their labels {@code [n]} int64, or null
 */
public record FigureContext(DataSpec data, NDArray testInputs, NDArray testLabels) {
}

package org.sparselab.api.model;

import ai.djl.ndarray.NDArray;

/**
 * What one forward pass produced, for metrics. Arrays live in the step's scope and are closed after
 * the metrics have seen them; a metric that keeps anything must copy it to Java or to its own manager.
 *
 * @param input the clean input batch {@code [n, inputDim]} (the reconstruction target)
 * @param labels int64 labels {@code [n]}, or null
 * @param code the sparse code {@code [n, codeSize]} (after sparsification), or null
 * @param output logits {@code [n, classes]} or reconstruction {@code [n, inputDim]}, or null for {@link org.sparselab.api.Task#NONE}
 * @param loss the batch's mean loss as a scalar, or NaN when the model has none
 */
public record StepOutput(NDArray input, NDArray labels, NDArray code, NDArray output, double loss) {
}

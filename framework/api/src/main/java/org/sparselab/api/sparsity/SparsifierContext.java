package org.sparselab.api.sparsity;

import ai.djl.ndarray.NDManager;

/**
 * What a sparsifier sees when it is created.
 *
 * @param units width of the layer it acts on
 * @param manager owner of its state arrays (counters, duty cycles)
 * @param seed for stochastic operators
 * @param epochs the run's training epochs (for schedules)
 * @param batchSize the run's training batch size (for thresholds counted in samples)
 */
public record SparsifierContext(int units, NDManager manager, long seed, int epochs, int batchSize) {
}

package org.sparselab.api.train;

/**
 * The parts of a run's {@code training} section a model may read.
 *
 * @param epochs number of training epochs
 * @param batchSize training batch size
 * @param gradClip maximum global gradient L2 norm, 0 for none
 * @param optimizer optimiser id and hyperparameters
 */
public record TrainingSpec(int epochs, int batchSize, double gradClip, OptimizerSpec optimizer) {
}

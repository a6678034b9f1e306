package org.sparselab.api.train;

/**
 * Applies one optimiser step to a {@link ParameterSet} after {@code GradientCollector.backward}:
 * clips the global gradient norm, updates, and leaves gradients zeroed for the next step.
 */
public interface Updater {

    /** Performs the step; returns the global gradient norm before clipping, or NaN when the run does not clip. */
    double step();

    /** Optimiser steps taken so far. */
    long steps();
}

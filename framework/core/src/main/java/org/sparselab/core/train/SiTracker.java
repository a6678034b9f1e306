package org.sparselab.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import org.sparselab.api.train.ParameterSet;

import java.util.List;

/**
 * Synaptic intelligence's path integral: during a task, ωᵢ accumulates −gᵢ·Δθᵢ over the optimiser steps (g the
 * task loss's gradient, without penalties); at the task's end the importance is ω / ((θ − θ_start)² + ξ).
 */
final class SiTracker {
    private final NDArray[] omega;
    private final NDArray[] start;
    private final NDArray[] grad;
    private final NDArray[] before;

    SiTracker(List<ParameterSet.Entry> entries) {
        int n = entries.size();
        omega = new NDArray[n];
        start = new NDArray[n];
        grad = new NDArray[n];
        before = new NDArray[n];
        for (int i = 0; i < n; i++) {
            NDArray p = entries.get(i).array();
            omega[i] = keep(p.zerosLike());
            start[i] = keep(p.stopGradient().duplicate());
            grad[i] = keep(p.zerosLike());
            before[i] = keep(p.zerosLike());
        }
    }

    private static NDArray keep(NDArray a) {
        a.setRequiresGradient(false);
        NDScope.unregister(a);
        return a;
    }

    /** Before the penalty is added and the step is taken: remember the task gradient and the weights. */
    void beforeStep(int i, NDArray weight, NDArray g) {
        g.copyTo(grad[i]);
        weight.stopGradient().copyTo(before[i]);
    }

    /** After the step: ω −= g·(θ_new − θ_old). */
    void afterStep(int i, NDArray weight) {
        try (NDScope scope = new NDScope()) {
            omega[i].subi(grad[i].mul(weight.stopGradient().sub(before[i])));
        }
    }

    /** Importance of this task, Ω = ω / ((θ − θ_start)² + ξ); resets the path integral for the next task. */
    NDArray[] consolidate(List<ParameterSet.Entry> entries, float damping) {
        NDArray[] importance = new NDArray[omega.length];
        for (int i = 0; i < omega.length; i++) {
            NDArray p = entries.get(i).array().stopGradient();
            try (NDScope scope = new NDScope()) {
                NDArray delta = p.sub(start[i]);
                importance[i] = omega[i].div(delta.square().add(damping)).maximum(0f);
                NDScope.unregister(importance[i]);
            }
            importance[i].setRequiresGradient(false);
            omega[i].muli(0f);
            p.copyTo(start[i]);
        }
        return importance;
    }
}

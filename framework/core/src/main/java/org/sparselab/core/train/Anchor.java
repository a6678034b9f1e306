package org.sparselab.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import org.sparselab.api.train.ParameterSet;

import java.util.List;

/**
 * A quadratic penalty λ·Σᵢ Ωᵢ(θᵢ − θᵢ*)² pulling parameters towards an anchor θ* with importances Ω (EWC: Fisher
 * information; L2 anchoring: Ω = 1). Applied as its gradient, 2λΩ(θ − θ*), added to the loss gradient before
 * clipping, so every gradient model gets it without knowing.
 */
public final class Anchor implements AutoCloseable {
    private final float lambda;
    private final NDArray[] anchor;
    private final NDArray[] importance;

    /** Anchors at the parameters' current values with the given importances (arrays are taken over). */
    Anchor(List<ParameterSet.Entry> entries, NDArray[] importance, float lambda) {
        this.lambda = lambda;
        this.importance = importance;
        this.anchor = new NDArray[entries.size()];
        for (int i = 0; i < anchor.length; i++) {
            anchor[i] = entries.get(i).array().duplicate();
            anchor[i].setRequiresGradient(false);
            NDScope.unregister(anchor[i]);
            NDScope.unregister(importance[i]);
        }
    }

    NDArray importance(int i) {
        return importance[i];
    }

    void addGradient(int i, NDArray weight, NDArray grad) {
        try (NDScope scope = new NDScope()) {
            grad.addi(weight.stopGradient().sub(anchor[i]).mul(importance[i]).mul(2 * lambda));
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < anchor.length; i++) {
            anchor[i].close();
            importance[i].close();
        }
    }
}

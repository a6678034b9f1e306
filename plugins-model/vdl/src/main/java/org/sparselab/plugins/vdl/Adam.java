package org.sparselab.plugins.vdl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;

import java.util.ArrayList;
import java.util.List;

/**
 * torch.optim.Adam for one module (spec vdl.md §4): parameter groups with their own weight decay (PyTorch's coupled L2,
 * added to the gradient, not AdamW), one learning rate for the module that a schedule may change between steps.
 * The framework's updater has one learning rate and one weight decay per run; VDL needs a decoder and an encoder
 * optimiser with their own rates, per-group decay and the decoder's annealing, so it keeps its own.
 *
 * <p>Update, per parameter p with gradient g (t = steps taken, from 1):
 * g ← g + wd·p; m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²; p ← p − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε).
 * Moments live in the parameter's manager (outside any step scope); gradients are zeroed after the step.
 */
final class Adam {
    private record Slot(NDArray param, double weightDecay, NDArray m, NDArray v) {
    }

    private final List<Slot> slots = new ArrayList<>();
    private final double beta1;
    private final double beta2;
    private final double eps;
    private double lr;
    private long t;

    Adam(double lr, double beta1, double beta2, double eps) {
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
    }

    /** Adds a parameter (its gradient is switched on) with the weight decay of its group. */
    Adam add(NDArray param, double weightDecay) {
        param.setRequiresGradient(true);
        NDArray m = param.zerosLike();
        NDArray v = param.zerosLike();
        NDScope.unregister(m, v);
        slots.add(new Slot(param, weightDecay, m, v));
        return this;
    }

    double lr() {
        return lr;
    }

    void lr(double value) {
        this.lr = value;
    }

    long steps() {
        return t;
    }

    /** One step from the gradients left by the last backward; the gradients are zeroed afterwards. */
    void step() {
        t++;
        float bc1 = (float) (1 - Math.pow(beta1, t));
        float sqrtBc2 = (float) Math.sqrt(1 - Math.pow(beta2, t));
        for (Slot s : slots) {
            try (NDScope scope = new NDScope()) {
                NDArray grad = s.param.getGradient();
                NDArray g = s.weightDecay == 0 ? grad : grad.add(s.param.mul((float) s.weightDecay));
                s.m.muli((float) beta1).addi(g.mul((float) (1 - beta1)));
                s.v.muli((float) beta2).addi(g.square().muli((float) (1 - beta2)));
                NDArray denom = s.v.sqrt().divi(sqrtBc2).addi((float) eps);
                s.param.subi(s.m.div(denom).muli((float) (lr / bc1)));
                grad.muli(0f);
            }
        }
    }

    void close() {
        for (Slot s : slots) {
            s.m.close();
            s.v.close();
        }
    }
}

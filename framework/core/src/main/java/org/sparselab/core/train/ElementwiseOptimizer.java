package org.sparselab.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;

import java.util.HashMap;
import java.util.Map;

/**
 * RMSProp and Adagrad with PyTorch's update rules, for the optimisers DJL's PyTorch engine does not implement
 * ({@code rmspropUpdate} and {@code adagradUpdate} throw there). State arrays live in the weight's manager,
 * outside any step scope.
 */
final class ElementwiseOptimizer {
    enum Kind { RMSPROP, ADAGRAD }

    private final Kind kind;
    private final float lr;
    private final float eps;
    private final float alpha;
    private final float weightDecay;
    private final Map<String, NDArray> state = new HashMap<>();

    /**
     * @param alpha RMSProp smoothing constant (torch default 0.99); unused by Adagrad
     */
    ElementwiseOptimizer(Kind kind, float lr, float eps, float alpha, float weightDecay) {
        this.kind = kind;
        this.lr = lr;
        this.eps = eps;
        this.alpha = alpha;
        this.weightDecay = weightDecay;
    }

    void update(String name, NDArray weight, NDArray grad) {
        NDArray s = state.get(name);
        if (s == null) {
            s = weight.zerosLike();
            NDScope.unregister(s);
            state.put(name, s);
        }
        try (NDScope scope = new NDScope()) {
            NDArray g = weightDecay == 0 ? grad : grad.add(weight.mul(weightDecay));
            if (kind == Kind.RMSPROP) {
                s.muli(alpha).addi(g.square().muli(1 - alpha));
            } else {
                s.addi(g.square());
            }
            weight.subi(g.div(s.sqrt().addi(eps)).muli(lr));
        }
    }
}

package org.sparselab.plugins.stripes;

import ai.djl.ndarray.NDArray;

/** The original's k-mask and the corrected variants' helpers, on engine arrays. */
final class Masks {
    private Masks() {
    }

    /**
     * The original's {@code kmask} along {@code axis}: 1 where the value is at least the k-th largest of its slice,
     * else 0 (ties kept, so more than k may pass); float, no gradient.
     */
    static NDArray kmask(NDArray v, int k, int axis) {
        NDArray d = v.stopGradient();
        int n = (int) d.getShape().get(axis);
        if (k >= n) {
            return d.onesLike();
        }
        NDArray kth = d.topK(k, axis, true, false).get(0).min(new int[]{axis}, true);
        return d.gte(kth).toType(d.getDataType(), false);
    }

    /** m XOR r with r ~ Bernoulli(p), elementwise, for a 0/1 float mask. */
    static NDArray distort(NDArray mask, double p) {
        if (p <= 0) {
            return mask;
        }
        NDArray flip = mask.getManager().randomUniform(0f, 1f, mask.getShape()).lt((float) p).toType(mask.getDataType(), false);
        return mask.sub(flip).abs();
    }
}

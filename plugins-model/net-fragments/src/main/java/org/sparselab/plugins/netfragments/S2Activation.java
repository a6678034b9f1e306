package org.sparselab.plugins.netfragments;

import java.util.Locale;

/**
 * How S2 turns normalised support into a binary output (spec A4 step 6): a fixed threshold θ on x_norm^γ, or a
 * Bernoulli draw with probability clip(x_norm, 0, 1)^γ.
 *
 * @param threshold θ, or NaN in Bernoulli mode
 */
public record S2Activation(double threshold) {

    public static final S2Activation BERNOULLI = new S2Activation(Double.NaN);

    public S2Activation {
        if (!Double.isNaN(threshold) && !(threshold > 0 && threshold <= 1)) {
            throw new IllegalArgumentException("a threshold in (0, 1] (at θ <= 0 every masked-off alternative cell "
                    + "would fire, since its x_norm is 0) or 'bernoulli', got " + threshold);
        }
    }

    public boolean bernoulli() {
        return Double.isNaN(threshold);
    }

    /** {@code bernoulli} or a number in (0, 1]. */
    public static S2Activation parse(String s) {
        String v = s.trim().toLowerCase(Locale.ROOT);
        if (v.equals("bernoulli")) {
            return BERNOULLI;
        }
        try {
            return new S2Activation(Double.parseDouble(v));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'bernoulli' or a threshold in (0, 1], got '" + s + "'");
        }
    }

    @Override
    public String toString() {
        return bernoulli() ? "bernoulli" : Double.toString(threshold);
    }
}

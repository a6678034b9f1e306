package org.sparselab.plugins.netfragments;

import org.sparselab.api.config.Check;
import org.sparselab.api.config.ConfigException;
import org.sparselab.api.config.Param;

import java.util.List;

/**
 * Parameters of {@code net-fragments}, with the original's names (configs/train_v*.yaml) and the published
 * {@code net-fragments} config's values as defaults. The {@code eval_*} keys set the activation used by
 * validation, test, encode and export (the original's evaluation overrides them on its command line too);
 * unset, they are the training ones.
 */
public record FragmentsConfig(
        @Param("S1 bank: false = bank A (integer kernels / 6), true = bank B (the 'larger weights')") Boolean useLargerWeights,
        @Param("S1 activation: threshold (> 0) | bernoulli | None (ReLU, continuous)") String s1Activation,
        @Param("alternative cells per feature channel (A); 1 = none, with the original's per-cell weight normalisation") Integer nAlternativeCells,
        @Param("support limit λ = support_factor · 11; support above it inhibits") Double supportFactor,
        @Param("Hebbian learning rate") Double lr,
        @Param("Hebbian rule with the negative-correlation (XOR) term") Boolean negCorr,
        @Param("S2 timesteps T per image") Integer maxTimesteps,
        @Param("S2 activation in training: a threshold θ in (0, 1] on x_norm^γ, or bernoulli") String actThreshold,
        @Param("power factor γ_t per timestep (at least max_timesteps entries)") List<Double> squareFactor,
        @Param("S2 activation for validation/test/encode/export; unset = act_threshold") String evalActThreshold,
        @Param("power factors for validation/test/encode/export; unset = square_factor") List<Double> evalSquareFactor) {

    public FragmentsConfig {
        useLargerWeights = Check.orDefault(useLargerWeights, Boolean.FALSE);
        s1Activation = Check.orDefault(s1Activation, "threshold");
        try {
            S1Filters.Activation.parse(s1Activation);
        } catch (IllegalArgumentException e) {
            // the original returns None for an unknown mode and fails later; reject it here
            throw ConfigException.invalid("s1_activation", s1Activation, "threshold | bernoulli | None (ReLU)");
        }
        nAlternativeCells = Check.atLeast("n_alternative_cells", Check.orDefault(nAlternativeCells, 10), 1);
        supportFactor = Check.orDefault(supportFactor, 1.3);
        if (!(supportFactor > 0) || Double.isInfinite(supportFactor)) {
            throw ConfigException.invalid("support_factor", supportFactor, "a positive number");
        }
        lr = Check.orDefault(lr, 0.2);
        if (!(lr >= 0) || lr > 1) {
            throw ConfigException.invalid("lr", lr, "a number in [0, 1]");
        }
        negCorr = Check.orDefault(negCorr, Boolean.TRUE);
        maxTimesteps = Check.atLeast("max_timesteps", Check.orDefault(maxTimesteps, 6), 1);
        actThreshold = Check.orDefault(actThreshold, "0.5");
        activation("act_threshold", actThreshold);
        squareFactor = Check.orDefault(squareFactor, List.of(1.2, 1.4, 1.6, 1.8, 2.0, 2.2));
        gammas("square_factor", squareFactor, maxTimesteps);
        if (evalActThreshold != null) {
            activation("eval_act_threshold", evalActThreshold);
        }
        if (evalSquareFactor != null) {
            gammas("eval_square_factor", evalSquareFactor, maxTimesteps);
        }
    }

    static S2Activation activation(String key, String value) {
        try {
            return S2Activation.parse(value);
        } catch (IllegalArgumentException e) {
            throw ConfigException.invalid(key, value, "'bernoulli' or a threshold in (0, 1]");
        }
    }

    static double[] gammas(String key, List<Double> values, int timesteps) {
        if (values.size() < timesteps) {
            throw ConfigException.invalid(key, values, "a list of at least max_timesteps = " + timesteps + " power factors");
        }
        double[] g = new double[values.size()];
        for (int i = 0; i < g.length; i++) {
            Double v = values.get(i);
            if (v == null || !(v > 0) || v.isInfinite()) {
                throw ConfigException.invalid(key, values, "positive numbers");
            }
            g[i] = v;
        }
        return g;
    }

    S1Filters.Bank bank() {
        return useLargerWeights ? S1Filters.Bank.B : S1Filters.Bank.A;
    }

    S1Filters.Activation s1() {
        return S1Filters.Activation.parse(s1Activation);
    }

    S2Activation trainActivation() {
        return S2Activation.parse(actThreshold);
    }

    S2Activation evalActivation() {
        return S2Activation.parse(evalActThreshold != null ? evalActThreshold : actThreshold);
    }

    double[] trainGammas() {
        return gammas("square_factor", squareFactor, maxTimesteps);
    }

    double[] evalGammas() {
        return evalSquareFactor != null ? gammas("eval_square_factor", evalSquareFactor, maxTimesteps) : trainGammas();
    }
}

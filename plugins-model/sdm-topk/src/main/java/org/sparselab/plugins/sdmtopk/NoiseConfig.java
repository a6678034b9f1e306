package org.sparselab.plugins.sdmtopk;

import org.sparselab.api.config.Check;
import org.sparselab.api.config.ConfigException;
import org.sparselab.api.config.Param;

import java.util.List;

/**
 * The noise layer of the noise → sparsity paper (spec sdm.md §1.1): x̃ = x + ε on every forward pass,
 * evaluation included unless {@code during_eval} is false, with optional linear annealing and an optional
 * learned projection before or after the noise.
 */
public record NoiseConfig(
        @Param("none | normal | laplace | exponential | poisson") String type,
        @Param("σ: std (normal), scale (laplace), rate (exponential: mean 1/σ, as the original), rate (poisson)") Double sigma,
        @Param("exponential only: use mean σ instead of rate σ (the original's ExpoDist_Rerun)") Boolean exponentialMean,
        @Param("add noise in evaluation passes too (the original's default)") Boolean duringEval,
        @Param("epoch after which σ is annealed linearly; unset = no annealing") Integer annealStart,
        @Param("epochs over which σ goes from its initial value to terminal_sigma") Integer annealEpochs,
        @Param("σ at the end of annealing") Double terminalSigma,
        @Param("none | before | after: a learned input×input projection (no bias) before or after the noise") String projection) {

    public NoiseConfig {
        type = Check.oneOf("noise.type", Check.orDefault(type, "none"), List.of("none", "normal", "laplace", "exponential", "poisson"));
        sigma = Check.atLeast("noise.sigma", Check.orDefault(sigma, 0.0), 0.0);
        exponentialMean = Check.orDefault(exponentialMean, Boolean.FALSE);
        duringEval = Check.orDefault(duringEval, Boolean.TRUE);
        if (annealStart != null) {
            Check.atLeast("noise.anneal_start", annealStart, 0);
            annealEpochs = Check.atLeast("noise.anneal_epochs", Check.orDefault(annealEpochs, 1), 1);
        }
        terminalSigma = Check.atLeast("noise.terminal_sigma", Check.orDefault(terminalSigma, 0.0), 0.0);
        projection = Check.oneOf("noise.projection", Check.orDefault(projection, "none"), List.of("none", "before", "after"));
        if (!type.equals("none") && sigma == 0 && !type.equals("normal")) {
            // the original replaces σ = 0 by 1e-14 for the non-normal types
            sigma = 1e-14;
        }
        if (type.equals("none") && annealStart != null) {
            throw ConfigException.invalid("noise.anneal_start", annealStart, "no annealing when noise.type is none");
        }
    }

    public static NoiseConfig none() {
        return new NoiseConfig(null, null, null, null, null, null, null, null);
    }

    /** σ after {@code epochsDone} training epochs: max(0, σ0 − (e − e_start)·(σ0 − σ_term)/n) once e > e_start. */
    double sigmaAt(int epochsDone) {
        if (annealStart == null || epochsDone <= annealStart) {
            return sigma;
        }
        double s = sigma - (epochsDone - annealStart) * (sigma - terminalSigma) / annealEpochs;
        return Math.max(terminalSigma < sigma ? terminalSigma : 0, Math.max(0, s));
    }
}

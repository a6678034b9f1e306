package org.sparselab.plugins.sdmmemory;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * A convergence experiment (spec sdm.md §7) as a YAML file: {@code sparselab sdm convergence --config FILE}.
 *
 * @param dataset    random (uniform(−1, 1) patterns; binary = x > 0) or mnist (training images, continuous only)
 * @param n          dimension of random patterns (MNIST: 784)
 * @param patterns   patterns stored per set (m)
 * @param sets       independent pattern sets
 * @param repeats    perturbation draws per set and level
 * @param perturb    perturbation levels h (bits for binary; for continuous, a cosine of 1 − 2h/n)
 * @param radii      Hamming radii d (or give fractions)
 * @param fractions  space fractions p, mapped to radii d = binom.ppf(p, n, ½)
 * @param algorithms the memories of §6, e.g. binary-sdm, binary-attention-bfit, cont-attention-cfit
 * @param neurons    r, a number or a power such as 2^64
 * @param maxSteps   update steps at most
 * @param noCloser   resample continuous perturbations that fall closer to another pattern (random data)
 * @param seed       seed of patterns, perturbations and stochastic rounding
 */
record ConvergenceConfig(String dataset, Integer n, Integer patterns, Integer sets, Integer repeats, List<Integer> perturb,
                         List<Integer> radii, List<Double> fractions, List<String> algorithms, String neurons,
                         @JsonProperty("max_steps") Integer maxSteps, @JsonProperty("no_closer") Boolean noCloser, Long seed) {
    ConvergenceConfig {
        dataset = dataset == null ? "random" : dataset;
        if (!dataset.equals("random") && !dataset.equals("mnist")) {
            throw new IllegalArgumentException("dataset = " + dataset + " is not accepted: expected random or mnist");
        }
        n = dataset.equals("mnist") ? Integer.valueOf(784) : n == null ? Integer.valueOf(64) : n;
        patterns = patterns == null ? 1024 : patterns;
        sets = sets == null ? 1 : sets;
        repeats = repeats == null ? 1 : repeats;
        if (n < 2 || patterns < 2 || sets < 1 || repeats < 1) {
            throw new IllegalArgumentException("n, patterns (>= 2), sets and repeats (>= 1) must be positive");
        }
        if (perturb == null || perturb.isEmpty()) {
            throw new IllegalArgumentException("perturb is required: a list of perturbation levels h");
        }
        if ((radii == null || radii.isEmpty()) == (fractions == null || fractions.isEmpty())) {
            throw new IllegalArgumentException("give either radii (Hamming d) or fractions (space fractions p)");
        }
        if (algorithms == null || algorithms.isEmpty()) {
            throw new IllegalArgumentException("algorithms is required, e.g. [binary-sdm, binary-attention-bfit]");
        }
        neurons = neurons == null ? "2^64" : neurons;
        maxSteps = maxSteps == null ? 100 : maxSteps;
        noCloser = noCloser == null ? !dataset.equals("mnist") : noCloser;
        seed = seed == null ? 1L : seed;
    }
}

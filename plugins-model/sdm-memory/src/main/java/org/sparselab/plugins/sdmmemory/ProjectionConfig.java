package org.sparselab.plugins.sdmmemory;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * The learned projection experiment (spec sdm.md §8) as a YAML file: {@code sparselab sdm learn-projection --config FILE}.
 *
 * @param dataset    mnist or fashion-mnist (CIFAR-10 is not available offline here)
 * @param stored     images stored as keys = values (the paper: the whole training set)
 * @param dim        projected dimension (64)
 * @param radii      Hamming radii d of the 64-d space whose fitted β the attention uses (5, 9, 11, 15)
 * @param inits      random initialisations of W_k per radius
 * @param epochs     training epochs over the stored images
 * @param batch      queries per step
 * @param lr         Adam learning rate
 * @param perturbMin smallest training perturbation h (in input units)
 * @param perturbMax largest training perturbation h
 * @param learnBeta  learn β too (init U(1, 30)) instead of fixing it to the fit
 * @param testPerturb perturbation levels of the test
 * @param testQueries queries of the test per level
 * @param maxSteps   retrieval steps at test
 * @param seed       seed of W_k, perturbations and sampling
 */
record ProjectionConfig(String dataset, Integer stored, Integer dim, List<Integer> radii, Integer inits, Integer epochs, Integer batch,
                        Double lr, @JsonProperty("perturb_min") Integer perturbMin, @JsonProperty("perturb_max") Integer perturbMax,
                        @JsonProperty("learn_beta") Boolean learnBeta, @JsonProperty("test_perturb") List<Integer> testPerturb,
                        @JsonProperty("test_queries") Integer testQueries, @JsonProperty("max_steps") Integer maxSteps, Long seed) {
    ProjectionConfig {
        dataset = dataset == null ? "mnist" : dataset;
        if (!dataset.equals("mnist") && !dataset.equals("fashion-mnist")) {
            throw new IllegalArgumentException("dataset = " + dataset + " is not accepted: expected mnist or fashion-mnist");
        }
        stored = stored == null ? 5000 : stored;
        dim = dim == null ? 64 : dim;
        radii = radii == null ? List.of(5, 9, 11, 15) : radii;
        inits = inits == null ? 3 : inits;
        epochs = epochs == null ? 10 : epochs;
        batch = batch == null ? 128 : batch;
        lr = lr == null ? 0.005 : lr;
        perturbMin = perturbMin == null ? 10 : perturbMin;
        perturbMax = perturbMax == null ? 100 : perturbMax;
        learnBeta = learnBeta != null && learnBeta;
        testPerturb = testPerturb == null ? List.of(0, 50, 100, 150, 200, 250, 300) : testPerturb;
        testQueries = testQueries == null ? 1000 : testQueries;
        maxSteps = maxSteps == null ? 10 : maxSteps;
        seed = seed == null ? 1L : seed;
        if (stored < 2 || dim < 2 || inits < 1 || epochs < 0 || batch < 1 || !(lr > 0) || perturbMin < 0 || perturbMax < perturbMin
                || testQueries < 1 || maxSteps < 1) {
            throw new IllegalArgumentException("stored, dim (>= 2), inits, batch, test_queries, max_steps (>= 1), epochs (>= 0), lr (> 0) "
                    + "and 0 <= perturb_min <= perturb_max are required");
        }
        for (int d : radii) {
            if (d < 2 || d > dim / 2) {
                throw new IllegalArgumentException("radii: d = " + d + " is not accepted: expected 2 <= d <= dim/2 = " + dim / 2);
            }
        }
    }
}

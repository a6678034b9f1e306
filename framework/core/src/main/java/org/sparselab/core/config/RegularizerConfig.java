package org.sparselab.core.config;

import org.sparselab.api.config.Check;
import org.sparselab.api.config.Param;

import java.util.List;

/** {@code continual.regularizer}: a penalty that protects what earlier tasks learned. */
public record RegularizerConfig(
        @Param("none | ewc (elastic weight consolidation, memory variant) | mas (memory-aware synapses) | si (synaptic intelligence) | l2 (anchor every weight to its value after the last task)") String id,
        @Param("λ (c for SI): weight of the penalty λ·Σ Ω(θ − θ*)² (SDM paper: EWC 100, MAS 10, SI 1350, L2 30)") Double importance,
        @Param("EWC: softmax temperature β for the Fisher (0.08 in the SDM paper for CIFAR)") Double beta,
        @Param("EWC: batches used for the Fisher") Integer fisherBatches,
        @Param("EWC: batch size for the Fisher") Integer fisherBatchSize,
        @Param("SI: damping ξ added to the squared parameter change") Double damping) {

    public RegularizerConfig {
        id = Check.oneOf("continual.regularizer.id", Check.orDefault(id, "none"), List.of("none", "ewc", "mas", "si", "l2"));
        importance = Check.atLeast("continual.regularizer.importance", Check.orDefault(importance,
                switch (id) {
                    case "l2" -> 30.0;
                    case "mas" -> 10.0;
                    case "si" -> 1350.0;
                    default -> 100.0;
                }), 0.0);
        damping = Check.positive("continual.regularizer.damping", Check.orDefault(damping, 0.1));
        beta = Check.positive("continual.regularizer.beta", Check.orDefault(beta, 0.08));
        fisherBatches = Check.atLeast("continual.regularizer.fisher_batches", Check.orDefault(fisherBatches, 6), 1);
        fisherBatchSize = Check.atLeast("continual.regularizer.fisher_batch_size", Check.orDefault(fisherBatchSize, 512), 1);
    }

    public static RegularizerConfig none() {
        return new RegularizerConfig(null, null, null, null, null, null);
    }
}

package org.sparselab.plugins.topk;

import org.sparselab.api.config.Check;

import java.util.List;

/**
 * How k changes with the epoch counter t (incremented at the end of each training epoch), as in the SDM
 * Top-K code: {@code flat} k = k_min; {@code linear_decay} k(t) = int(clip(N − (N − k_min)·t/k_trans, k_min, N));
 * {@code exp_decay} k(t) = int(clip(N·(k_min/N)^(t/k_trans), k_min, N)); N is the layer width.
 */
record KSchedule(String kind, int kMin, int kMax, double kTransition) {
    static final List<String> KINDS = List.of("flat", "linear_decay", "exp_decay");

    KSchedule {
        kind = Check.oneOf("schedule", kind, KINDS);
    }

    int k(long t) {
        double k = switch (kind) {
            case "linear_decay" -> kMax - (kMax - kMin) * (t / kTransition);
            case "exp_decay" -> kMax * Math.pow((double) kMin / kMax, t / kTransition);
            default -> kMin;
        };
        return (int) Math.max(kMin, Math.min(kMax, k));
    }
}

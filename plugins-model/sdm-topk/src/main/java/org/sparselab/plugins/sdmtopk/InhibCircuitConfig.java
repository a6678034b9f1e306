package org.sparselab.plugins.sdmtopk;

import org.sparselab.api.config.Check;
import org.sparselab.api.config.Param;

import java.util.List;

/**
 * The inhibitory circuit that replaces ReLU (spec sdm.md §1.4): from μ₀ = Wx + b, repeat {@code steps} times
 * z = ReLU(μ), μ ← μ + η(μ₀ − g(Cz) − μ); output ReLU(μ). C is all-to-all (N×N, either sign: inhibition or
 * facilitation) or one interneuron (N → 1 with bias → ReLU → 1 → N); g = ReLU when {@code only_inhibitory}.
 */
public record InhibCircuitConfig(
        @Param("none | all_to_all | interneuron") String type,
        @Param("circuit iterations") Integer steps,
        @Param("η, the step size of each iteration") Double stepSize,
        @Param("pass C·z through ReLU, so the circuit can only inhibit") Boolean onlyInhibitory) {

    public InhibCircuitConfig {
        type = Check.oneOf("inhib_circuit.type", Check.orDefault(type, "none"), List.of("none", "all_to_all", "interneuron"));
        steps = Check.atLeast("inhib_circuit.steps", Check.orDefault(steps, 1), 1);
        stepSize = Check.positive("inhib_circuit.step_size", Check.orDefault(stepSize, 1.0));
        onlyInhibitory = Check.orDefault(onlyInhibitory, Boolean.FALSE);
    }

    public static InhibCircuitConfig none() {
        return new InhibCircuitConfig(null, null, null, null);
    }

    boolean enabled() {
        return !type.equals("none");
    }
}

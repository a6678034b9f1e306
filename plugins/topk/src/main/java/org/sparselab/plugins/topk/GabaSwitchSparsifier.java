package org.sparselab.plugins.topk;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.pf4j.Extension;
import org.sparselab.api.Mode;
import org.sparselab.api.Sparsifier;
import org.sparselab.api.config.Check;
import org.sparselab.api.config.ConfigException;
import org.sparselab.api.config.Param;
import org.sparselab.api.onnx.OnnxGraph;
import org.sparselab.api.sparsity.SparsifierContext;
import org.sparselab.api.sparsity.SparsityOp;
import org.tribuo.util.onnx.ONNXRef;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code gaba-switch}: the SDM continual learner's Top-K with a per-neuron switch (spec sdm.md §1.6).
 * out = ReLU(a − γᵢ·h), with a = ReLU(x), h the (k+1)-th largest activation of the sample (detached) and
 * γᵢ = clamp(−1 + 2·cᵢ/T, −1, 1), where cᵢ counts the training inputs on which neuron i's output was
 * positive ({@code binary}) or sums its outputs ({@code summed}). A new neuron (c = 0) is excited by h, at
 * c = T/2 it is a plain ReLU, from c = T on it is an exact Top-k. Counting happens in training only (the
 * original also counted during validation and crashed for plain subtract modes: not reproduced). The
 * counters are saved with the model; at inference they are frozen.
 */
@Extension
public final class GabaSwitchSparsifier implements Sparsifier<GabaSwitchSparsifier.Config> {

    /** Parameters of {@code gaba-switch}. */
    public record Config(
            @Param("k (k_min for the decaying schedules)") Integer k,
            @Param("T: count (binary) or activation sum (summed) at which a neuron becomes exact Top-k (SDMLP: 500000; Split-MNIST: 5000000)") Double threshold,
            @Param("binary (count inputs with output > 0) | summed (sum of output values)") String counting,
            @Param("flat | linear_decay | exp_decay") String schedule,
            @Param("epochs over which k decays; unset = half the run's epochs") Double kTransition) {
        public Config {
            k = Check.atLeast("k", Check.orDefault(k, 10), 1);
            threshold = Check.positive("threshold", Check.orDefault(threshold, 500_000.0));
            counting = Check.oneOf("counting", Check.orDefault(counting, "binary"), List.of("binary", "summed"));
            schedule = Check.oneOf("schedule", Check.orDefault(schedule, "flat"), KSchedule.KINDS);
            if (kTransition != null) {
                Check.positive("k_transition", kTransition);
            }
        }
    }

    @Override
    public String id() {
        return "gaba-switch";
    }

    @Override
    public String description() {
        return "Top-K with the GABA switch: neurons go from excited to plain ReLU to exact Top-k as they are used (SDMLP)";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public SparsityOp create(Config config, SparsifierContext context) {
        if (config.k() >= context.units()) {
            throw ConfigException.invalid("k", config.k(), "an integer in [1, " + (context.units() - 1) + "] (h is the (k+1)-th largest of "
                    + context.units() + " units)");
        }
        double kTrans = config.kTransition() != null ? config.kTransition() : Math.max(1, context.epochs() / 2.0);
        return new Op(new KSchedule(config.schedule(), config.k(), context.units(), kTrans), config.threshold().floatValue(),
                config.counting().equals("binary"), context);
    }

    /** The operator with its counters. */
    static final class Op implements SparsityOp {
        private final KSchedule schedule;
        private final float threshold;
        private final boolean binary;
        private final NDArray counts;
        private final NDArray epochs;

        Op(KSchedule schedule, float threshold, boolean binary, SparsifierContext ctx) {
            this.schedule = schedule;
            this.threshold = threshold;
            this.binary = binary;
            this.counts = ctx.manager().zeros(new Shape(ctx.units()));
            this.epochs = ctx.manager().zeros(new Shape(1));
        }

        int currentK() {
            return schedule.k((long) epochs.getFloat());
        }

        /** γ = clamp(−1 + 2c/T, −1, 1) per neuron. */
        NDArray gamma() {
            return counts.mul(2f / threshold).sub(1f).clip(-1f, 1f);
        }

        @Override
        public NDArray apply(NDArray activations, Mode mode) {
            NDArray a = activations.maximum(0f);
            int units = (int) a.getShape().get(a.getShape().dimension() - 1);
            int k1 = Math.min(currentK() + 1, units);
            NDArray h = a.stopGradient().topK(k1, -1, true, false).get(0).min(new int[]{-1}, true);
            NDArray out = a.sub(h.mul(gamma())).maximum(0f);
            if (mode.training()) {
                NDArray o = out.stopGradient();
                counts.addi(binary ? o.gt(0f).toType(DataType.FLOAT32, false).sum(new int[]{0}) : o.sum(new int[]{0}));
            }
            return out;
        }

        @Override
        public void onEpochEnd(int epoch) {
            epochs.addi(1f);
        }

        @Override
        public Map<String, NDArray> state() {
            return Map.of("counts", counts, "epochs", epochs);
        }

        @Override
        public Optional<ONNXRef<?>> onnx(OnnxGraph g, ONNXRef<?> activations) {
            ONNXRef<?> a = g.relu(activations);
            int units = (int) counts.getShape().get(0);
            ONNXRef<?> h = g.kthLargest(a, Math.min(currentK() + 1, units));
            try (NDArray gamma = gamma()) {
                return Optional.of(g.relu(g.sub(a, g.mul(h, g.weights("gaba_gamma", gamma)))));
            }
        }

        @Override
        public Map<String, Double> stats() {
            float[] c = counts.toFloatArray();
            int switched = 0;
            for (float v : c) {
                if (v >= threshold) {
                    switched++;
                }
            }
            return Map.of("k", (double) currentK(), "switched_fraction", switched / (double) c.length);
        }
    }
}

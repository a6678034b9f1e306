package org.sparselab.plugins.topk;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
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

import java.util.Map;
import java.util.Optional;

/**
 * {@code topk}: per sample, keeps the k largest activations (after ReLU by default). Modes, as in the SDM Top-K
 * code (spec sdm.md §1.6): {@code mask} keeps the top k unchanged and zeroes the rest; {@code subtract} outputs
 * ReLU(a − h) with h the k-th largest value, so k − 1 units stay positive (the original's behaviour, kept).
 * k follows a schedule over epochs ({@code flat}, {@code linear_decay}, {@code exp_decay}); the epoch counter
 * is saved with the model. Gradients flow through the kept units, as with a mask in PyTorch.
 */
@Extension
public final class TopKSparsifier implements Sparsifier<TopKSparsifier.Config> {

    /** Parameters of {@code topk}. */
    public record Config(
            @Param("k, or k_min for the decaying schedules (1 .. layer width)") Integer k,
            @Param("apply ReLU before selecting (the SDM Top-K convention); false keeps signed values") Boolean relu,
            @Param("mask | subtract") String mode,
            @Param("flat | linear_decay | exp_decay (from k = layer width down to k)") String schedule,
            @Param("epochs over which k decays; unset = half the run's epochs") Double kTransition) {
        public Config {
            k = Check.atLeast("k", Check.orDefault(k, 10), 1);
            relu = Check.orDefault(relu, Boolean.TRUE);
            mode = Check.oneOf("mode", Check.orDefault(mode, "mask"), java.util.List.of("mask", "subtract"));
            schedule = Check.oneOf("schedule", Check.orDefault(schedule, "flat"), KSchedule.KINDS);
            if (kTransition != null) {
                Check.positive("k_transition", kTransition);
            }
        }
    }

    @Override
    public String id() {
        return "topk";
    }

    @Override
    public String description() {
        return "Keeps the k largest activations per sample (mask or subtract; flat, linear or exponential k schedule)";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public SparsityOp create(Config config, SparsifierContext context) {
        if (config.k() > context.units()) {
            throw ConfigException.invalid("k", config.k(), "an integer in [1, " + context.units() + "] (the layer has " + context.units() + " units)");
        }
        double kTrans = config.kTransition() != null ? config.kTransition() : Math.max(1, context.epochs() / 2.0);
        KSchedule schedule = new KSchedule(config.schedule(), config.k(), context.units(), kTrans);
        return new Op(schedule, config.relu(), config.mode().equals("subtract"), context);
    }

    /** The operator; its only state is the epoch counter of the schedule. */
    static final class Op implements SparsityOp {
        private final KSchedule schedule;
        private final boolean relu;
        private final boolean subtract;
        private final NDArray epochs;

        Op(KSchedule schedule, boolean relu, boolean subtract, SparsifierContext ctx) {
            this.schedule = schedule;
            this.relu = relu;
            this.subtract = subtract;
            this.epochs = ctx.manager().zeros(new Shape(1));
        }

        int currentK() {
            return schedule.k((long) epochs.getFloat());
        }

        @Override
        public NDArray apply(NDArray activations, Mode mode) {
            NDArray a = relu ? activations.maximum(0f) : activations;
            int units = (int) a.getShape().get(a.getShape().dimension() - 1);
            int k = currentK();
            if (k >= units && !subtract) {
                return a;
            }
            // The k-th largest value per row (one topK, values only): the mask threshold, or the subtracted h.
            NDList top = a.stopGradient().topK(Math.min(k, units), -1, true, false);
            NDArray kth = top.get(0).min(new int[]{-1}, true);
            if (subtract) {
                return a.sub(kth).maximum(0f);
            }
            return a.mul(a.gte(kth).toType(a.getDataType(), false));
        }

        @Override
        public void onEpochEnd(int epoch) {
            epochs.addi(1f);
        }

        @Override
        public Map<String, NDArray> state() {
            return Map.of("epochs", epochs);
        }

        @Override
        public Optional<ONNXRef<?>> onnx(OnnxGraph graph, ONNXRef<?> activations) {
            ONNXRef<?> a = relu ? graph.relu(activations) : activations;
            int k = currentK();
            if (subtract) {
                return Optional.of(graph.relu(graph.sub(a, graph.kthLargest(a, k))));
            }
            return Optional.of(graph.topKMask(a, k));
        }

        @Override
        public Map<String, Double> stats() {
            return Map.of("k", (double) currentK());
        }
    }
}

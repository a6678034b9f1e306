package org.sparselab.plugins.stripes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
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
 * {@code boosted-topk}: k-winners with boosting (spec B3, {@code layer_sparsity_mode = boosted}; Ahmad and
 * Scheinkman, arXiv 1903.11257). Units are selected on boosted values bᵢ·aᵢ with bᵢ = exp(β(target − dᵢ)); the
 * output keeps the unboosted values of the selected units. The duty state dᵢ is saved with the model.
 *
 * <ul>
 *   <li>{@code corrected} (default, the paper): target density k/units; duty cycle dᵢ ← (1−α)dᵢ + α·(fraction of
 *   the batch in which unit i won); updated in training only, frozen at inference (so inference is a fixed
 *   per-unit boost, with an ONNX form); α defaults to 0.001 as the paper's slow average.</li>
 *   <li>{@code faithful} (the MSA repository): target int(k/units), i.e. 0 whenever k &lt; units; the state adds the
 *   batch's win <em>count</em> (0..B); α defaults to 0.8; updated on every forward call, evaluation included.</li>
 * </ul>
 */
@Extension
public final class BoostedTopKSparsifier implements Sparsifier<BoostedTopKSparsifier.Config> {

    /** Parameters of {@code boosted-topk}. */
    public record Config(
            @Param("k (num_active_neurons)") Integer k,
            @Param("duty-cycle smoothing α; unset = 0.001 (corrected) or 0.8 (faithful)") Double alpha,
            @Param("boost strength β") Double beta,
            @Param("corrected (paper: target k/units, win fractions, training only) | faithful (repository)") String behaviour) {
        public Config {
            k = Check.atLeast("k", Check.orDefault(k, 15), 1);
            behaviour = Check.oneOf("behaviour", Check.orDefault(behaviour, "corrected"), List.of("corrected", "faithful"));
            alpha = Check.orDefault(alpha, behaviour.equals("faithful") ? 0.8 : 0.001);
            if (!(alpha > 0 && alpha <= 1)) {
                throw ConfigException.invalid("alpha", alpha, "a number in (0, 1]");
            }
            beta = Check.orDefault(beta, 1.2);
            if (!(beta >= 0)) {
                throw ConfigException.invalid("beta", beta, "a number >= 0");
            }
        }
    }

    @Override
    public String id() {
        return "boosted-topk";
    }

    @Override
    public String description() {
        return "k-winners on boosted activations with duty cycles (paper) or the repository's counts";
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
        return new Op(config, context.units(), context.manager());
    }

    static final class Op implements SparsityOp {
        private final Config config;
        private final float target;
        private final NDArray duty;

        Op(Config config, int units, NDManager manager) {
            this.config = config;
            this.target = faithful(config) ? (float) (config.k() / units) : (float) config.k() / units;
            this.duty = manager.zeros(new Shape(units));
        }

        private static boolean faithful(Config c) {
            return c.behaviour().equals("faithful");
        }

        NDArray boosts() {
            return duty.mul(-1f).add(target).mul(config.beta().floatValue()).exp();
        }

        @Override
        public NDArray apply(NDArray a, Mode mode) {
            NDArray mask = Masks.kmask(a.stopGradient().mul(boosts()), config.k(), 1);
            boolean update = faithful(config) || mode == Mode.TRAIN;
            if (update) {
                NDArray wins = mask.sum(new int[]{0});
                if (!faithful(config)) {
                    wins = wins.div((float) a.getShape().get(0));
                }
                float al = config.alpha().floatValue();
                duty.muli(1 - al).addi(wins.mul(al));
            }
            return a.mul(mask);
        }

        @Override
        public Map<String, NDArray> state() {
            return Map.of("duty", duty);
        }

        @Override
        public Optional<ONNXRef<?>> onnx(OnnxGraph graph, ONNXRef<?> activations) {
            if (faithful(config)) {
                return Optional.empty(); // its boosts change with every call, evaluation included
            }
            // Frozen boosts: select on b·a, keep a.
            ONNXRef<?> boosted = graph.mul(activations, graph.weights("boosts", boosts()));
            ONNXRef<?> keep = boosted.apply(org.tribuo.util.onnx.ONNXOperators.GREATER_OR_EQUAL, graph.kthLargest(boosted, config.k()));
            return Optional.of(graph.context().operation(org.tribuo.util.onnx.ONNXOperators.WHERE,
                    List.of(keep, activations, graph.scalar("zero", 0f)), "boosted_topk"));
        }

        @Override
        public Map<String, Double> stats() {
            float[] d = duty.toFloatArray();
            double mean = 0;
            double max = 0;
            for (float v : d) {
                mean += v;
                max = Math.max(max, v);
            }
            return Map.of("duty_mean", mean / d.length, "duty_max", max);
        }
    }
}

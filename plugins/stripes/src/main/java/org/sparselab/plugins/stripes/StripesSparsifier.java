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
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXRef;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code stripes}: the code is split into {@code stripes} groups of equal width and only some groups stay on
 * (spec netfragments-stripes.md B3). Per sample, the {@code active_stripes} groups with the highest score survive
 * (ties kept): the stripe's mean activation ({@code gate: mean}, the repository's "ordinary" mode) or a learned
 * linear gate r = W·g + b over a gate input g ({@code gate: routing}; g is the model's side input
 * {@code gate_input} when it offers one, else the activations themselves), with an optional L1 penalty λ·Σ|W|.
 * With {@code active_per_batch} p &lt; 1, each stripe then stays on only in the ⌈p·B⌉ samples of the batch where it
 * is most active (lifetime stripe sparsity, training only: evaluation in the repository is one sample at a time,
 * where it keeps everything). Every stripe mask is distorted (XOR with Bernoulli(q)) with q decaying by
 * {@code distort_decay} after each epoch.
 *
 * <p>{@code behaviour: corrected} (default) differs from {@code faithful} in two places: the routing gate learns
 * from the reconstruction through a straight-through estimator (forward: the 0/1 mask; backward: the gradient of
 * the gated output through σ(r); the gate's input is read detached), where the repository's boolean mask gives it no gradient so it trains only
 * through the L1 term; and distortion is applied in training only, where the repository also distorts its
 * evaluation (including the logged test loss).
 */
@Extension
public final class StripesSparsifier implements Sparsifier<StripesSparsifier.Config> {

    /** Parameters of {@code stripes} (the repository's flags in brackets). */
    public record Config(
            @Param("number of stripes S (num_stripes); the layer width must be a multiple") Integer stripes,
            @Param("stripes kept per sample K (num_active_stripes)") Integer activeStripes,
            @Param("mean (ordinary stripe sparsity) | routing (learned linear gate)") String gate,
            @Param("width of the routing gate's input; unset = the model's gate_input width or the layer width") Integer gateInputDim,
            @Param("L1 weight λ on the routing gate's weights (routing_l1_regularization)") Double routingL1,
            @Param("share p of the batch in which each stripe may be on; 1 = off (active_stripes_per_batch)") Double activePerBatch,
            @Param("initial mask distortion probability q (distort_prob)") Double distortProb,
            @Param("q decreases by this after every training epoch (distort_prob_decay)") Double distortDecay,
            @Param("corrected (gate learns, no distortion at evaluation) | faithful (repository)") String behaviour) {
        public Config {
            stripes = Check.atLeast("stripes", Check.orDefault(stripes, 30), 1);
            activeStripes = Check.atLeast("active_stripes", Check.orDefault(activeStripes, 3), 1);
            gate = Check.oneOf("gate", Check.orDefault(gate, "routing"), List.of("mean", "routing"));
            if (gateInputDim != null) {
                Check.atLeast("gate_input_dim", gateInputDim, 1);
            }
            routingL1 = Check.orDefault(routingL1, 0.0);
            if (!(routingL1 >= 0)) {
                throw ConfigException.invalid("routing_l1", routingL1, "a number >= 0");
            }
            activePerBatch = Check.orDefault(activePerBatch, 1.0);
            if (!(activePerBatch > 0 && activePerBatch <= 1)) {
                throw ConfigException.invalid("active_per_batch", activePerBatch, "a number in (0, 1]");
            }
            distortProb = Check.orDefault(distortProb, 0.4);
            if (!(distortProb >= 0 && distortProb <= 1)) {
                throw ConfigException.invalid("distort_prob", distortProb, "a probability in [0, 1]");
            }
            distortDecay = Check.orDefault(distortDecay, 0.025);
            if (!(distortDecay >= 0)) {
                throw ConfigException.invalid("distort_decay", distortDecay, "a number >= 0");
            }
            behaviour = Check.oneOf("behaviour", Check.orDefault(behaviour, "corrected"), List.of("corrected", "faithful"));
            if (activeStripes > stripes) {
                throw ConfigException.invalid("active_stripes", activeStripes, "an integer in [1, stripes = " + stripes + "]");
            }
        }
    }

    @Override
    public String id() {
        return "stripes";
    }

    @Override
    public String description() {
        return "Keeps the K best stripes (groups) of the code per sample: by mean or a learned routing gate; lifetime stripes; distortion";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public SparsityOp create(Config config, SparsifierContext context) {
        if (context.units() % config.stripes() != 0) {
            throw ConfigException.invalid("stripes", config.stripes(), "a divisor of the layer width " + context.units());
        }
        return new Op(config, context.units(), context.manager());
    }

    static final class Op implements SparsityOp {
        private final Config config;
        private final int stripes;
        private final int width;
        private final NDArray distort;
        private final NDArray gateW;
        private final NDArray gateB;

        Op(Config config, int units, NDManager m) {
            this.config = config;
            this.stripes = config.stripes();
            this.width = units / config.stripes();
            this.distort = m.full(new Shape(1), config.distortProb().floatValue());
            if (config.gate().equals("routing")) {
                int in = config.gateInputDim() != null ? config.gateInputDim() : units;
                float bound = (float) (1 / Math.sqrt(in)); // torch.nn.Linear's default init
                gateW = m.randomUniform(-bound, bound, new Shape(stripes, in));
                gateB = m.randomUniform(-bound, bound, new Shape(stripes));
            } else {
                gateW = null;
                gateB = null;
            }
        }

        boolean faithful() {
            return config.behaviour().equals("faithful");
        }

        double distortProb() {
            return distort.getFloat();
        }

        @Override
        public NDArray apply(NDArray activations, Mode mode) {
            return apply(activations, mode, Map.of());
        }

        @Override
        public NDArray apply(NDArray a, Mode mode, Map<String, NDArray> side) {
            long n = a.getShape().get(0);
            NDArray a3 = a.reshape(n, stripes, width);
            NDArray means = a3.mean(new int[]{2});
            // The gate reads its input detached: it routes the code and learns from the reconstruction, but does not
            // train the layer it reads (the encoder learns from the reconstruction alone, as in the repository).
            NDArray scores = config.gate().equals("routing") ? route(side.getOrDefault("gate_input", a).stopGradient()) : means;
            boolean distorting = mode == Mode.TRAIN || faithful();
            double q = distorting ? distortProb() : 0;
            NDArray mask = Masks.distort(Masks.kmask(scores, config.activeStripes(), 1), q);
            if (mode == Mode.TRAIN && config.activePerBatch() < 1) {
                int keep = (int) Math.ceil(config.activePerBatch() * n);
                mask = mask.mul(Masks.distort(Masks.kmask(means, keep, 0), q));
            }
            if (config.gate().equals("routing") && !faithful() && mode == Mode.TRAIN) {
                // Straight-through: the forward value is the 0/1 mask, the backward passes d(out)/d(mask) to the gate
                // through σ(r) (bounded slope, so the scores cannot grow without end: with the identity the gate's
                // weights grew 7x in 3 epochs and the code died).
                NDArray soft = ai.djl.nn.Activation.sigmoid(scores);
                mask = mask.add(soft.sub(soft.stopGradient()));
            }
            return a3.mul(mask.expandDims(2)).reshape(n, (long) stripes * width);
        }

        private NDArray route(NDArray g) {
            if (g.getShape().get(1) != gateW.getShape().get(1)) {
                throw new IllegalStateException("the routing gate expects inputs of width " + gateW.getShape().get(1)
                        + " but got " + g.getShape().get(1) + " (set gate_input_dim)");
            }
            return g.matMul(gateW.transpose()).add(gateB);
        }

        @Override
        public Optional<NDArray> auxiliaryLoss(Supplier<NDArray> perExampleLoss) {
            if (gateW == null || config.routingL1() == 0) {
                return Optional.empty();
            }
            return Optional.of(gateW.abs().sum().mul(config.routingL1().floatValue()));
        }

        @Override
        public void onEpochEnd(int epoch) {
            float q = Math.max(0f, distort.getFloat() - config.distortDecay().floatValue());
            distort.set(new float[]{q});
        }

        @Override
        public Map<String, NDArray> state() {
            Map<String, NDArray> s = new LinkedHashMap<>();
            s.put("distort_prob", distort);
            if (gateW != null) {
                s.put("gate_weight", gateW);
                s.put("gate_bias", gateB);
            }
            return s;
        }

        @Override
        public Map<String, NDArray> trainable() {
            if (gateW == null) {
                return Map.of();
            }
            Map<String, NDArray> t = new LinkedHashMap<>();
            t.put("gate_weight", gateW);
            t.put("gate_bias", gateB);
            return t;
        }

        @Override
        public Optional<ONNXRef<?>> onnx(OnnxGraph graph, ONNXRef<?> activations) {
            return onnx(graph, activations, Map.of());
        }

        @Override
        public Optional<ONNXRef<?>> onnx(OnnxGraph g, ONNXRef<?> activations, Map<String, ONNXRef<?>> side) {
            if (faithful() && distortProb() > 0) {
                return Optional.empty(); // the repository's evaluation is randomly distorted: no deterministic form
            }
            ONNXRef<?> a3 = g.reshape(activations, -1, stripes, width);
            ONNXRef<?> scores;
            if (config.gate().equals("routing")) {
                ONNXRef<?> in = side.getOrDefault("gate_input", activations);
                scores = g.add(g.matMul(in, g.weightsTransposed("gate_weight_t", gateW)), g.weights("gate_bias", gateB));
                scores = g.reshape(scores, -1, stripes, 1);
            } else {
                scores = a3.apply(ONNXOperators.REDUCE_MEAN, Map.of("axes", new int[]{2}, "keepdims", 1));
            }
            ONNXRef<?> keep = scores.apply(ONNXOperators.GREATER_OR_EQUAL, g.kthLargest(scores, config.activeStripes(), 1));
            ONNXRef<?> gated = g.context().operation(ONNXOperators.WHERE, List.of(keep, a3, g.scalar("zero", 0f)), "stripes_kept");
            return Optional.of(g.reshape(gated, -1, (long) stripes * width));
        }

        @Override
        public Map<String, Double> stats() {
            Map<String, Double> s = new LinkedHashMap<>();
            s.put("distort_prob", distortProb());
            if (gateW != null) {
                s.put("gate_l1", (double) gateW.abs().sum().getFloat());
            }
            return s;
        }
    }
}

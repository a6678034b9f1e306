package org.sparselab.plugins.topk;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
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

import java.util.Map;
import java.util.Optional;

/**
 * {@code learned-k-sigmoid}: the noise paper's LEARN_K_SIGMOID (spec sdm.md §1.6). A trainable real k₀ (start
 * {@code init} + 0.1) sets an integer k = round(k₀); per sample the activations (after ReLU) are ranked, ranks
 * above a window around k keep weight 1, and the window's ranks get 1 − σ(s − (k₀ − k)), with s spread
 * linearly over ±20 across the window, so the fractional part of k₀ moves the soft cut-off and k₀ receives a
 * gradient. Everything below the window is zeroed. k₀ is trained by the run's optimiser at
 * {@code lr_multiplier} × the (bias) learning rate, as the original's own parameter group.
 */
@Extension
public final class LearnedKSigmoidSparsifier implements Sparsifier<LearnedKSigmoidSparsifier.Config> {

    /** Parameters of {@code learned-k-sigmoid} (the original's learn_k_* settings). */
    public record Config(
            @Param("initial k (learn_k_init; k₀ starts at init + 0.1)") Double init,
            @Param("window width as a fraction of the layer (learn_k_window_perc)") Double windowFraction,
            @Param("learning-rate multiplier of k₀ (learn_k_lr_multiplier)") Double lrMultiplier) {
        public Config {
            init = Check.positive("init", Check.orDefault(init, 10.0));
            windowFraction = Check.orDefault(windowFraction, 0.1);
            if (!(windowFraction >= 0 && windowFraction <= 1)) {
                throw ConfigException.invalid("window_fraction", windowFraction, "a number in [0, 1]");
            }
            lrMultiplier = Check.positive("lr_multiplier", Check.orDefault(lrMultiplier, 10.0));
        }
    }

    @Override
    public String id() {
        return "learned-k-sigmoid";
    }

    @Override
    public String description() {
        return "Top-k with a trainable real k: ranks in a window around k weighted by a sigmoid that k's fraction shifts";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public SparsityOp create(Config config, SparsifierContext context) {
        if (config.init() >= context.units()) {
            throw ConfigException.invalid("init", config.init(), "a number below the layer width " + context.units());
        }
        return new Op(config, context.units(), context.manager());
    }

    /** The window of one integer k: ranks [low, high) are weighted, ranks below low keep 1. */
    record Window(int kInt, int high, int allowed, int below, int above) {
        static Window of(int kInt, int units, int windowNum) {
            int high = Math.min(kInt + windowNum / 2, units - 1);
            int low = Math.max(kInt - windowNum / 2, 0);
            return new Window(kInt, high, high - low, kInt - low, high - kInt);
        }
    }

    static final class Op implements SparsityOp {
        private final Config config;
        private final int units;
        private final int windowNum;
        private final NDArray k0;

        Op(Config config, int units, NDManager manager) {
            this.config = config;
            this.units = units;
            this.windowNum = (int) (units * config.windowFraction());
            this.k0 = manager.full(new Shape(1), (float) (config.init() + 0.1));
        }

        double k() {
            return k0.getFloat();
        }

        Window window() {
            int kInt = (int) Math.round(k());
            kInt = Math.max(1, Math.min(kInt, units - 1));
            return Window.of(kInt, units, windowNum);
        }

        /** Weights of the top {@code high} ranks, [high]; differentiable in k₀. */
        NDArray rankWeights(Window w, NDManager m) {
            NDArray ones = m.ones(new Shape(w.high() - w.allowed()));
            if (w.allowed() == 0) {
                return ones;
            }
            float lo = -w.below() * (20f / w.allowed());
            float hi = w.above() * (20f / w.allowed());
            NDArray span = linspace(m, lo, hi, w.allowed());
            NDArray gap = k0.sub((float) w.kInt());
            NDArray sig = ai.djl.nn.Activation.sigmoid(span.sub(gap));
            NDArray tail = sig.neg().add(1f);
            return ones.concat(tail);
        }

        /** The same weights as plain numbers, for the inference graph (k₀ frozen). */
        static float[] rankWeightsValues(Window w, double k0) {
            float[] out = new float[w.high()];
            java.util.Arrays.fill(out, 1f);
            int start = w.high() - w.allowed();
            for (int i = 0; i < w.allowed(); i++) {
                double lo = -w.below() * (20.0 / w.allowed());
                double hi = w.above() * (20.0 / w.allowed());
                double s = w.allowed() == 1 ? lo : lo + (hi - lo) * i / (w.allowed() - 1);
                double z = s - (k0 - w.kInt());
                out[start + i] = (float) (1 - 1 / (1 + Math.exp(-z)));
            }
            return out;
        }

        private static NDArray linspace(NDManager m, float lo, float hi, int n) {
            if (n == 1) {
                return m.create(new float[]{lo});
            }
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = lo + (hi - lo) * i / (n - 1);
            }
            return m.create(v);
        }

        @Override
        public NDArray apply(NDArray activations, Mode mode) {
            NDArray a = activations.maximum(0f);
            Window w = window();
            if (w.high() <= 0) {
                return a.zerosLike();
            }
            NDList top = a.topK(w.high(), -1, true, true);
            NDArray weights = rankWeights(w, a.getManager()).expandDims(0);
            NDArray rankW = weights.broadcast(top.get(0).getShape());
            NDArray mask = a.zerosLike().scatter(top.get(1).toType(DataType.INT64, false), rankW, 1);
            return a.mul(mask);
        }

        @Override
        public Map<String, NDArray> trainable() {
            return Map.of("k", k0);
        }

        @Override
        public double learningRateScale(String name) {
            return config.lrMultiplier();
        }

        @Override
        public Map<String, NDArray> state() {
            return Map.of("k", k0);
        }

        @Override
        public Optional<ONNXRef<?>> onnx(OnnxGraph graph, ONNXRef<?> activations) {
            Window w = window();
            if (w.high() <= 0) {
                return Optional.empty();
            }
            return Optional.of(graph.topKRankWeighted(graph.relu(activations), rankWeightsValues(w, k())));
        }

        @Override
        public Map<String, Double> stats() {
            return Map.of("k", k(), "k_window_end", (double) window().high());
        }
    }
}

package org.sparselab.plugins.modularstripes;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.pf4j.Extension;
import org.sparselab.api.Mode;
import org.sparselab.api.Model;
import org.sparselab.api.Task;
import org.sparselab.api.config.Check;
import org.sparselab.api.config.ConfigException;
import org.sparselab.api.config.Param;
import org.sparselab.api.data.Batch;
import org.sparselab.api.data.DataSpec;
import org.sparselab.api.model.ModelContext;
import org.sparselab.api.model.StepOutput;
import org.sparselab.api.model.TrainableModel;
import org.sparselab.api.onnx.OnnxGraph;
import org.sparselab.api.plot.FigureContext;
import org.sparselab.api.plot.Figures;
import org.sparselab.api.sparsity.SparsifierChain;
import org.sparselab.api.train.ParameterSet;
import org.sparselab.api.train.Updater;
import org.tribuo.util.onnx.ONNXRef;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code modular-stripes}: the modular sparse autoencoder of the MSA repository (spec netfragments-stripes.md Part
 * B). Encoder x → h = ReLU(W₁x + b₁) (intermediate_dim) → c = ReLU(W₂h + b₂) (num_stripes × stripe_dim); layer
 * sparsity, then stripe sparsity (with h as the routing gate's input), then the decoder → ReLU(W₃·) → ReLU(W₄·),
 * trained on the mean squared error against the input plus the routing L1 term. The original's flags are this
 * model's keys with its defaults; they select sparsifiers of the {@code topk} and {@code stripes} plugins by id
 * (site {@code code}); a run that attaches its own sparsifiers at site {@code code} replaces them.
 */
@Extension
public final class ModularStripesModel implements Model<ModularStripesModel.Config> {

    /** The repository's flags (B5) that shape the model and its sparsity, with its defaults. */
    public record Config(
            @Param("width of the intermediate layer h") Integer intermediateDim,
            @Param("units per stripe D") Integer stripeDim,
            @Param("number of stripes S (code width S·D)") Integer numStripes,
            @Param("k of the layer sparsity") Integer numActiveNeurons,
            @Param("stripes kept per sample K") Integer numActiveStripes,
            @Param("none | ordinary | lifetime | boosted") String layerSparsityMode,
            @Param("none | ordinary | routing") String stripeSparsityMode,
            @Param("initial stripe-mask distortion probability") Double distortProb,
            @Param("distortion decrease per epoch") Double distortProbDecay,
            @Param("boosting duty smoothing α; unset = 0.8 (faithful, the original's default) or 0.001 (corrected)") Double alpha,
            @Param("boosting strength β") Double beta,
            @Param("L1 weight on the routing layer's weights") Double routingL1Regularization,
            @Param("share of the batch in which a stripe may be on (1 = off)") Double activeStripesPerBatch,
            @Param("corrected (default: WTA lifetime, paper boosting, learning gate, no distortion at evaluation) | faithful (the repository)") String behaviour) {
        public Config {
            intermediateDim = Check.atLeast("intermediate_dim", Check.orDefault(intermediateDim, 250), 1);
            stripeDim = Check.atLeast("stripe_dim", Check.orDefault(stripeDim, 5), 1);
            numStripes = Check.atLeast("num_stripes", Check.orDefault(numStripes, 30), 1);
            numActiveNeurons = Check.atLeast("num_active_neurons", Check.orDefault(numActiveNeurons, 15), 1);
            numActiveStripes = Check.atLeast("num_active_stripes", Check.orDefault(numActiveStripes, 3), 1);
            layerSparsityMode = Check.oneOf("layer_sparsity_mode", Check.orDefault(layerSparsityMode, "none"),
                    List.of("none", "ordinary", "lifetime", "boosted"));
            stripeSparsityMode = Check.oneOf("stripe_sparsity_mode", Check.orDefault(stripeSparsityMode, "routing"),
                    List.of("none", "ordinary", "routing"));
            distortProb = Check.orDefault(distortProb, 0.4);
            distortProbDecay = Check.orDefault(distortProbDecay, 0.025);
            beta = Check.orDefault(beta, 1.2);
            routingL1Regularization = Check.orDefault(routingL1Regularization, 0.0);
            activeStripesPerBatch = Check.orDefault(activeStripesPerBatch, 1.0);
            behaviour = Check.oneOf("behaviour", Check.orDefault(behaviour, "corrected"), List.of("corrected", "faithful"));
            // As the original, k is checked only where a mask uses it (its tuning grid pairs k = 45 with 30 units, layer mode none).
            if (!layerSparsityMode.equals("none") && numActiveNeurons > numStripes * stripeDim) {
                throw ConfigException.invalid("num_active_neurons", numActiveNeurons, "at most num_stripes × stripe_dim = " + numStripes * stripeDim);
            }
            if (!stripeSparsityMode.equals("none") && numActiveStripes > numStripes) {
                throw ConfigException.invalid("num_active_stripes", numActiveStripes, "at most num_stripes = " + numStripes);
            }
        }

        int codeSize() {
            return numStripes * stripeDim;
        }
    }

    @Override
    public String id() {
        return "modular-stripes";
    }

    @Override
    public String description() {
        return "Modular sparse autoencoder: code split into stripes, few active at once (layer and stripe sparsity, routing gate)";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public TrainableModel create(Config config, ModelContext context) {
        DataSpec data = context.data();
        SparsifierChain chain = context.sparsifiers("code", config.codeSize());
        if (chain.isEmpty()) {
            chain = fromFlags(config, context);
        }
        return new Instance(config, data.inputDim(), chain, context);
    }

    /** The sparsifiers the flags select, in the order of B3: layer sparsity, then stripes. */
    static SparsifierChain fromFlags(Config c, ModelContext ctx) {
        List<SparsifierChain.Link> links = new ArrayList<>();
        int units = c.codeSize();
        switch (c.layerSparsityMode()) {
            case "ordinary" -> links.addAll(ctx.sparsifier("topk", Map.of("k", c.numActiveNeurons(), "mode", "mask"), units).links());
            case "lifetime" -> links.addAll(ctx.sparsifier("lifetime-topk",
                    Map.of("k", c.numActiveNeurons(), "behaviour", c.behaviour()), units).links());
            case "boosted" -> {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("k", c.numActiveNeurons());
                p.put("beta", c.beta());
                p.put("behaviour", c.behaviour());
                if (c.alpha() != null) {
                    p.put("alpha", c.alpha());
                }
                links.addAll(ctx.sparsifier("boosted-topk", p, units).links());
            }
            default -> {
            }
        }
        boolean stripes = !c.stripeSparsityMode().equals("none");
        if (stripes || c.activeStripesPerBatch() < 1) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("stripes", c.numStripes());
            // "none" with lifetime stripes: every stripe passes the per-sample selection
            p.put("active_stripes", stripes ? c.numActiveStripes() : c.numStripes());
            p.put("gate", c.stripeSparsityMode().equals("routing") ? "routing" : "mean");
            p.put("gate_input_dim", c.intermediateDim());
            p.put("routing_l1", c.routingL1Regularization());
            p.put("active_per_batch", c.activeStripesPerBatch());
            p.put("distort_prob", stripes ? c.distortProb() : 0.0);
            p.put("distort_decay", c.distortProbDecay());
            p.put("behaviour", c.behaviour());
            links.addAll(ctx.sparsifier("stripes", p, units).links());
        }
        return new SparsifierChain(links);
    }

    static final class Instance implements TrainableModel {
        private final Config config;
        private final SparsifierChain sparsity;
        private final NDArray w1;
        private final NDArray b1;
        private final NDArray w2;
        private final NDArray b2;
        private final NDArray w3;
        private final NDArray b3;
        private final NDArray w4;
        private final NDArray b4;
        private final Updater updater;
        private final int batchSize;
        private double epochLossSum;
        private long epochBatches;
        private double lastRepoLoss = Double.NaN;

        Instance(Config config, int inputDim, SparsifierChain sparsity, ModelContext ctx) {
            this.config = config;
            this.sparsity = sparsity;
            NDManager m = ctx.manager();
            int h = config.intermediateDim();
            int c = config.codeSize();
            w1 = linear(m, h, inputDim);
            b1 = bias(m, h, inputDim);
            w2 = linear(m, c, h);
            b2 = bias(m, c, h);
            w3 = linear(m, h, c);
            b3 = bias(m, h, c);
            w4 = linear(m, inputDim, h);
            b4 = bias(m, inputDim, h);
            ParameterSet params = new ParameterSet()
                    .weight("w1", w1).bias("b1", b1).weight("w2", w2).bias("b2", b2)
                    .weight("w3", w3).bias("b3", b3).weight("w4", w4).bias("b4", b4);
            sparsity.addTrainableTo(params);
            updater = ctx.updater(params);
            batchSize = ctx.training().batchSize();
        }

        /** torch.nn.Linear's default init: U(±1/√fan_in) for weights and biases. */
        private static NDArray linear(NDManager m, int out, int in) {
            float a = (float) (1 / Math.sqrt(in));
            return m.randomUniform(-a, a, new Shape(out, in));
        }

        private static NDArray bias(NDManager m, int out, int in) {
            float a = (float) (1 / Math.sqrt(in));
            return m.randomUniform(-a, a, new Shape(out));
        }

        NDArray hidden(NDArray x) {
            return x.matMul(w1.transpose()).add(b1).maximum(0f);
        }

        NDArray code(NDArray x, Mode mode) {
            NDArray h = hidden(x);
            NDArray c = h.matMul(w2.transpose()).add(b2).maximum(0f);
            return sparsity.isEmpty() ? c : sparsity.apply(c, mode, Map.of("gate_input", h));
        }

        NDArray decodeCode(NDArray code) {
            NDArray d = code.matMul(w3.transpose()).add(b3).maximum(0f);
            return d.matMul(w4.transpose()).add(b4).maximum(0f);
        }

        @Override
        public Task task() {
            return Task.RECONSTRUCTION;
        }

        @Override
        public int codeSize() {
            return config.codeSize();
        }

        @Override
        public StepOutput trainStep(Batch batch) {
            NDArray x = batch.x();
            NDArray code;
            NDArray out;
            NDArray loss;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                code = code(x, Mode.TRAIN);
                out = decodeCode(code);
                loss = out.sub(x).square().mean();
                NDArray total = loss;
                NDArray o = out;
                Optional<NDArray> aux = sparsity.auxiliaryLoss(() -> o.stopGradient().sub(x).square().mean(new int[]{1}));
                if (aux.isPresent()) {
                    total = total.add(aux.get());
                }
                gc.backward(total);
            }
            updater.step();
            float l = loss.getFloat();
            epochLossSum += l;
            epochBatches++;
            return new StepOutput(x, batch.y(), code.stopGradient(), out.stopGradient(), l);
        }

        @Override
        public StepOutput evaluate(Batch batch) {
            NDArray code = code(batch.x(), Mode.INFERENCE);
            NDArray out = decodeCode(code);
            return new StepOutput(batch.x(), batch.y(), code, out, out.sub(batch.x()).square().mean().getFloat());
        }

        @Override
        public NDArray encode(NDArray x) {
            return code(x, Mode.INFERENCE);
        }

        @Override
        public Optional<NDArray> decode(NDArray code) {
            return Optional.of(decodeCode(code));
        }

        @Override
        public Optional<NDArray> predict(NDArray x) {
            return Optional.of(decodeCode(code(x, Mode.INFERENCE)));
        }

        /**
         * The repository's logged {@code train_loss}: the sum of the epoch's batch losses divided by (batch size ×
         * batches), i.e. the mean batch loss divided by the batch size (a quirk kept for comparison; the run's own
         * {@code loss} is the mean batch loss).
         */
        @Override
        public Map<String, Double> epochStats() {
            double v = epochBatches > 0 ? epochLossSum / epochBatches / batchSize : lastRepoLoss;
            return Double.isNaN(v) ? Map.of() : Map.of("train_loss_repo", v);
        }

        @Override
        public void onEpochEnd(int epoch) {
            // The framework may ask for the epoch's stats after this hook: keep the finished epoch's value.
            lastRepoLoss = epochBatches > 0 ? epochLossSum / epochBatches / batchSize : Double.NaN;
            epochLossSum = 0;
            epochBatches = 0;
        }

        /** The first layer's filters, in input space. */
        @Override
        public Optional<NDArray> atoms() {
            return Optional.of(w1);
        }

        @Override
        public Map<String, NDArray> state() {
            Map<String, NDArray> s = new LinkedHashMap<>();
            s.put("w1", w1);
            s.put("b1", b1);
            s.put("w2", w2);
            s.put("b2", b2);
            s.put("w3", w3);
            s.put("b3", b3);
            s.put("w4", w4);
            s.put("b4", b4);
            return s;
        }

        @Override
        public Optional<ONNXRef<?>> onnxEncode(OnnxGraph g, ONNXRef<?> x) {
            ONNXRef<?> h = g.relu(g.add(g.matMul(x, g.weightsTransposed("w1_t", w1)), g.weights("b1", b1)));
            ONNXRef<?> c = g.relu(g.add(g.matMul(h, g.weightsTransposed("w2_t", w2)), g.weights("b2", b2)));
            return sparsity.isEmpty() ? Optional.of(c) : sparsity.onnx(g, c, Map.of("gate_input", h));
        }

        @Override
        public Optional<ONNXRef<?>> onnxPredict(OnnxGraph g, ONNXRef<?> x) {
            return onnxEncode(g, x).map(code -> {
                ONNXRef<?> d = g.relu(g.add(g.matMul(code, g.weightsTransposed("w3_t", w3)), g.weights("b3", b3)));
                return g.relu(g.add(g.matMul(d, g.weightsTransposed("w4_t", w4)), g.weights("b4", b4)));
            });
        }

        /** Class × stripe mean activation (the original's average_activations, averaged over each stripe's units). */
        @Override
        public void figures(Figures out, FigureContext ctx) {
            if (ctx.testLabels() == null || ctx.size() == 0) {
                return;
            }
            int s = config.numStripes();
            int classes = Math.max(1, ctx.data().numClasses());
            NDArray code = encode(ctx.testInputs());
            float[] means = code.reshape(ctx.size(), s, config.stripeDim()).mean(new int[]{2}).toFloatArray();
            long[] y = ctx.testLabels().toType(DataType.INT64, false).toLongArray();
            float[][] heat = new float[classes][s];
            int[] count = new int[classes];
            for (int i = 0; i < y.length; i++) {
                int c = (int) y[i];
                count[c]++;
                for (int j = 0; j < s; j++) {
                    heat[c][j] += means[i * s + j];
                }
            }
            List<String> rows = new ArrayList<>();
            for (int c = 0; c < classes; c++) {
                rows.add(ctx.data().classNames().isEmpty() ? String.valueOf(c) : ctx.data().classNames().get(c));
                for (int j = 0; j < s; j++) {
                    heat[c][j] = count[c] == 0 ? 0 : heat[c][j] / count[c];
                }
            }
            List<String> cols = new ArrayList<>();
            for (int j = 0; j < s; j++) {
                cols.add(String.valueOf(j));
            }
            out.heatmap("stripe_activation_by_class", "Mean stripe activation per class (" + ctx.size() + " test samples)", heat, rows, cols);
            // The full class × stripe × unit tensor (the repository's average_activations.json), one column per unit.
            int d = config.stripeDim();
            float[] units = code.toFloatArray();
            float[][] full = new float[classes][s * d];
            for (int i = 0; i < y.length; i++) {
                for (int u = 0; u < s * d; u++) {
                    full[(int) y[i]][u] += units[i * s * d + u] / Math.max(1, count[(int) y[i]]);
                }
            }
            List<String> unitCols = new ArrayList<>();
            for (int u = 0; u < s * d; u++) {
                unitCols.add((u / d) + "." + (u % d));
            }
            out.heatmap("average_activations", "Mean code per class, stripe.unit (" + ctx.size() + " test samples)", full, rows, unitCols);
        }

        @Override
        public void close() {
            for (NDArray a : state().values()) {
                a.close();
            }
        }
    }
}

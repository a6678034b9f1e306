package org.sparselab.plugins.sdmtopk;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.pf4j.Extension;
import org.sparselab.api.Mode;
import org.sparselab.api.Model;
import org.sparselab.api.Task;
import org.sparselab.api.config.Check;
import org.sparselab.api.config.ConfigException;
import org.sparselab.api.config.Param;
import org.sparselab.api.data.DataSpec;
import org.sparselab.api.model.ModelContext;
import org.sparselab.api.model.TrainableModel;
import org.sparselab.api.onnx.OnnxGraph;
import org.sparselab.api.sparsity.SparsifierChain;
import org.sparselab.api.train.ParameterSet;
import org.tribuo.util.onnx.ONNXRef;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code relu-ffn}: the noise → sparsity paper's ReLU baseline (FFN_DIFFUSION, spec sdm.md §1.2): [noise] →
 * Linear(+bias) → ReLU → … → Linear(+bias), for reconstruction of the clean input or classification. Layer i's
 * activations pass through the sparsifiers at site {@code hidden} (first layer) or {@code hidden<i+1>}, so a
 * {@code topk} there gives the Top-K baseline of the continual-learning paper (FFN_TOP_K). The code is the
 * last hidden layer. {@code tied_decoder} sets the decoder to the encoder's transpose (one hidden layer).
 */
@Extension
public final class ReluFfnModel implements Model<ReluFfnModel.Config> {

    /** Parameters of {@code relu-ffn}. */
    public record Config(
            @Param("hidden layer widths, e.g. [1000] or [1000, 1000]") List<Integer> hidden,
            @Param("classification | reconstruction | auto (classification when the data has labels)") String task,
            @Param("hidden layers have biases") Boolean bias,
            @Param("the output layer has a bias") Boolean outputBias,
            @Param("decoder weight = encoder weightᵀ (reconstruction with one hidden layer)") Boolean tiedDecoder,
            @Param("coefficient of the activation L1 penalty: mean over the batch of sum |code|") Double activationL1,
            @Param("the noise layer: {type, sigma, during_eval, anneal_start, anneal_epochs, terminal_sigma, projection}") NoiseConfig noise,
            @Param("inhibitory circuit replacing ReLU in every hidden layer: {type: none|all_to_all|interneuron, steps, step_size, only_inhibitory}") InhibCircuitConfig inhibCircuit) {

        public Config {
            hidden = hidden == null || hidden.isEmpty() ? List.of(1000) : List.copyOf(hidden);
            for (int h : hidden) {
                Check.atLeast("hidden", h, 1);
            }
            task = Check.oneOf("task", Check.orDefault(task, "auto"), SdmTopKModel.Config.TASKS);
            bias = Check.orDefault(bias, Boolean.TRUE);
            outputBias = Check.orDefault(outputBias, Boolean.TRUE);
            tiedDecoder = Check.orDefault(tiedDecoder, Boolean.FALSE);
            activationL1 = Check.atLeast("activation_l1", Check.orDefault(activationL1, 0.0), 0.0);
            noise = Check.orDefault(noise, NoiseConfig.none());
            inhibCircuit = Check.orDefault(inhibCircuit, InhibCircuitConfig.none());
            if (tiedDecoder && hidden.size() != 1) {
                throw ConfigException.invalid("tied_decoder", true, "false when there is more than one hidden layer");
            }
        }
    }

    @Override
    public String id() {
        return "relu-ffn";
    }

    @Override
    public String description() {
        return "ReLU feed-forward network with the noise layer (noise → sparsity paper's baseline; + topk = Top-K baseline)";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public TrainableModel create(Config config, ModelContext context) {
        DataSpec data = context.data();
        Task task = GradientModel.resolveTask(config.task(), data);
        if (config.tiedDecoder() && task != Task.RECONSTRUCTION) {
            throw ConfigException.invalid("tied_decoder", true, "false for classification");
        }
        List<SparsifierChain> chains = new ArrayList<>();
        for (int i = 0; i < config.hidden().size(); i++) {
            chains.add(context.sparsifiers(i == 0 ? "hidden" : "hidden" + (i + 1), config.hidden().get(i)));
        }
        return new Instance(config, task, data.inputDim(), task == Task.CLASSIFICATION ? data.numClasses() : data.inputDim(), chains, context);
    }

    static final class Instance extends GradientModel {
        private final Config config;
        private final List<SparsifierChain> chains;
        private final List<NDArray> weights = new ArrayList<>();
        private final List<NDArray> biases = new ArrayList<>();
        private final NDArray decoder;
        private final NDArray decoderBias;
        private final NDArray projection;
        private final List<NDArray[]> circuits = new ArrayList<>();
        private final NoiseLayer noise;
        private int epochsDone;

        Instance(Config config, Task task, int inputDim, int out, List<SparsifierChain> chains, ModelContext ctx) {
            super(task, config.activationL1());
            this.config = config;
            this.chains = chains;
            NDManager m = ctx.manager();
            ParameterSet params = new ParameterSet();
            int in = inputDim;
            for (int i = 0; i < config.hidden().size(); i++) {
                int h = config.hidden().get(i);
                float b = (float) (1 / Math.sqrt(in));
                NDArray w = m.randomUniform(-b, b, new Shape(h, in));
                weights.add(w);
                params.weight("w" + i, w);
                if (config.bias()) {
                    NDArray bb = m.randomUniform(-b, b, new Shape(h));
                    biases.add(bb);
                    params.bias("b" + i, bb);
                }
                if (config.inhibCircuit().enabled()) {
                    float c = (float) (1 / Math.sqrt(h));
                    NDArray[] circuit = config.inhibCircuit().type().equals("all_to_all")
                            ? new NDArray[]{m.randomUniform(-c, c, new Shape(h, h))}
                            : new NDArray[]{m.randomUniform(-c, c, new Shape(1, h)), m.randomUniform(-c, c, new Shape(1)), m.randomUniform(-1f, 1f, new Shape(h, 1))};
                    for (int j = 0; j < circuit.length; j++) {
                        params.add("inhib" + i + "_" + j, circuit[j], circuit[j].getShape().dimension() == 1);
                    }
                    circuits.add(circuit);
                }
                in = h;
            }
            float b = (float) (1 / Math.sqrt(in));
            decoder = config.tiedDecoder() ? null : m.randomUniform(-b, b, new Shape(out, in));
            if (decoder != null) {
                params.weight("out", decoder);
            }
            decoderBias = config.outputBias() ? m.randomUniform(-b, b, new Shape(out)) : null;
            if (decoderBias != null) {
                params.bias("out_bias", decoderBias);
            }
            if (!config.noise().projection().equals("none")) {
                float p = (float) (1 / Math.sqrt(inputDim));
                projection = m.randomUniform(-p, p, new Shape(inputDim, inputDim));
                params.weight("projection", projection);
            } else {
                projection = null;
            }
            noise = new NoiseLayer(config.noise(), ctx.seed());
            chains.forEach(c -> c.addTrainableTo(params));
            updater(ctx.updater(params));
        }

        @Override
        List<SparsifierChain> sparsityOps() {
            return chains;
        }

        @Override
        public int codeSize() {
            return config.hidden().get(config.hidden().size() - 1);
        }

        private NDArray input(NDArray x, boolean noisy) {
            NDArray q = x;
            String proj = config.noise().projection();
            if (proj.equals("before")) {
                q = q.matMul(projection.transpose());
            }
            if (noisy) {
                q = noise.apply(q);
            }
            if (proj.equals("after")) {
                q = q.matMul(projection.transpose());
            }
            return q;
        }

        @Override
        NDArray code(NDArray x, Mode mode) {
            return hidden(input(x, noise.active(true) && mode.training()), mode);
        }

        /** Validation and test passes see noisy inputs when the noise is on during evaluation (the original's default). */
        @Override
        NDArray evaluationCode(NDArray x) {
            return hidden(input(x, noise.active(false)), Mode.INFERENCE);
        }

        private NDArray hidden(NDArray in, Mode mode) {
            NDArray h = in;
            for (int i = 0; i < weights.size(); i++) {
                NDArray pre = h.matMul(weights.get(i).transpose());
                if (config.bias()) {
                    pre = pre.add(biases.get(i));
                }
                NDArray act = config.inhibCircuit().enabled() ? circuit(pre, circuits.get(i)) : pre.maximum(0f);
                h = chains.get(i).isEmpty() ? act : chains.get(i).apply(act, mode);
            }
            return h;
        }

        /** μ ← μ + η(μ₀ − g(C·ReLU(μ)) − μ), {@code steps} times; returns ReLU(μ). */
        private NDArray circuit(NDArray mu0, NDArray[] c) {
            InhibCircuitConfig ic = config.inhibCircuit();
            NDArray mu = mu0;
            for (int s = 0; s < ic.steps(); s++) {
                NDArray z = mu.maximum(0f);
                NDArray cz = c.length == 1 ? z.matMul(c[0].transpose())
                        : z.matMul(c[0].transpose()).add(c[1]).maximum(0f).matMul(c[2].transpose());
                if (ic.onlyInhibitory()) {
                    cz = cz.maximum(0f);
                }
                mu = mu.add(mu0.sub(cz).sub(mu).mul(ic.stepSize().floatValue()));
            }
            return mu.maximum(0f);
        }

        private ONNXRef<?> circuitOnnx(OnnxGraph g, ONNXRef<?> mu0, NDArray[] c, int layer) {
            InhibCircuitConfig ic = config.inhibCircuit();
            ONNXRef<?> mu = mu0;
            ONNXRef<?> eta = g.scalar("inhib_eta", ic.stepSize().floatValue());
            for (int s = 0; s < ic.steps(); s++) {
                ONNXRef<?> z = g.relu(mu);
                ONNXRef<?> cz = c.length == 1 ? g.matMul(z, g.weightsTransposed("inhib" + layer + "_c_t", c[0]))
                        : g.matMul(g.relu(g.add(g.matMul(z, g.weightsTransposed("inhib" + layer + "_in_t", c[0])), g.weights("inhib" + layer + "_b", c[1]))),
                        g.weightsTransposed("inhib" + layer + "_out_t", c[2]));
                if (ic.onlyInhibitory()) {
                    cz = g.relu(cz);
                }
                mu = g.add(mu, g.mul(g.sub(g.sub(mu0, cz), mu), eta));
            }
            return g.relu(mu);
        }

        @Override
        NDArray output(NDArray code) {
            NDArray y = decoder == null ? code.matMul(weights.get(0)) : code.matMul(decoder.transpose());
            return decoderBias == null ? y : y.add(decoderBias);
        }

        @Override
        public Optional<NDArray> atoms() {
            return Optional.of(weights.get(0));
        }

        /** ONNX form of the clean inference code (noise is a training and evaluation device, not part of a deployed model). */
        @Override
        public Optional<ONNXRef<?>> onnxEncode(OnnxGraph g, ONNXRef<?> x) {
            ONNXRef<?> h = projection == null ? x : g.matMul(x, g.weightsTransposed("projection_t", projection));
            for (int i = 0; i < weights.size(); i++) {
                ONNXRef<?> pre = g.matMul(h, g.weightsTransposed("w" + i + "_t", weights.get(i)));
                if (config.bias()) {
                    pre = g.add(pre, g.weights("b" + i, biases.get(i)));
                }
                ONNXRef<?> act = config.inhibCircuit().enabled() ? circuitOnnx(g, pre, circuits.get(i), i) : g.relu(pre);
                if (!chains.get(i).isEmpty()) {
                    Optional<ONNXRef<?>> s = chains.get(i).onnx(g, act);
                    if (s.isEmpty()) {
                        return Optional.empty();
                    }
                    act = s.get();
                }
                h = act;
            }
            return Optional.of(h);
        }

        @Override
        public Optional<ONNXRef<?>> onnxPredict(OnnxGraph g, ONNXRef<?> x) {
            return onnxEncode(g, x).map(code -> {
                ONNXRef<?> y = decoder == null ? g.matMul(code, g.weights("w0_tied", weights.get(0)))
                        : g.matMul(code, g.weightsTransposed("out_t", decoder));
                return decoderBias == null ? y : g.add(y, g.weights("out_bias", decoderBias));
            });
        }

        @Override
        public void onEpochEnd(int epoch) {
            epochsDone = epoch + 1;
            noise.onEpochEnd(epochsDone);
        }

        @Override
        public Map<String, Double> epochStats() {
            return config.noise().type().equals("none") ? Map.of() : Map.of("noise_sigma", noise.sigma());
        }

        @Override
        public java.util.Set<String> headState() {
            java.util.Set<String> h = new java.util.HashSet<>();
            if (decoder != null) {
                h.add("out");
            }
            if (decoderBias != null) {
                h.add("out_bias");
            }
            return h;
        }

        @Override
        public Map<String, NDArray> state() {
            Map<String, NDArray> s = new LinkedHashMap<>();
            for (int i = 0; i < weights.size(); i++) {
                s.put("w" + i, weights.get(i));
                if (config.bias()) {
                    s.put("b" + i, biases.get(i));
                }
            }
            if (decoder != null) {
                s.put("out", decoder);
            }
            if (decoderBias != null) {
                s.put("out_bias", decoderBias);
            }
            if (projection != null) {
                s.put("projection", projection);
            }
            for (int i = 0; i < circuits.size(); i++) {
                for (int j = 0; j < circuits.get(i).length; j++) {
                    s.put("inhib" + i + "_" + j, circuits.get(i)[j]);
                }
            }
            return s;
        }

        @Override
        public void close() {
            state().values().forEach(NDArray::close);
        }
    }
}

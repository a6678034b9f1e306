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
import org.sparselab.api.data.DataSource;
import org.sparselab.api.data.Split;
import org.sparselab.api.model.ModelContext;
import org.sparselab.api.model.TrainableModel;
import org.sparselab.api.onnx.OnnxGraph;
import org.sparselab.api.train.ParameterSet;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXRef;

import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code sdm-attention}: the noise paper's attention model (ATTN_DIFFUSION, spec sdm.md §1.5). Keys and values
 * are stored training samples (the validation samples in evaluation passes, as the original); the query is
 * the noisy input; the output is Xᵀ softmax(β · cos(X, x̃)) with a learned inverse temperature β (init 2). The
 * code is the attention distribution over the stored samples. Only β is trained (Adam here; the original uses
 * SparseAdam with lr 0.01).
 */
@Extension
public final class AttentionModel implements Model<AttentionModel.Config> {

    /** Parameters of {@code sdm-attention}. */
    public record Config(
            @Param("stored samples (keys = values): the first n of the training split; the original stores all") Integer keys,
            @Param("initial β (inverse temperature of the softmax over cosine similarities)") Double betaInit,
            @Param("use the validation split as the memory in evaluation passes (the original's behaviour)") Boolean valKeysInEval,
            @Param("the noise layer on the query: {type, sigma, during_eval, ...}") NoiseConfig noise) {
        public Config {
            keys = Check.atLeast("keys", Check.orDefault(keys, 10000), 1);
            betaInit = Check.positive("beta_init", Check.orDefault(betaInit, 2.0));
            valKeysInEval = Check.orDefault(valKeysInEval, Boolean.TRUE);
            noise = Check.orDefault(noise, NoiseConfig.none());
        }
    }

    @Override
    public String id() {
        return "sdm-attention";
    }

    @Override
    public String description() {
        return "Attention over stored samples (keys = values) with a learned β: the noise paper's attention model";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public TrainableModel create(Config config, ModelContext context) {
        DataSource source = context.source().orElseThrow(() -> new ConfigException("keys",
                "sdm-attention stores training samples, but this context offers no data"));
        return new Instance(config, source, context);
    }

    static final class Instance extends GradientModel {
        private final Config config;
        private final NDArray trainKeys;
        private final NDArray trainKeysNormed;
        private final NDArray evalKeys;
        private final NDArray evalKeysNormed;
        private final NDArray beta;
        private final NoiseLayer noise;

        Instance(Config config, DataSource source, ModelContext ctx) {
            super(Task.RECONSTRUCTION, 0);
            this.config = config;
            NDManager m = ctx.manager();
            trainKeys = rows(source.split("train"), config.keys(), m);
            trainKeysNormed = normalize(trainKeys);
            if (config.valKeysInEval() && source.hasSplit("val")) {
                evalKeys = rows(source.split("val"), config.keys(), m);
                evalKeysNormed = normalize(evalKeys);
            } else {
                evalKeys = trainKeys;
                evalKeysNormed = trainKeysNormed;
            }
            beta = m.full(new Shape(1), config.betaInit().floatValue());
            noise = new NoiseLayer(config.noise(), ctx.seed());
            updater(ctx.updater(new ParameterSet().weight("beta", beta)));
        }

        private static NDArray rows(Split split, int max, NDManager m) {
            int n = Math.min(max, split.size());
            int[] idx = new int[n];
            for (int i = 0; i < n; i++) {
                idx[i] = i;
            }
            return m.create(FloatBuffer.wrap(split.features(idx)), new Shape(n, split.inputDim()));
        }

        private static NDArray normalize(NDArray x) {
            try (NDArray norm = x.norm(new int[]{1}, true); NDArray safe = norm.maximum(1e-12f)) {
                return x.div(safe);
            }
        }

        @Override
        public int codeSize() {
            return (int) trainKeys.getShape().get(0);
        }

        private NDArray attend(NDArray query, NDArray keysNormed) {
            NDArray q = query.div(query.norm(new int[]{1}, true).maximum(1e-12f));
            return q.matMul(keysNormed.transpose()).mul(beta).softmax(1);
        }

        @Override
        NDArray code(NDArray x, Mode mode) {
            boolean train = mode.training();
            NDArray q = train && noise.active(true) ? noise.apply(x) : x;
            return attend(q, trainKeysNormed);
        }

        @Override
        NDArray evaluationCode(NDArray x) {
            return attend(noise.active(false) ? noise.apply(x) : x, evalKeysNormed);
        }

        /** The attention-weighted stored samples. */
        @Override
        NDArray output(NDArray code) {
            return code.matMul(trainKeys);
        }

        @Override
        NDArray evaluationOutput(NDArray code) {
            return code.matMul(evalKeys);
        }

        @Override
        public Optional<NDArray> atoms() {
            return Optional.of(trainKeys);
        }

        @Override
        public Optional<ONNXRef<?>> onnxEncode(OnnxGraph g, ONNXRef<?> x) {
            ONNXRef<?> q = g.l2NormalizeRows(x, 1e-12f);
            ONNXRef<?> scores = g.mul(g.matMul(q, g.weightsTransposed("keys_normed_t", trainKeysNormed)), g.weights("beta", beta));
            return Optional.of(scores.apply(ONNXOperators.SOFTMAX, Map.of("axis", 1)));
        }

        @Override
        public Optional<ONNXRef<?>> onnxPredict(OnnxGraph g, ONNXRef<?> x) {
            return onnxEncode(g, x).map(c -> g.matMul(c, g.weights("values", trainKeys)));
        }

        @Override
        public Map<String, Double> epochStats() {
            return Map.of("beta", (double) beta.getFloat());
        }

        @Override
        public Map<String, NDArray> state() {
            Map<String, NDArray> s = new LinkedHashMap<>();
            s.put("beta", beta);
            return s;
        }

        @Override
        public void close() {
            beta.close();
            trainKeys.close();
            trainKeysNormed.close();
            if (evalKeys != trainKeys) {
                evalKeys.close();
                evalKeysNormed.close();
            }
        }
    }
}

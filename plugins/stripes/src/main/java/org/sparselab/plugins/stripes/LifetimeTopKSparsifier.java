package org.sparselab.plugins.stripes;

import ai.djl.ndarray.NDArray;
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
 * {@code lifetime-topk}: lifetime sparsity of a layer (spec netfragments-stripes.md B3, {@code layer_sparsity_mode
 * = lifetime}). {@code corrected} (default) is winner-take-all lifetime sparsity (Makhzani and Frey, arXiv
 * 1409.2752): in training, each unit keeps its ⌈k/units · batch⌉ largest activations across the mini-batch, so
 * every unit fires for the same share of samples and the mean density is k per sample; at inference there is no
 * mini-batch to compete in and no constraint ({@code inference: none}, the plain ReLU code) unless
 * {@code inference: per_sample_topk} asks for the k largest per sample. {@code faithful} is the MSA repository's
 * own rule: in training the k units with the largest batch-mean activation are kept for every sample of the batch
 * (ties kept); the repository evaluates one sample at a time, where that rule is a per-sample top-k, which is
 * therefore its inference form.
 */
@Extension
public final class LifetimeTopKSparsifier implements Sparsifier<LifetimeTopKSparsifier.Config> {

    /** Parameters of {@code lifetime-topk}. */
    public record Config(
            @Param("k: active units per sample on average (num_active_neurons)") Integer k,
            @Param("corrected (winner-take-all per unit across the batch) | faithful (the repository's batch-mean top-k)") String behaviour,
            @Param("corrected mode at inference: none | per_sample_topk") String inference) {
        public Config {
            k = Check.atLeast("k", Check.orDefault(k, 15), 1);
            behaviour = Check.oneOf("behaviour", Check.orDefault(behaviour, "corrected"), List.of("corrected", "faithful"));
            inference = Check.oneOf("inference", Check.orDefault(inference, "none"), List.of("none", "per_sample_topk"));
        }
    }

    @Override
    public String id() {
        return "lifetime-topk";
    }

    @Override
    public String description() {
        return "Lifetime sparsity: each unit wins for k/units of the batch (winner-take-all), or the repository's batch-mean top-k";
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
        return new Op(config, context.units());
    }

    static final class Op implements SparsityOp {
        private final Config config;
        private final int units;

        Op(Config config, int units) {
            this.config = config;
            this.units = units;
        }

        boolean faithful() {
            return config.behaviour().equals("faithful");
        }

        @Override
        public NDArray apply(NDArray a, Mode mode) {
            if (faithful()) {
                if (mode != Mode.TRAIN) {
                    // The repository evaluates one sample at a time, where its rule is a per-sample top-k.
                    return a.mul(Masks.kmask(a, config.k(), 1));
                }
                // One mask for the batch: the k largest batch means (ties kept).
                NDArray means = a.stopGradient().mean(new int[]{0}, true);
                return a.mul(Masks.kmask(means, config.k(), 1));
            }
            if (mode != Mode.TRAIN) {
                return config.inference().equals("none") ? a : a.mul(Masks.kmask(a, config.k(), 1));
            }
            long batch = a.getShape().get(0);
            int perUnit = (int) Math.max(1, Math.ceil(config.k() / (double) units * batch));
            return a.mul(Masks.kmask(a, perUnit, 0));
        }

        @Override
        public Optional<ONNXRef<?>> onnx(OnnxGraph graph, ONNXRef<?> activations) {
            if (faithful()) {
                return Optional.of(graph.topKMask(activations, config.k()));
            }
            return Optional.of(config.inference().equals("none") ? activations : graph.topKMask(activations, config.k()));
        }
    }
}

package org.sparselab.plugins.topk;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
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
 * {@code topk}: per sample, keeps the k largest activations and sets the rest to zero (the mask form of
 * Top-K). With {@code relu} (default) negative survivors are zeroed too, so a code never has more than k
 * active units. Gradients flow through the kept units only, as with a mask in PyTorch.
 */
@Extension
public final class TopKSparsifier implements Sparsifier<TopKSparsifier.Config> {

    /** Parameters of {@code topk}. */
    public record Config(
            @Param("number of units kept per sample (1 .. layer width)") Integer k,
            @Param("apply ReLU before selecting (the SDM Top-K convention); false keeps signed values") Boolean relu) {
        public Config {
            k = Check.atLeast("k", Check.orDefault(k, 10), 1);
            relu = Check.orDefault(relu, Boolean.TRUE);
        }
    }

    @Override
    public String id() {
        return "topk";
    }

    @Override
    public String description() {
        return "Keeps the k largest activations per sample, zeroes the rest";
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
        return new Op(config.k(), config.relu());
    }

    /** The operator; stateless. */
    static final class Op implements SparsityOp {
        private final int k;
        private final boolean relu;

        Op(int k, boolean relu) {
            this.k = k;
            this.relu = relu;
        }

        @Override
        public NDArray apply(NDArray activations, Mode mode) {
            NDArray a = relu ? activations.maximum(0f) : activations;
            int units = (int) a.getShape().get(a.getShape().dimension() - 1);
            if (k >= units) {
                return a;
            }
            // Threshold at the k-th largest value: one topK (values only) plus a compare keeps it to a few
            // kernels; ties at the threshold can keep more than k, which only happens on exact float ties.
            NDList top = a.stopGradient().topK(k, -1, true, false);
            NDArray kth = top.get(0).min(new int[]{-1}, true);
            NDArray mask = a.gte(kth);
            return a.mul(mask.toType(a.getDataType(), false));
        }

        @Override
        public Optional<ONNXRef<?>> onnx(OnnxGraph graph, ONNXRef<?> activations) {
            ONNXRef<?> a = relu ? graph.relu(activations) : activations;
            return Optional.of(graph.topKMask(a, k));
        }

        @Override
        public Map<String, Double> stats() {
            return Map.of("k", (double) k);
        }
    }
}

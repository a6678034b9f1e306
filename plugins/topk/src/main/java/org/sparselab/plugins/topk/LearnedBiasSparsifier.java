package org.sparselab.plugins.topk;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.pf4j.Extension;
import org.sparselab.api.Mode;
import org.sparselab.api.Sparsifier;
import org.sparselab.api.config.Check;
import org.sparselab.api.config.Param;
import org.sparselab.api.onnx.OnnxGraph;
import org.sparselab.api.sparsity.SparsifierContext;
import org.sparselab.api.sparsity.SparsityOp;
import org.tribuo.util.onnx.ONNXRef;

import java.util.Map;
import java.util.Optional;

/**
 * {@code learned-bias}: the noise paper's LEARN_K_SHARED_BIAS (spec sdm.md §1.3, §1.6): no top-k; ReLU(a + b)
 * with one scalar bias shared by every neuron, initialised to 0 and trained with the model (as a bias, so
 * {@code optimizer.bias_lr} applies). A negative b raises every neuron's threshold: sparsity is learned.
 */
@Extension
public final class LearnedBiasSparsifier implements Sparsifier<LearnedBiasSparsifier.Config> {

    /** Parameters of {@code learned-bias}. */
    public record Config(@Param("initial value of the shared bias") Double init) {
        public Config {
            init = Check.orDefault(init, 0.0);
        }
    }

    @Override
    public String id() {
        return "learned-bias";
    }

    @Override
    public String description() {
        return "ReLU with one trained scalar bias shared by all neurons (learned sparsity threshold)";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public SparsityOp create(Config config, SparsifierContext context) {
        NDArray b = context.manager().full(new Shape(1), config.init().floatValue());
        return new SparsityOp() {
            @Override
            public NDArray apply(NDArray a, Mode mode) {
                return a.add(b).maximum(0f);
            }

            @Override
            public Map<String, NDArray> trainable() {
                return Map.of("bias", b);
            }

            @Override
            public Map<String, NDArray> state() {
                return Map.of("bias", b);
            }

            @Override
            public Optional<ONNXRef<?>> onnx(OnnxGraph graph, ONNXRef<?> activations) {
                return Optional.of(graph.relu(graph.add(activations, graph.weights("shared_bias", b))));
            }

            @Override
            public Map<String, Double> stats() {
                return Map.of("bias", (double) b.getFloat());
            }
        };
    }
}

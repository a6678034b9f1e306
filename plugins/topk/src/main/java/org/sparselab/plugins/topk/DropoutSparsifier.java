package org.sparselab.plugins.topk;

import ai.djl.ndarray.NDArray;
import org.pf4j.Extension;
import org.sparselab.api.Mode;
import org.sparselab.api.Sparsifier;
import org.sparselab.api.config.Check;
import org.sparselab.api.config.Param;
import org.sparselab.api.onnx.OnnxGraph;
import org.sparselab.api.sparsity.SparsifierContext;
import org.sparselab.api.sparsity.SparsityOp;
import org.tribuo.util.onnx.ONNXRef;

import java.util.Optional;

/**
 * {@code dropout}: in training, zeroes each activation with probability p and scales the rest by 1/(1 − p)
 * (inverted dropout, as torch.nn.Dropout); identity at inference. Attach it at any model site; it is the
 * dropout baseline of the SDM continual-learning comparison (p = 0.03 there).
 */
@Extension
public final class DropoutSparsifier implements Sparsifier<DropoutSparsifier.Config> {

    /** Parameters of {@code dropout}. */
    public record Config(@Param("probability of zeroing an activation in training, in [0, 1)") Double p) {
        public Config {
            p = Check.orDefault(p, 0.03);
            if (!(p >= 0 && p < 1)) {
                throw org.sparselab.api.config.ConfigException.invalid("p", p, "a number in [0, 1)");
            }
        }
    }

    @Override
    public String id() {
        return "dropout";
    }

    @Override
    public String description() {
        return "Inverted dropout on activations in training, identity at inference";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public SparsityOp create(Config config, SparsifierContext context) {
        float p = config.p().floatValue();
        return new SparsityOp() {
            @Override
            public NDArray apply(NDArray a, Mode mode) {
                if (!mode.training() || p == 0f) {
                    return a;
                }
                NDArray keep = a.getManager().randomUniform(0f, 1f, a.getShape()).gte(p).toType(a.getDataType(), false);
                return a.mul(keep).div(1 - p);
            }

            @Override
            public Optional<ONNXRef<?>> onnx(OnnxGraph graph, ONNXRef<?> activations) {
                return Optional.of(activations);
            }
        };
    }
}

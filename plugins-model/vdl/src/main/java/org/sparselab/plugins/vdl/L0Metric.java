package org.sparselab.plugins.vdl;

import ai.djl.ndarray.NDArray;
import org.pf4j.Extension;
import org.sparselab.api.Metric;
import org.sparselab.api.NoConfig;
import org.sparselab.api.metric.MeanAccumulator;
import org.sparselab.api.metric.MetricAccumulator;
import org.sparselab.api.metric.MetricContext;
import org.sparselab.api.model.StepOutput;
import org.sparselab.api.model.TrainableModel;

import java.util.Map;

/**
 * {@code l0}: VDL's sparsity "L0" (utils.L0, spec vdl.md §7, check C17): per input, the fraction of code entries that
 * are exactly 0, averaged over the inputs of the pass (higher = sparser; 1 − l0 is the non-zero fraction). The code is
 * the model's step-output code, for {@code vdl} the encoder's prediction in training and evaluation alike.
 */
@Extension
public final class L0Metric implements Metric<NoConfig> {

    @Override
    public String id() {
        return "l0";
    }

    @Override
    public String description() {
        return "Mean over inputs of the fraction of code entries exactly 0 (VDL's L0; higher = sparser)";
    }

    @Override
    public Class<NoConfig> configType() {
        return NoConfig.class;
    }

    @Override
    public MetricAccumulator create(NoConfig config, MetricContext context) {
        MeanAccumulator mean = new MeanAccumulator();
        return new MetricAccumulator() {
            @Override
            public void update(StepOutput out) {
                NDArray code = out.code();
                if (code == null || code.size() == 0) {
                    return;
                }
                // every input has the same width, so the batch's mean per-input fraction is zeros / size
                long zeros = code.eq(0f).sum().getLong();
                mean.add(zeros / (double) code.size(), code.getShape().get(0));
            }

            @Override
            public Map<String, Double> result(TrainableModel model) {
                return mean.count() == 0 ? Map.of() : Map.of("l0", mean.mean());
            }

            @Override
            public void reset() {
                mean.reset();
            }
        };
    }
}

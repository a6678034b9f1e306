package org.sparselab.plugins.metrics;

import ai.djl.ndarray.NDArray;
import org.pf4j.Extension;
import org.sparselab.api.Metric;
import org.sparselab.api.config.Check;
import org.sparselab.api.config.Param;
import org.sparselab.api.metric.MeanAccumulator;
import org.sparselab.api.metric.MetricAccumulator;
import org.sparselab.api.metric.MetricContext;
import org.sparselab.api.model.StepOutput;
import org.sparselab.api.model.TrainableModel;

import java.util.Map;

/**
 * {@code active_fraction}: per input, the fraction of code units with |a| > threshold, averaged over the inputs
 * of the pass (the SDM papers' "mean fraction of neurons active", spec sdm.md §1.7; threshold 0 for ReLU / Top-K).
 */
@Extension
public final class ActiveFractionMetric implements Metric<ActiveFractionMetric.Config> {

    /** Parameters of {@code active_fraction}. */
    public record Config(
            @Param("a unit is active when |a| > threshold (>= 0; 0 for ReLU / Top-K, the papers use 1e-4 otherwise)") Double threshold) {
        public Config {
            threshold = Check.atLeast("threshold", Check.orDefault(threshold, 0.0), 0.0);
        }
    }

    @Override
    public String id() {
        return "active_fraction";
    }

    @Override
    public String description() {
        return "Mean over inputs of the fraction of code units with |a| > threshold";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public MetricAccumulator create(Config config, MetricContext context) {
        float threshold = config.threshold().floatValue();
        MeanAccumulator mean = new MeanAccumulator();
        return new MetricAccumulator() {
            @Override
            public void update(StepOutput out) {
                NDArray code = out.code();
                if (code == null || code.size() == 0) {
                    return;
                }
                long n = code.getShape().get(0);
                // every input has the same width, so the batch's mean per-input fraction is active / size
                long active = code.abs().gt(threshold).sum().getLong();
                mean.add(active / (double) code.size(), n);
            }

            @Override
            public Map<String, Double> result(TrainableModel model) {
                return mean.count() == 0 ? Map.of() : Map.of("active_fraction", mean.mean());
            }

            @Override
            public void reset() {
                mean.reset();
            }
        };
    }
}

package com.example.sparselab;

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

/** {@code code_l1}: the mean over samples of the code's L1 norm, optionally divided by the code width. */
@Extension
public final class CodeL1Metric implements Metric<CodeL1Metric.Config> {

    /** Parameters. */
    public record Config(@Param("divide by the number of code units") Boolean perUnit) {
        public Config {
            perUnit = Check.orDefault(perUnit, Boolean.FALSE);
        }
    }

    @Override
    public String id() {
        return "code_l1";
    }

    @Override
    public String description() {
        return "Mean L1 norm of the code per sample (example third-party plugin)";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public MetricAccumulator create(Config config, MetricContext context) {
        double scale = config.perUnit() ? 1.0 / context.codeSize() : 1.0;
        MeanAccumulator mean = new MeanAccumulator();
        return new MetricAccumulator() {
            @Override
            public void update(StepOutput out) {
                NDArray code = out.code();
                if (code != null) {
                    long n = code.getShape().get(0);
                    mean.add(code.abs().sum().getFloat() / n * scale, n);
                }
            }

            @Override
            public Map<String, Double> result(TrainableModel model) {
                return mean.count() == 0 ? Map.of() : Map.of("code_l1", mean.mean());
            }

            @Override
            public void reset() {
                mean.reset();
            }
        };
    }
}

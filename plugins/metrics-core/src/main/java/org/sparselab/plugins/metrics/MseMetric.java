package org.sparselab.plugins.metrics;

import ai.djl.ndarray.NDArray;
import org.pf4j.Extension;
import org.sparselab.api.Metric;
import org.sparselab.api.NoConfig;
import org.sparselab.api.Task;
import org.sparselab.api.metric.MeanAccumulator;
import org.sparselab.api.metric.MetricAccumulator;
import org.sparselab.api.metric.MetricContext;
import org.sparselab.api.model.StepOutput;
import org.sparselab.api.model.TrainableModel;

import java.util.Map;

/** {@code mse}: mean over samples and dimensions of (reconstruction - clean input)^2; reconstruction models only. */
@Extension
public final class MseMetric implements Metric<NoConfig> {

    @Override
    public String id() {
        return "mse";
    }

    @Override
    public String description() {
        return "Reconstruction mean squared error against the clean input (reconstruction models)";
    }

    @Override
    public Class<NoConfig> configType() {
        return NoConfig.class;
    }

    @Override
    public MetricAccumulator create(NoConfig config, MetricContext context) {
        boolean applies = context.task() == Task.RECONSTRUCTION;
        MeanAccumulator mean = new MeanAccumulator();
        return new MetricAccumulator() {
            @Override
            public void update(StepOutput out) {
                if (applies && out.output() != null) {
                    NDArray d = out.output().sub(out.input());
                    long n = out.input().getShape().get(0);
                    mean.add(d.square().mean().getFloat(), n);
                }
            }

            @Override
            public Map<String, Double> result(TrainableModel model) {
                return mean.count() == 0 ? Map.of() : Map.of("mse", mean.mean());
            }

            @Override
            public void reset() {
                mean.reset();
            }
        };
    }
}

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
                NDArray x = out.input();
                NDArray o = out.output();
                if (!applies || o == null || x.getShape().get(0) == 0) {
                    return;
                }
                if (o.size() != x.size()) {
                    throw new IllegalArgumentException("mse: reconstruction " + o.getShape() + " does not match input " + x.getShape());
                }
                // reshape guards against silent broadcasting ([n, 1] against [n, d]) and image-shaped outputs
                float batchMean = o.reshape(x.getShape()).sub(x).square().mean().getFloat();
                mean.add(batchMean, x.getShape().get(0));
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

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

/** {@code accuracy}: fraction of samples whose highest class score is their label; classifiers only. */
@Extension
public final class AccuracyMetric implements Metric<NoConfig> {

    @Override
    public String id() {
        return "accuracy";
    }

    @Override
    public String description() {
        return "Fraction of samples whose arg-max class score equals the label (classification models)";
    }

    @Override
    public Class<NoConfig> configType() {
        return NoConfig.class;
    }

    @Override
    public MetricAccumulator create(NoConfig config, MetricContext context) {
        boolean applies = context.task() == Task.CLASSIFICATION;
        MeanAccumulator mean = new MeanAccumulator();
        return new MetricAccumulator() {
            @Override
            public void update(StepOutput out) {
                NDArray labels = out.labels();
                if (!applies || out.output() == null || labels == null) {
                    return;
                }
                long n = labels.size();
                if (n == 0) {
                    return;
                }
                // labels flattened so a [n, 1] column cannot broadcast into an [n, n] comparison
                long correct = out.output().argMax(1).eq(labels.reshape(n)).sum().getLong();
                mean.add(correct / (double) n, n);
            }

            @Override
            public Map<String, Double> result(TrainableModel model) {
                return mean.count() == 0 ? Map.of() : Map.of("accuracy", mean.mean());
            }

            @Override
            public void reset() {
                mean.reset();
            }
        };
    }
}

package org.sparselab.plugins.metrics;

import org.pf4j.Extension;
import org.sparselab.api.Metric;
import org.sparselab.api.NoConfig;
import org.sparselab.api.metric.MetricAccumulator;
import org.sparselab.api.metric.MetricContext;
import org.sparselab.api.metric.ReconstructionMean;

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
        return new ReconstructionMean("mse", context, (x, y) -> y.sub(x).square().mean().getFloat());
    }
}

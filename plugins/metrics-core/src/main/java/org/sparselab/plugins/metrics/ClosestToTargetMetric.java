package org.sparselab.plugins.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import org.pf4j.Extension;
import org.sparselab.api.Metric;
import org.sparselab.api.NoConfig;
import org.sparselab.api.metric.MetricAccumulator;
import org.sparselab.api.metric.MetricContext;
import org.sparselab.api.metric.ReconstructionMean;

/**
 * {@code closest_to_target}: for reconstruction models, the fraction of a batch whose reconstruction is nearer
 * (L2) to its own clean input than to any other clean input of the batch (the noise paper's "closest to
 * target" accuracy on reconstructions).
 */
@Extension
public final class ClosestToTargetMetric implements Metric<NoConfig> {

    @Override
    public String id() {
        return "closest_to_target";
    }

    @Override
    public String description() {
        return "Fraction of reconstructions nearest (L2) to their own clean input among the batch's inputs";
    }

    @Override
    public Class<NoConfig> configType() {
        return NoConfig.class;
    }

    @Override
    public MetricAccumulator create(NoConfig config, MetricContext context) {
        return new ReconstructionMean("closest_to_target", context, (x, o) -> {
            long n = x.getShape().get(0);
            // ||o_i - x_j||² up to the row constant ||o_i||²: ||x_j||² - 2 o_i·x_j
            NDArray d = x.square().sum(new int[]{1}).expandDims(0).sub(o.matMul(x.transpose()).mul(2f));
            NDArray hit = d.argMin(1).eq(x.getManager().arange(n).toType(DataType.INT64, false));
            return hit.sum().getLong() / (double) n;
        });
    }
}

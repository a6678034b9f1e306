package org.sparselab.api;

import org.sparselab.api.metric.MetricAccumulator;
import org.sparselab.api.metric.MetricContext;

/** Extension point for metrics: accumulators over the batches of one epoch and split. */
public interface Metric<C extends Record> extends Configurable<C> {

    MetricAccumulator create(C config, MetricContext context);
}

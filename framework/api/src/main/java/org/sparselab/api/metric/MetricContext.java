package org.sparselab.api.metric;

import ai.djl.ndarray.NDManager;
import org.sparselab.api.Task;
import org.sparselab.api.data.DataSource;

/**
 * What a metric sees when it is created.
 *
 * @param data the run's data (spec and ground truth)
 * @param task what the model's output means
 * @param codeSize width of the model's code
 * @param manager owner of accumulator arrays (per-unit sums)
 */
public record MetricContext(DataSource data, Task task, int codeSize, NDManager manager) {
}

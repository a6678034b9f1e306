package org.sparselab.api.metric;

import org.sparselab.api.model.StepOutput;
import org.sparselab.api.model.TrainableModel;

import java.util.Map;

/**
 * Accumulates one metric over the batches of an epoch on one split. The framework creates one per
 * split and calls {@link #reset()} at the start of each pass.
 */
public interface MetricAccumulator {

    void update(StepOutput out);

    /**
     * Named values for the pass (e.g. {@code mse}); an empty map when the metric does not apply
     * (accuracy without labels). The model is given for metrics of its parameters.
     */
    Map<String, Double> result(TrainableModel model);

    void reset();
}

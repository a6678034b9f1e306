package org.sparselab.api.metric;

import ai.djl.ndarray.NDArray;
import org.sparselab.api.Task;
import org.sparselab.api.model.StepOutput;
import org.sparselab.api.model.TrainableModel;

import java.util.Map;

/**
 * The accumulator of a reconstruction metric that is a sample-weighted mean of one value per batch, computed from the
 * clean inputs and the model's reconstructions: what every such metric would otherwise write again. It applies only to
 * {@link Task#RECONSTRUCTION} models (else its result is empty), skips empty batches, refuses a reconstruction whose size
 * differs from the input's (naming the metric and both shapes), and hands the value both as {@code [n, features]}, so
 * that image-shaped inputs and outputs that differ only in shape compare element by element, never by broadcasting.
 *
 * <pre>{@code
 * public MetricAccumulator create(NoConfig config, MetricContext context) {
 *     return new ReconstructionMean("mse", context, (x, y) -> y.sub(x).square().mean().getFloat());
 * }
 * }</pre>
 */
public final class ReconstructionMean implements MetricAccumulator {

    /** One batch's value, the mean over its samples, from inputs and reconstructions, both {@code [n, features]}. */
    @FunctionalInterface
    public interface BatchValue {
        double of(NDArray inputs, NDArray reconstructions);
    }

    private final String name;
    private final boolean applies;
    private final BatchValue value;
    private final MeanAccumulator mean = new MeanAccumulator();

    /** name: the result's key (the metric's id); context: whether the model reconstructs its input. */
    public ReconstructionMean(String name, MetricContext context, BatchValue value) {
        this.name = name;
        this.applies = context.task() == Task.RECONSTRUCTION;
        this.value = value;
    }

    @Override
    public void update(StepOutput out) {
        NDArray x = out.input();
        NDArray o = out.output();
        if (!applies || o == null || x.getShape().get(0) == 0) {
            return;
        }
        if (o.size() != x.size()) {
            throw new IllegalArgumentException(name + ": reconstruction " + o.getShape() + " does not match input " + x.getShape());
        }
        long n = x.getShape().get(0);
        NDArray flat = x.reshape(n, -1);
        mean.add(value.of(flat, o.reshape(flat.getShape())), n);
    }

    @Override
    public Map<String, Double> result(TrainableModel model) {
        return mean.count() == 0 ? Map.of() : Map.of(name, mean.mean());
    }

    @Override
    public void reset() {
        mean.reset();
    }
}

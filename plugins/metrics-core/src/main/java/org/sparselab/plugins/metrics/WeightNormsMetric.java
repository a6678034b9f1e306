package org.sparselab.plugins.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import org.pf4j.Extension;
import org.sparselab.api.Metric;
import org.sparselab.api.NoConfig;
import org.sparselab.api.metric.MetricAccumulator;
import org.sparselab.api.metric.MetricContext;
import org.sparselab.api.model.StepOutput;
import org.sparselab.api.model.TrainableModel;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** {@code weight_norms}: mean, min and max L2 norm of the model's atoms (neuron addresses, filters), per pass. */
@Extension
public final class WeightNormsMetric implements Metric<NoConfig> {

    @Override
    public String id() {
        return "weight_norms";
    }

    @Override
    public String description() {
        return "Mean, min and max L2 norm of the model's atoms (rows of the first layer's weights)";
    }

    @Override
    public Class<NoConfig> configType() {
        return NoConfig.class;
    }

    @Override
    public MetricAccumulator create(NoConfig config, MetricContext context) {
        return new MetricAccumulator() {
            @Override
            public void update(StepOutput out) {
                // depends on parameters only
            }

            @Override
            public Map<String, Double> result(TrainableModel model) {
                // result() runs outside the step scopes: this scope frees the temporaries (and any copy atoms() makes)
                try (NDScope scope = new NDScope()) {
                    Optional<NDArray> atoms = model.atoms();
                    if (atoms.isEmpty() || atoms.get().getShape().get(0) == 0) {
                        return Map.of();
                    }
                    NDArray a = atoms.get().stopGradient();
                    float[] v = a.reshape(a.getShape().get(0), -1).norm(new int[]{1}).toFloatArray();
                    double sum = 0;
                    double min = Double.POSITIVE_INFINITY;
                    double max = Double.NEGATIVE_INFINITY;
                    for (float f : v) {
                        sum += f;
                        min = Math.min(min, f);
                        max = Math.max(max, f);
                    }
                    Map<String, Double> r = new LinkedHashMap<>();
                    r.put("weight_norm_mean", sum / v.length);
                    r.put("weight_norm_min", min);
                    r.put("weight_norm_max", max);
                    return r;
                }
            }

            @Override
            public void reset() {
            }
        };
    }
}

package org.sparselab.plugins.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.pf4j.Extension;
import org.sparselab.api.Metric;
import org.sparselab.api.config.Check;
import org.sparselab.api.config.Param;
import org.sparselab.api.data.FloatTensor;
import org.sparselab.api.metric.MetricAccumulator;
import org.sparselab.api.metric.MetricContext;
import org.sparselab.api.model.StepOutput;
import org.sparselab.api.model.TrainableModel;

import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code dictionary_recovery}: for data with a known dictionary (ground truth {@code dictionary}, atoms as
 * rows), how well the model's atoms recover it: for each true atom the largest |cosine| with any learned
 * atom; reports their mean and the fraction of true atoms above {@code threshold}. Sign and order of the
 * learned atoms do not matter. Computed once per pass from the parameters, not per batch.
 */
@Extension
public final class DictionaryRecoveryMetric implements Metric<DictionaryRecoveryMetric.Config> {

    /** Parameters. */
    public record Config(@Param("a true atom counts as recovered when its best |cosine| is at least this") Double threshold) {
        public Config {
            threshold = Check.inRange("threshold", Check.orDefault(threshold, 0.99), 0.0, 1.0);
        }
    }

    @Override
    public String id() {
        return "dictionary_recovery";
    }

    @Override
    public String description() {
        return "Mean best |cosine| between true and learned atoms, and fraction of true atoms recovered (synthetic data)";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public MetricAccumulator create(Config config, MetricContext context) {
        FloatTensor truth = context.data().groundTruth().get("dictionary");
        NDManager manager = context.manager();
        return new MetricAccumulator() {
            @Override
            public void update(StepOutput out) {
                // depends on parameters only
            }

            @Override
            public Map<String, Double> result(TrainableModel model) {
                Optional<NDArray> atoms = model.atoms();
                if (truth == null || atoms.isEmpty()) {
                    return Map.of();
                }
                float[] best = bestCosines(truth, atoms.get(), manager);
                double sum = 0;
                int recovered = 0;
                for (float b : best) {
                    sum += b;
                    if (b >= config.threshold()) {
                        recovered++;
                    }
                }
                Map<String, Double> r = new LinkedHashMap<>();
                r.put("dictionary_recovery", sum / best.length);
                r.put("atoms_recovered", recovered / (double) best.length);
                return r;
            }

            @Override
            public void reset() {
            }
        };
    }

    /** For each true atom (row of {@code truth}) the max over learned atoms of |cos|. */
    static float[] bestCosines(FloatTensor truth, NDArray learned, NDManager manager) {
        if (learned.getShape().get(1) != truth.cols()) {
            throw new IllegalArgumentException("learned atoms have dimension " + learned.getShape().get(1)
                    + ", the true dictionary " + truth.cols());
        }
        try (NDManager scratch = manager.newSubManager()) {
            NDArray d = scratch.create(FloatBuffer.wrap(truth.data()), new Shape(truth.rows(), truth.cols()));
            NDArray l = learned.toType(ai.djl.ndarray.types.DataType.FLOAT32, true);
            l.attach(scratch);
            NDArray dn = d.div(d.norm(new int[]{1}, true).maximum(1e-12f));
            NDArray ln = l.div(l.norm(new int[]{1}, true).maximum(1e-12f));
            return dn.matMul(ln.transpose()).abs().max(new int[]{1}).toFloatArray();
        }
    }
}

package org.sparselab.plugins.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
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
 * {@code dictionary_recovery}: for data with a known dictionary (ground truth {@code dictionary}, atoms as rows
 * {@code [atoms, dim]}), how well the model's atoms recover it: for each true atom the largest |cosine| with any
 * learned atom. Reports their mean ({@code dictionary_recovery}) and the fraction of true atoms whose best
 * |cosine| reaches {@code threshold} ({@code atoms_recovered}). Order and sign of the learned atoms do not
 * matter. It depends on the parameters only, so it is computed once per pass, in {@code result}.
 */
@Extension
public final class DictionaryRecoveryMetric implements Metric<DictionaryRecoveryMetric.Config> {

    /** Parameters of {@code dictionary_recovery}. */
    public record Config(
            @Param("a true atom counts as recovered when its best |cosine| with a learned atom is at least this (0 .. 1)") Double threshold) {
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
        return "Mean best |cosine| between true and learned atoms, and the fraction of true atoms recovered (synthetic data)";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public MetricAccumulator create(Config config, MetricContext context) {
        FloatTensor truth = context.data().groundTruth().get("dictionary");
        double threshold = config.threshold();
        return new MetricAccumulator() {
            @Override
            public void update(StepOutput out) {
                // depends on the parameters only
            }

            @Override
            public Map<String, Double> result(TrainableModel model) {
                if (truth == null || truth.rows() == 0) {
                    return Map.of();
                }
                float[] best;
                // result() runs outside the step scopes: this scope frees the temporaries (and any copy atoms() makes)
                try (NDScope scope = new NDScope()) {
                    Optional<NDArray> atoms = model.atoms();
                    best = atoms.isEmpty() ? null : bestCosines(truth, atoms.get());
                }
                if (best == null) {
                    return Map.of();
                }
                double sum = 0;
                int recovered = 0;
                for (float b : best) {
                    sum += b;
                    if (b >= threshold) {
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

    /**
     * For each true atom (row of {@code truth}) the max over learned atoms of |cos|; null when there are no learned
     * atoms or they live in another space (a different width), where the metric does not apply. Call inside an
     * NDScope: the temporaries are not closed here.
     */
    static float[] bestCosines(FloatTensor truth, NDArray learned) {
        long rows = learned.getShape().get(0);
        if (rows == 0 || learned.size() / rows != truth.cols()) {
            return null;
        }
        NDArray l = learned.stopGradient().reshape(rows, truth.cols()).toType(DataType.FLOAT32, false);
        NDArray d = l.getManager().create(FloatBuffer.wrap(truth.data()), new Shape(truth.rows(), truth.cols()))
                .toDevice(l.getDevice(), false);
        NDArray dn = d.div(d.norm(new int[]{1}, true).maximum(1e-12f));
        NDArray ln = l.div(l.norm(new int[]{1}, true).maximum(1e-12f));
        return dn.matMul(ln.transpose()).abs().max(new int[]{1}).toFloatArray();
    }
}

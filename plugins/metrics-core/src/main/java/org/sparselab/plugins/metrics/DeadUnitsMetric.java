package org.sparselab.plugins.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import org.pf4j.Extension;
import org.sparselab.api.Metric;
import org.sparselab.api.config.Check;
import org.sparselab.api.config.Param;
import org.sparselab.api.metric.MetricAccumulator;
import org.sparselab.api.metric.MetricContext;
import org.sparselab.api.model.StepOutput;
import org.sparselab.api.model.TrainableModel;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code dead_units}: the fraction of code units that are dead over a whole pass (an epoch of training, or
 * a validation/test pass). Two definitions: {@code never_active} (no input of the pass made |a| > threshold)
 * and {@code sum_below} (the summed activation over the pass is below {@code min_sum}: the SDM continual
 * learner's definition with 1e-4 on the validation set; the noise paper uses 1e-5 over a training epoch).
 * With {@code entropy: true} also reports the entropy (bits) of the units' share of the summed activity.
 */
@Extension
public final class DeadUnitsMetric implements Metric<DeadUnitsMetric.Config> {

    /** Parameters. */
    public record Config(
            @Param("never_active | sum_below") String definition,
            @Param("activity threshold for never_active: a unit is active when |a| > threshold") Double threshold,
            @Param("sum_below: a unit is dead when its summed activation over the pass is below this") Double minSum,
            @Param("also report activity_entropy: entropy in bits of p_i = S_i / sum S") Boolean entropy) {
        public Config {
            definition = Check.oneOf("definition", Check.orDefault(definition, "never_active"), List.of("never_active", "sum_below"));
            threshold = Check.atLeast("threshold", Check.orDefault(threshold, 0.0), 0.0);
            minSum = Check.atLeast("min_sum", Check.orDefault(minSum, 1e-4), 0.0);
            entropy = Check.orDefault(entropy, Boolean.FALSE);
        }
    }

    @Override
    public String id() {
        return "dead_units";
    }

    @Override
    public String description() {
        return "Fraction of code units never active over a pass (or with summed activation below min_sum)";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public MetricAccumulator create(Config config, MetricContext context) {
        boolean counting = config.definition().equals("never_active");
        float threshold = config.threshold().floatValue();
        UnitAccumulator activity = new UnitAccumulator(context.manager());
        UnitAccumulator sums = config.entropy() ? new UnitAccumulator(context.manager()) : null;
        return new MetricAccumulator() {
            @Override
            public void update(StepOutput out) {
                NDArray code = out.code();
                if (code == null) {
                    return;
                }
                NDArray a = code.abs();
                if (counting) {
                    activity.add(a.gt(threshold).toType(DataType.FLOAT32, false).sum(new int[]{0}));
                } else {
                    activity.add(a.sum(new int[]{0}));
                }
                if (sums != null) {
                    sums.add(a.sum(new int[]{0}));
                }
            }

            @Override
            public Map<String, Double> result(TrainableModel model) {
                float[] s = activity.values();
                if (s == null) {
                    return Map.of();
                }
                int dead = 0;
                for (float v : s) {
                    if (counting ? v == 0f : v < config.minSum()) {
                        dead++;
                    }
                }
                Map<String, Double> r = new LinkedHashMap<>();
                r.put("dead_units", dead / (double) s.length);
                if (sums != null) {
                    r.put("activity_entropy", entropyBits(sums.values()));
                }
                return r;
            }

            @Override
            public void reset() {
                activity.reset();
                if (sums != null) {
                    sums.reset();
                }
            }
        };
    }

    /** Entropy of p_i = S_i / sum(S) in bits, with p = 0 counted as 1e-15 as the noise paper's code does. */
    static double entropyBits(float[] s) {
        double total = 0;
        for (float v : s) {
            total += v;
        }
        if (total <= 0) {
            return 0;
        }
        double h = 0;
        for (float v : s) {
            double p = Math.max(v / total, 1e-15);
            h -= p * Math.log(p) / Math.log(2);
        }
        return h;
    }
}

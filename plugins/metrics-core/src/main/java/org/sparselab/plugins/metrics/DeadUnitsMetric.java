package org.sparselab.plugins.metrics;

import ai.djl.ndarray.NDArray;
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
 * {@code dead_units}: the fraction of code units that are dead over a whole pass (a training epoch, or a
 * validation/test pass). Two definitions: {@code never_active} (no input of the pass gave |a| > threshold) and
 * {@code sum_below} (the summed |a| over the pass is below {@code min_sum}: the continual learner's definition,
 * 1e-4 on the validation set, spec sdm.md §4.2; the noise paper uses 1e-5 over a training epoch, §1.7).
 * With {@code entropy: true} it also reports {@code activity_entropy}, the entropy in bits of p_i = S_i / ΣS with
 * S_i the summed |a| of unit i and p = 0 counted as 1e-15 (as the noise paper logs it).
 *
 * <p>Per-unit sums stay on the engine (one [units] array in the context's manager); the host sees them once,
 * in {@code result}.
 */
@Extension
public final class DeadUnitsMetric implements Metric<DeadUnitsMetric.Config> {

    static final List<String> DEFINITIONS = List.of("never_active", "sum_below");

    /** Parameters of {@code dead_units}. */
    public record Config(
            @Param("never_active (no |a| > threshold on any input of the pass) | sum_below (summed |a| over the pass < min_sum)") String definition,
            @Param("never_active: a unit is active when |a| > threshold (>= 0)") Double threshold,
            @Param("sum_below: a unit is dead when its summed |a| over the pass is below this (>= 0; paper A uses 1e-5)") Double minSum,
            @Param("also report activity_entropy, the entropy in bits of the units' shares of summed |a|") Boolean entropy) {
        public Config {
            definition = Check.oneOf("definition", Check.orDefault(definition, "never_active"), DEFINITIONS);
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
        return "Fraction of code units never active over a pass (or with summed activation below min_sum); optional activity entropy";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public MetricAccumulator create(Config config, MetricContext context) {
        boolean neverActive = config.definition().equals("never_active");
        float threshold = config.threshold().floatValue();
        double minSum = config.minSum();
        // never_active counts, per unit, the batches in which it fired; sum_below keeps the summed |a|,
        // which is also what the entropy needs, so only never_active with entropy needs a second array
        UnitAccumulator primary = new UnitAccumulator(context.manager());
        UnitAccumulator sums = !config.entropy() ? null : neverActive ? new UnitAccumulator(context.manager()) : primary;
        return new MetricAccumulator() {
            @Override
            public void update(StepOutput out) {
                NDArray code = out.code();
                if (code == null || code.size() == 0) {
                    return;
                }
                NDArray a = code.reshape(code.getShape().get(0), -1).abs();
                if (neverActive) {
                    // a per-unit max over the batch then a compare on [units]: one pass over the batch
                    primary.add(a.max(new int[]{0}).gt(threshold));
                    if (sums != null) {
                        sums.add(a.sum(new int[]{0}));
                    }
                } else {
                    primary.add(a.sum(new int[]{0}));
                }
            }

            @Override
            public Map<String, Double> result(TrainableModel model) {
                float[] s = primary.values();
                if (s == null) {
                    return Map.of();
                }
                int dead = 0;
                for (float v : s) {
                    if (neverActive ? v == 0f : v < minSum) {
                        dead++;
                    }
                }
                Map<String, Double> r = new LinkedHashMap<>();
                r.put("dead_units", dead / (double) s.length);
                if (sums != null) {
                    double h = entropyBits(sums == primary ? s : sums.values());
                    if (!Double.isNaN(h)) {
                        r.put("activity_entropy", h);
                    }
                }
                return r;
            }

            @Override
            public void reset() {
                primary.reset();
                if (sums != null && sums != primary) {
                    sums.reset();
                }
            }
        };
    }

    /** Entropy in bits of p_i = s_i / Σs, with p = 0 counted as 1e-15; NaN when every s_i is 0 (no distribution). */
    static double entropyBits(float[] s) {
        double total = 0;
        for (float v : s) {
            total += v;
        }
        if (!(total > 0)) {
            return Double.NaN;
        }
        double h = 0;
        for (float v : s) {
            double p = Math.max(v / total, 1e-15);
            h -= p * Math.log(p);
        }
        return h / Math.log(2);
    }
}

package org.sparselab.plugins.metrics;

import ai.djl.ndarray.NDScope;
import org.junit.jupiter.api.Test;
import org.sparselab.api.Task;
import org.sparselab.api.config.ConfigException;
import org.sparselab.api.metric.MetricAccumulator;
import org.sparselab.api.model.StepOutput;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** dead_units under both definitions, its entropy, and pass boundaries. */
class DeadUnitsMetricTest extends Fixtures {

    private MetricAccumulator dead(String definition, Double threshold, Double minSum, Boolean entropy) {
        return new DeadUnitsMetric().create(new DeadUnitsMetric.Config(definition, threshold, minSum, entropy), ctx(Task.NONE));
    }

    /** Four units over two batches (2 and 1 inputs): summed |a| = 6, 0.2, 0, 0.05. */
    private void feed(MetricAccumulator... accs) {
        float[][] batches = {{1, 0, 0, 0, -2, 0.2f, 0, 0.05f}, {3, 0, 0, 0}};
        for (float[] values : batches) {
            // as the framework does: each step in its own scope, which closes the step's arrays afterwards
            try (NDScope s = new NDScope()) {
                StepOutput out = codeOnly(arr(values.length / 4, 4, values));
                for (MetricAccumulator a : accs) {
                    a.update(out);
                }
            }
        }
    }

    @Test
    void neverActiveCountsUnitsWithoutAnyActivation() {
        MetricAccumulator zero = dead(null, null, null, null);
        MetricAccumulator above = dead("never_active", 0.1, null, null);
        feed(zero, above);
        // only unit 2 is exactly 0 everywhere
        assertEquals(Map.of("dead_units", 0.25), zero.result(model()));
        // with |a| > 0.1, unit 3 (max 0.05) is dead as well; unit 1 (0.2) is not
        assertEquals(Map.of("dead_units", 0.5), above.result(model()));
    }

    @Test
    void sumBelowComparesThePassSumsWithMinSum() {
        MetricAccumulator byDefault = dead("sum_below", null, null, null);
        MetricAccumulator strict = dead("SUM_BELOW", null, 0.1, null);
        MetricAccumulator loose = dead("sum_below", null, 0.5, null);
        feed(byDefault, strict, loose);
        // min_sum 1e-4: only the silent unit; 0.1: also 0.05; 0.5: also 0.2
        assertEquals(0.25, byDefault.result(model()).get("dead_units"), 1e-9);
        assertEquals(0.5, strict.result(model()).get("dead_units"), 1e-9);
        assertEquals(0.75, loose.result(model()).get("dead_units"), 1e-9);
    }

    @Test
    void sumBelowAccumulatesAcrossBatches() {
        MetricAccumulator acc = dead("sum_below", null, 1.0, null);
        // unit 0 gets 0.6 per batch: dead after one batch, alive after two
        try (NDScope s = new NDScope()) {
            acc.update(codeOnly(arr(1, 2, 0.6f, 5)));
        }
        assertEquals(0.5, acc.result(model()).get("dead_units"), 1e-9);
        try (NDScope s = new NDScope()) {
            acc.update(codeOnly(arr(1, 2, 0.6f, 5)));
        }
        assertEquals(0.0, acc.result(model()).get("dead_units"), 1e-9);
    }

    @Test
    void entropyOfTheUnitsShareOfSummedActivity() {
        MetricAccumulator never = dead("never_active", null, null, true);
        MetricAccumulator sum = dead("sum_below", null, null, true);
        feed(never, sum);
        double total = 6.25;
        double h = 0;
        for (double si : new double[]{6, 0.2, 0, 0.05}) {
            double p = Math.max(si / total, 1e-15);
            h -= p * Math.log(p) / Math.log(2);
        }
        assertEquals(h, never.result(model()).get("activity_entropy"), 1e-6);
        assertEquals(h, sum.result(model()).get("activity_entropy"), 1e-6);
        assertFalse(dead(null, null, null, null).result(model()).containsKey("activity_entropy"));
    }

    @Test
    void entropyOfUniformActivityIsLog2OfTheWidth() {
        MetricAccumulator acc = dead(null, null, null, true);
        acc.update(codeOnly(arr(2, 4, 1, 1, 1, 1, 2, 2, 2, 2)));
        assertEquals(2.0, acc.result(model()).get("activity_entropy"), 1e-6);
    }

    @Test
    void entropyIsLeftOutWhenNothingFired() {
        MetricAccumulator acc = dead(null, null, null, true);
        acc.update(codeOnly(arr(1, 3, 0, 0, 0)));
        assertEquals(Map.of("dead_units", 1.0), acc.result(model()));
    }

    @Test
    void resetForgetsThePreviousPass() {
        MetricAccumulator never = dead(null, null, null, true);
        MetricAccumulator sum = dead("sum_below", null, 0.5, true);
        feed(never, sum);
        never.reset();
        sum.reset();
        assertEquals(Map.of(), never.result(model()));
        assertEquals(Map.of(), sum.result(model()));
        // a new pass in which only unit 2 fires: the others are dead now, however active they were before
        try (NDScope s = new NDScope()) {
            StepOutput out = codeOnly(arr(1, 4, 0, 0, 1, 0));
            never.update(out);
            sum.update(out);
        }
        assertEquals(0.75, never.result(model()).get("dead_units"), 1e-9);
        assertEquals(0.0, never.result(model()).get("activity_entropy"), 1e-9);
        assertEquals(0.75, sum.result(model()).get("dead_units"), 1e-9);
    }

    @Test
    void emptyWithoutCode() {
        MetricAccumulator acc = dead(null, null, null, true);
        acc.update(new StepOutput(arr(1, 1, 0), null, null, arr(1, 1, 0), 0));
        assertEquals(Map.of(), acc.result(model()));
    }

    @Test
    void configDefaultsAndValidates() {
        DeadUnitsMetric.Config c = new DeadUnitsMetric.Config(null, null, null, null);
        assertEquals("never_active", c.definition());
        assertEquals(0.0, c.threshold());
        assertEquals(1e-4, c.minSum());
        assertFalse(c.entropy());
        assertThrows(ConfigException.class, () -> new DeadUnitsMetric.Config("sometimes", null, null, null));
        assertThrows(ConfigException.class, () -> new DeadUnitsMetric.Config(null, -0.1, null, null));
        assertThrows(ConfigException.class, () -> new DeadUnitsMetric.Config(null, null, -1e-5, null));
    }
}

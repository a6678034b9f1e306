package org.sparselab.plugins.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.sparselab.api.NoConfig;
import org.sparselab.api.Task;
import org.sparselab.api.data.FloatTensor;
import org.sparselab.api.metric.MetricAccumulator;
import org.sparselab.api.metric.MetricContext;
import org.sparselab.api.model.StepOutput;
import org.sparselab.api.model.TrainableModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every metric used as the framework uses it: each update inside the step's NDScope, whose arrays (the step's
 * output included) are closed right after; results and resets between passes. Accumulators must survive the
 * scopes and the manager must hold a constant number of arrays.
 */
class StepScopeTest extends Fixtures {
    private static final int UNITS = 16;
    private static final int SILENT = 4;

    private List<MetricAccumulator> all(Task task) {
        FloatTensor dictionary = new FloatTensor(new float[]{1, 0, 0, 0, 0, 1, 0, 0}, new int[]{2, 4});
        MetricContext c = ctx(task, Map.of("dictionary", dictionary));
        List<MetricAccumulator> list = new ArrayList<>();
        list.add(new MseMetric().create(new NoConfig(), c));
        list.add(new AccuracyMetric().create(new NoConfig(), c));
        list.add(new ActiveFractionMetric().create(new ActiveFractionMetric.Config(null), c));
        list.add(new DeadUnitsMetric().create(new DeadUnitsMetric.Config(null, null, null, true), c));
        list.add(new DeadUnitsMetric().create(new DeadUnitsMetric.Config("sum_below", null, null, true), c));
        list.add(new DictionaryRecoveryMetric().create(new DictionaryRecoveryMetric.Config(null), c));
        list.add(new ClosestToTargetMetric().create(new NoConfig(), c));
        list.add(new WeightNormsMetric().create(new NoConfig(), c));
        return list;
    }

    /** One step created inside the scope, as a model would: the last SILENT units never fire. */
    private StepOutput step(int n, Task task) {
        NDArray mask = m.ones(new Shape(1, UNITS));
        mask.set(new NDIndex(":, {}:", UNITS - SILENT), 0f);
        NDArray code = m.randomUniform(0.1f, 1f, new Shape(n, UNITS)).mul(mask);
        NDArray x = m.randomNormal(new Shape(n, 4));
        NDArray labels = m.randomInteger(0, 3, new Shape(n), DataType.INT64);
        NDArray output = task == Task.CLASSIFICATION ? m.randomNormal(new Shape(n, 3)) : x.add(0.5f);
        return new StepOutput(x, labels, code, output, 0.1);
    }

    private Map<String, Double> pass(List<MetricAccumulator> accs, TrainableModel model, Task task, int steps) {
        for (MetricAccumulator a : accs) {
            a.reset();
        }
        for (int i = 0; i < steps; i++) {
            try (NDScope s = new NDScope()) {
                StepOutput out = step(3 + i % 5, task);
                for (MetricAccumulator a : accs) {
                    a.update(out);
                }
            }
        }
        Map<String, Double> r = new TreeMap<>();
        accs.forEach(a -> r.putAll(a.result(model)));
        return r;
    }

    @Test
    void accumulatorsSurviveStepScopesWithConstantMemory() {
        for (Task task : new Task[]{Task.RECONSTRUCTION, Task.CLASSIFICATION}) {
            NDArray atoms = arr(3, 4, 1, 0, 0, 0, 0, -2, 0, 0, 1, 1, 1, 1);
            TrainableModel model = model(atoms);
            List<MetricAccumulator> accs = all(task);
            int before = -1;
            for (int epoch = 0; epoch < 3; epoch++) {
                for (int i = 0; i < 100; i++) {
                    try (NDScope s = new NDScope()) {
                        StepOutput out = step(3 + i % 5, task);
                        for (MetricAccumulator a : accs) {
                            a.update(out);
                        }
                    }
                    if (epoch == 0 && i == 0) {
                        before = m.getManagedArrays().size();
                    }
                    assertEquals(before, m.getManagedArrays().size(), "arrays after update " + i + " of pass " + epoch);
                }
                Map<String, Double> r = new TreeMap<>();
                accs.forEach(a -> r.putAll(a.result(model)));
                // the lazily created per-unit sums lived through 100 scopes
                assertEquals((double) SILENT / UNITS, r.get("dead_units"), 1e-9, task + " " + r);
                assertEquals((double) (UNITS - SILENT) / UNITS, r.get("active_fraction"), 1e-9);
                assertEquals(1.0, r.get("dictionary_recovery"), 1e-6);
                assertEquals(task == Task.RECONSTRUCTION, r.containsKey("mse"));
                assertEquals(task == Task.CLASSIFICATION, r.containsKey("accuracy"));
                if (task == Task.RECONSTRUCTION) {
                    assertEquals(0.25, r.get("mse"), 1e-6);
                }
                assertEquals(before, m.getManagedArrays().size(), "arrays after result of pass " + epoch);
                accs.forEach(MetricAccumulator::reset);
            }
            // after reset the three per-unit arrays (never_active + its sums, sum_below) are freed; the next pass
            // creates them again
            assertEquals(before - 3, m.getManagedArrays().size());
            pass(accs, model, task, 10);
            assertEquals(before, m.getManagedArrays().size());
        }
    }

    @Test
    void passesAreIndependent() {
        List<MetricAccumulator> accs = all(Task.RECONSTRUCTION);
        TrainableModel model = model(arr(1, 4, 1, 0, 0, 0));
        Map<String, Double> first = pass(accs, model, Task.RECONSTRUCTION, 5);
        // a pass in which every unit fires must not inherit the earlier pass's silent units
        accs.forEach(MetricAccumulator::reset);
        try (NDScope s = new NDScope()) {
            NDArray code = m.ones(new Shape(2, UNITS));
            StepOutput out = new StepOutput(m.zeros(new Shape(2, 4)), null, code, m.zeros(new Shape(2, 4)), 0);
            accs.forEach(a -> a.update(out));
        }
        Map<String, Double> second = new TreeMap<>();
        accs.forEach(a -> second.putAll(a.result(model)));
        assertEquals(0.25, first.get("dead_units"), 1e-9);
        assertEquals(0.0, second.get("dead_units"), 1e-9);
        assertEquals(1.0, second.get("active_fraction"), 1e-9);
        assertEquals(0.0, second.get("mse"), 1e-9);
        assertEquals(4.0, second.get("activity_entropy"), 1e-6);
    }
}

package org.sparselab.plugins.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sparselab.api.Task;
import org.sparselab.api.data.ArraySplit;
import org.sparselab.api.data.DataSource;
import org.sparselab.api.data.DataSpec;
import org.sparselab.api.data.FloatTensor;
import org.sparselab.api.data.Split;
import org.sparselab.api.metric.MetricAccumulator;
import org.sparselab.api.metric.MetricContext;
import org.sparselab.api.model.StepOutput;
import org.sparselab.api.model.TrainableModel;
import org.sparselab.api.NoConfig;
import org.sparselab.api.data.Batch;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsTest {
    private NDManager m;

    @BeforeEach
    void open() {
        m = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        m.close();
    }

    private NDArray arr(int rows, int cols, float... v) {
        return m.create(v, new Shape(rows, cols));
    }

    private static DataSource data(Map<String, FloatTensor> truth) {
        return new DataSource() {
            @Override
            public DataSpec spec() {
                return DataSpec.of(new int[]{2}, 0);
            }

            @Override
            public List<String> splitNames() {
                return List.of("train");
            }

            @Override
            public Split split(String name) {
                return new ArraySplit("train", new float[2], null, 2);
            }

            @Override
            public String fingerprint() {
                return "x";
            }

            @Override
            public Map<String, FloatTensor> groundTruth() {
                return truth;
            }
        };
    }

    /** A model double with fixed atoms. */
    private static TrainableModel model(NDArray atoms) {
        return new TrainableModel() {
            @Override
            public Task task() {
                return Task.RECONSTRUCTION;
            }

            @Override
            public int codeSize() {
                return 3;
            }

            @Override
            public StepOutput trainStep(Batch batch) {
                throw new IllegalStateException("not used");
            }

            @Override
            public StepOutput evaluate(Batch batch) {
                throw new IllegalStateException("not used");
            }

            @Override
            public NDArray encode(NDArray x) {
                return x;
            }

            @Override
            public Optional<NDArray> atoms() {
                return Optional.ofNullable(atoms);
            }

            @Override
            public Map<String, NDArray> state() {
                return Map.of();
            }

            @Override
            public void close() {
            }
        };
    }

    private MetricContext ctx(Task task, Map<String, FloatTensor> truth) {
        return new MetricContext(data(truth), task, 3, m);
    }

    @Test
    void mseIsSampleWeightedAcrossBatchesAndOnlyForReconstruction() {
        MetricAccumulator mse = new MseMetric().create(new NoConfig(), ctx(Task.RECONSTRUCTION, Map.of()));
        // batch 1: one sample, squared error mean 4; batch 2: three samples, mean 0
        mse.update(new StepOutput(arr(1, 2, 0, 0), null, null, arr(1, 2, 2, 2), 0));
        mse.update(new StepOutput(arr(3, 2, 1, 1, 1, 1, 1, 1), null, null, arr(3, 2, 1, 1, 1, 1, 1, 1), 0));
        assertEquals(1.0, mse.result(model(null)).get("mse"), 1e-9);
        mse.reset();
        assertEquals(Map.of(), mse.result(model(null)));
        MetricAccumulator cls = new MseMetric().create(new NoConfig(), ctx(Task.CLASSIFICATION, Map.of()));
        cls.update(new StepOutput(arr(1, 2, 0, 0), null, null, arr(1, 2, 2, 2), 0));
        assertEquals(Map.of(), cls.result(model(null)));
    }

    @Test
    void accuracyComparesArgMaxWithLabels() {
        MetricAccumulator acc = new AccuracyMetric().create(new NoConfig(), ctx(Task.CLASSIFICATION, Map.of()));
        NDArray logits = arr(4, 3, 1, 5, 0, 9, 1, 1, 0, 0, 3, 2, 1, 0);
        acc.update(new StepOutput(arr(4, 1, 0, 0, 0, 0), m.create(new long[]{1, 0, 2, 1}), null, logits, 0));
        assertEquals(0.75, acc.result(model(null)).get("accuracy"), 1e-9);
        acc.update(new StepOutput(arr(1, 1, 0), m.create(new long[]{2}), null, arr(1, 3, 1, 0, 0), 0));
        assertEquals(3.0 / 5, acc.result(model(null)).get("accuracy"), 1e-9);
    }

    @Test
    void activeFractionAndDeadUnits() {
        MetricContext c = ctx(Task.NONE, Map.of());
        MetricAccumulator af = new ActiveFractionMetric().create(new ActiveFractionMetric.Config(null), c);
        MetricAccumulator dead = new DeadUnitsMetric().create(new DeadUnitsMetric.Config(null, null, null, true), c);
        MetricAccumulator deadSum = new DeadUnitsMetric().create(new DeadUnitsMetric.Config("sum_below", null, 0.5, null), c);
        // 3 units; unit 2 never active; unit 1 only slightly active (sum 0.2)
        NDArray code1 = arr(2, 3, 1, 0, 0, 2, 0.2f, 0);
        NDArray code2 = arr(1, 3, 3, 0, 0);
        for (NDArray code : List.of(code1, code2)) {
            try (NDScope s = new NDScope()) {
                NDScope.unregister(code);
                StepOutput out = new StepOutput(code, null, code, null, Double.NaN);
                af.update(out);
                dead.update(out);
                deadSum.update(out);
            }
        }
        // per-input fractions 1/3, 2/3, 1/3 -> mean 4/9
        assertEquals(4.0 / 9, af.result(model(null)).get("active_fraction"), 1e-9);
        Map<String, Double> d = dead.result(model(null));
        assertEquals(1.0 / 3, d.get("dead_units"), 1e-9);
        // sums 6 and 0.2 -> p = 6/6.2, 0.2/6.2
        double p = 6 / 6.2;
        double q = 0.2 / 6.2;
        double h = -(p * Math.log(p) + q * Math.log(q)) / Math.log(2) - 1e-15 * Math.log(1e-15) / Math.log(2);
        assertEquals(h, d.get("activity_entropy"), 1e-6);
        assertEquals(2.0 / 3, deadSum.result(model(null)).get("dead_units"), 1e-9);
        dead.reset();
        assertEquals(Map.of(), dead.result(model(null)));
    }

    @Test
    void accumulatorsKeepConstantMemoryUnderStepScopes() {
        MetricAccumulator dead = new DeadUnitsMetric().create(new DeadUnitsMetric.Config(null, null, null, true), ctx(Task.NONE, Map.of()));
        int before = -1;
        for (int i = 0; i < 100; i++) {
            try (NDScope s = new NDScope()) {
                NDArray code = m.randomUniform(0, 1, new Shape(8, 16)).sub(0.5f).maximum(0f);
                dead.update(new StepOutput(code, null, code, null, Double.NaN));
            }
            if (i == 0) {
                before = m.getManagedArrays().size();
            }
        }
        assertEquals(before, m.getManagedArrays().size());
        assertTrue(dead.result(model(null)).containsKey("dead_units"));
    }

    @Test
    void dictionaryRecoveryIgnoresOrderAndSign() {
        FloatTensor truth = new FloatTensor(new float[]{1, 0, 0, 0, 1, 0}, new int[]{2, 3});
        MetricContext c = ctx(Task.RECONSTRUCTION, Map.of("dictionary", truth));
        MetricAccumulator rec = new DictionaryRecoveryMetric().create(new DictionaryRecoveryMetric.Config(null), c);
        NDArray permuted = arr(3, 3, 0, -2, 0, 0, 0, 1, 3, 0, 0);
        Map<String, Double> r = rec.result(model(permuted));
        assertEquals(1.0, r.get("dictionary_recovery"), 1e-6);
        assertEquals(1.0, r.get("atoms_recovered"), 1e-9);
        NDArray off = arr(1, 3, 1, 1, 0);
        Map<String, Double> r2 = rec.result(model(off));
        assertEquals(Math.sqrt(0.5), r2.get("dictionary_recovery"), 1e-6);
        assertEquals(0.0, r2.get("atoms_recovered"), 1e-9);
        MetricAccumulator none = new DictionaryRecoveryMetric().create(new DictionaryRecoveryMetric.Config(null), ctx(Task.NONE, Map.of()));
        assertEquals(Map.of(), none.result(model(permuted)));
    }

    @Test
    void closestToTargetAndWeightNorms() {
        MetricAccumulator ctt = new ClosestToTargetMetric().create(new NoConfig(), ctx(Task.RECONSTRUCTION, Map.of()));
        NDArray x = arr(3, 2, 0, 0, 5, 0, 0, 5);
        // reconstructions 0 and 1 land near their own input, reconstruction 2 near input 1
        NDArray o = arr(3, 2, 0.1f, 0, 4.9f, 0.2f, 4.8f, 0.1f);
        ctt.update(new StepOutput(x, null, null, o, 0));
        assertEquals(2.0 / 3, ctt.result(model(null)).get("closest_to_target"), 1e-9);
        MetricAccumulator wn = new WeightNormsMetric().create(new NoConfig(), ctx(Task.NONE, Map.of()));
        Map<String, Double> r = wn.result(model(arr(2, 2, 3, 4, 0, 1)));
        assertEquals(3.0, r.get("weight_norm_mean"), 1e-6);
        assertEquals(1.0, r.get("weight_norm_min"), 1e-6);
        assertEquals(5.0, r.get("weight_norm_max"), 1e-6);
    }
}

package org.sparselab.plugins.metrics;

import ai.djl.ndarray.NDArray;
import org.junit.jupiter.api.Test;
import org.sparselab.api.NoConfig;
import org.sparselab.api.Task;
import org.sparselab.api.config.ConfigException;
import org.sparselab.api.metric.MetricAccumulator;
import org.sparselab.api.model.StepOutput;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** mse, accuracy and active_fraction: hand-computed batches, sample weighting, reset, where they do not apply. */
class BatchMetricsTest extends Fixtures {

    @Test
    void mseIsTheMeanOverSamplesAndDimensions() {
        MetricAccumulator mse = new MseMetric().create(new NoConfig(), ctx(Task.RECONSTRUCTION));
        // errors (1, -2, 0, 3) over 2 samples x 2 dims: (1 + 4 + 0 + 9) / 4
        mse.update(new StepOutput(arr(2, 2, 0, 0, 1, 1), null, null, arr(2, 2, 1, -2, 1, 4), 0));
        assertEquals(Map.of("mse", 3.5), mse.result(model()));
    }

    @Test
    void mseWeightsBatchesBySamples() {
        MetricAccumulator mse = new MseMetric().create(new NoConfig(), ctx(Task.RECONSTRUCTION));
        // one sample with mean squared error 4, then three samples with 0: (4 * 1 + 0 * 3) / 4, not (4 + 0) / 2
        mse.update(new StepOutput(arr(1, 2, 0, 0), null, null, arr(1, 2, 2, 2), 0));
        mse.update(new StepOutput(arr(3, 2, 1, 1, 1, 1, 1, 1), null, null, arr(3, 2, 1, 1, 1, 1, 1, 1), 0));
        assertEquals(1.0, mse.result(model()).get("mse"), 1e-9);
    }

    @Test
    void mseResetStartsAFreshPass() {
        MetricAccumulator mse = new MseMetric().create(new NoConfig(), ctx(Task.RECONSTRUCTION));
        mse.update(new StepOutput(arr(1, 2, 0, 0), null, null, arr(1, 2, 2, 2), 0));
        mse.reset();
        assertEquals(Map.of(), mse.result(model()));
        mse.update(new StepOutput(arr(1, 2, 0, 0), null, null, arr(1, 2, 1, 1), 0));
        assertEquals(1.0, mse.result(model()).get("mse"), 1e-9);
    }

    @Test
    void mseIsEmptyForOtherTasksOrWithoutOutput() {
        StepOutput step = new StepOutput(arr(1, 2, 0, 0), labels(1), null, arr(1, 2, 2, 2), 0);
        for (Task task : new Task[]{Task.CLASSIFICATION, Task.NONE}) {
            MetricAccumulator mse = new MseMetric().create(new NoConfig(), ctx(task));
            mse.update(step);
            assertEquals(Map.of(), mse.result(model()));
        }
        MetricAccumulator mse = new MseMetric().create(new NoConfig(), ctx(Task.RECONSTRUCTION));
        mse.update(new StepOutput(arr(1, 2, 0, 0), null, null, null, 0));
        assertEquals(Map.of(), mse.result(model()));
    }

    @Test
    void mseRejectsAnOutputOfAnotherSize() {
        MetricAccumulator mse = new MseMetric().create(new NoConfig(), ctx(Task.RECONSTRUCTION));
        assertThrows(IllegalArgumentException.class,
                () -> mse.update(new StepOutput(arr(2, 2, 0, 0, 0, 0), null, null, arr(2, 1, 1, 1), 0)));
    }

    @Test
    void accuracyComparesArgMaxWithLabelsAcrossBatches() {
        MetricAccumulator acc = new AccuracyMetric().create(new NoConfig(), ctx(Task.CLASSIFICATION));
        // argmax per row: 1, 0, 2, 0 against labels 1, 0, 2, 1 -> 3 of 4
        NDArray logits = arr(4, 3, 1, 5, 0, 9, 1, 1, 0, 0, 3, 2, 1, 0);
        acc.update(new StepOutput(arr(4, 1, 0, 0, 0, 0), labels(1, 0, 2, 1), null, logits, 0));
        assertEquals(0.75, acc.result(model()).get("accuracy"), 1e-9);
        // a second batch of one wrong sample: 3 of 5 (sample-weighted), not (0.75 + 0) / 2
        acc.update(new StepOutput(arr(1, 1, 0), labels(2), null, arr(1, 3, 1, 0, 0), 0));
        assertEquals(0.6, acc.result(model()).get("accuracy"), 1e-9);
        acc.reset();
        assertEquals(Map.of(), acc.result(model()));
        acc.update(new StepOutput(arr(1, 1, 0), labels(0), null, arr(1, 3, 1, 0, 0), 0));
        assertEquals(1.0, acc.result(model()).get("accuracy"), 1e-9);
    }

    @Test
    void accuracyAcceptsLabelsAsAColumn() {
        MetricAccumulator acc = new AccuracyMetric().create(new NoConfig(), ctx(Task.CLASSIFICATION));
        NDArray column = m.create(new long[]{1, 1}).reshape(2, 1);
        acc.update(new StepOutput(arr(2, 1, 0, 0), column, null, arr(2, 2, 0, 1, 1, 0), 0));
        assertEquals(0.5, acc.result(model()).get("accuracy"), 1e-9);
    }

    @Test
    void accuracyIsEmptyWithoutLabelsOrForOtherTasks() {
        MetricAccumulator noLabels = new AccuracyMetric().create(new NoConfig(), ctx(Task.CLASSIFICATION));
        noLabels.update(new StepOutput(arr(1, 1, 0), null, null, arr(1, 2, 0, 1), 0));
        assertEquals(Map.of(), noLabels.result(model()));
        MetricAccumulator reconstruction = new AccuracyMetric().create(new NoConfig(), ctx(Task.RECONSTRUCTION));
        reconstruction.update(new StepOutput(arr(1, 2, 0, 1), labels(1), null, arr(1, 2, 0, 1), 0));
        assertEquals(Map.of(), reconstruction.result(model()));
    }

    @Test
    void activeFractionAveragesPerInputFractionsOverThePass() {
        MetricAccumulator af = new ActiveFractionMetric().create(new ActiveFractionMetric.Config(null), ctx(Task.NONE));
        // per-input fractions 1/3, 2/3 (negative values count through |a|), then 3/3 in a batch of one
        af.update(codeOnly(arr(2, 3, 1, 0, 0, -2, 0.2f, 0)));
        af.update(codeOnly(arr(1, 3, 3, 1, 1)));
        assertEquals((1.0 / 3 + 2.0 / 3 + 1.0) / 3, af.result(model()).get("active_fraction"), 1e-9);
        af.reset();
        assertEquals(Map.of(), af.result(model()));
        af.update(codeOnly(arr(1, 3, 0, 0, 1)));
        assertEquals(1.0 / 3, af.result(model()).get("active_fraction"), 1e-9);
    }

    @Test
    void activeFractionThresholdIsStrict() {
        MetricAccumulator af = new ActiveFractionMetric().create(new ActiveFractionMetric.Config(0.5), ctx(Task.NONE));
        // |a| > 0.5: only 0.6 and -2 of (0.5, 0.6, -2, 0.1)
        af.update(codeOnly(arr(1, 4, 0.5f, 0.6f, -2, 0.1f)));
        assertEquals(0.5, af.result(model()).get("active_fraction"), 1e-9);
    }

    @Test
    void activeFractionIsEmptyWithoutCode() {
        MetricAccumulator af = new ActiveFractionMetric().create(new ActiveFractionMetric.Config(null), ctx(Task.NONE));
        af.update(new StepOutput(arr(1, 1, 0), null, null, null, 0));
        assertEquals(Map.of(), af.result(model()));
    }

    @Test
    void activeFractionConfigDefaultsAndValidates() {
        assertEquals(0.0, new ActiveFractionMetric.Config(null).threshold());
        assertThrows(ConfigException.class, () -> new ActiveFractionMetric.Config(-1.0));
    }
}

package org.sparselab.plugins.metrics;

import ai.djl.ndarray.NDArray;
import org.junit.jupiter.api.Test;
import org.sparselab.api.NoConfig;
import org.sparselab.api.Task;
import org.sparselab.api.metric.MetricAccumulator;
import org.sparselab.api.model.StepOutput;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** closest_to_target and weight_norms. */
class OtherMetricsTest extends Fixtures {

    @Test
    void closestToTarget() {
        MetricAccumulator ctt = new ClosestToTargetMetric().create(new NoConfig(), ctx(Task.RECONSTRUCTION));
        NDArray x = arr(3, 2, 0, 0, 5, 0, 0, 5);
        // reconstructions 0 and 1 land near their own input, reconstruction 2 near input 1
        NDArray o = arr(3, 2, 0.1f, 0, 4.9f, 0.2f, 4.8f, 0.1f);
        ctt.update(new StepOutput(x, null, null, o, 0));
        assertEquals(2.0 / 3, ctt.result(model()).get("closest_to_target"), 1e-9);
        MetricAccumulator cls = new ClosestToTargetMetric().create(new NoConfig(), ctx(Task.CLASSIFICATION));
        cls.update(new StepOutput(x, null, null, o, 0));
        assertEquals(Map.of(), cls.result(model()));
    }

    @Test
    void closestToTargetComparesImagesAsVectorsAndRefusesAMismatch() {
        // the same batch as above with the inputs image-shaped [3, 1, 1, 2] (as datasets of images give them) and the
        // reconstructions flat: compared element by element, the same 2/3
        MetricAccumulator ctt = new ClosestToTargetMetric().create(new NoConfig(), ctx(Task.RECONSTRUCTION));
        NDArray x = arr(3, 2, 0, 0, 5, 0, 0, 5).reshape(3, 1, 1, 2);
        NDArray o = arr(3, 2, 0.1f, 0, 4.9f, 0.2f, 4.8f, 0.1f);
        ctt.update(new StepOutput(x, null, null, o, 0));
        assertEquals(2.0 / 3, ctt.result(model()).get("closest_to_target"), 1e-9);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ctt.update(new StepOutput(x, null, null, arr(3, 1, 1, 2, 3), 0)));
        assertTrue(e.getMessage().contains("closest_to_target: reconstruction (3, 1) does not match input (3, 1, 1, 2)"), e.getMessage());
    }

    @Test
    void weightNorms() {
        MetricAccumulator wn = new WeightNormsMetric().create(new NoConfig(), ctx(Task.NONE));
        Map<String, Double> r = wn.result(model(arr(2, 2, 3, 4, 0, 1)));
        assertEquals(3.0, r.get("weight_norm_mean"), 1e-6);
        assertEquals(1.0, r.get("weight_norm_min"), 1e-6);
        assertEquals(5.0, r.get("weight_norm_max"), 1e-6);
        assertEquals(Map.of(), wn.result(model()));
    }
}

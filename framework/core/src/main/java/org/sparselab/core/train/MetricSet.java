package org.sparselab.core.train;

import org.sparselab.api.Metric;
import org.sparselab.api.metric.MeanAccumulator;
import org.sparselab.api.metric.MetricAccumulator;
import org.sparselab.api.metric.MetricContext;
import org.sparselab.api.model.StepOutput;
import org.sparselab.api.model.TrainableModel;
import org.sparselab.core.config.Bound;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The run's metrics for one split, plus the loss every run reports. */
public final class MetricSet {
    private final List<MetricAccumulator> accumulators;
    private final MeanAccumulator loss = new MeanAccumulator();

    @SuppressWarnings({"rawtypes", "unchecked"})
    public MetricSet(List<Bound<Metric>> metrics, MetricContext ctx) {
        accumulators = new ArrayList<>();
        for (Bound<Metric> b : metrics) {
            accumulators.add(((Metric) b.extension()).create(b.config(), ctx));
        }
    }

    public void reset() {
        loss.reset();
        accumulators.forEach(MetricAccumulator::reset);
    }

    public void update(StepOutput out) {
        if (!Double.isNaN(out.loss())) {
            loss.add(out.loss(), out.input().getShape().get(0));
        }
        for (MetricAccumulator a : accumulators) {
            a.update(out);
        }
    }

    /** Values sorted by name; {@code loss} when the model reports one. */
    public Map<String, Double> results(TrainableModel model) {
        Map<String, Double> r = new TreeMap<>();
        if (loss.count() > 0) {
            r.put("loss", loss.mean());
        }
        for (MetricAccumulator a : accumulators) {
            r.putAll(a.result(model));
        }
        return r;
    }
}

package org.sparselab.core.sweep;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.IChart;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The comparison plot of a sweep: with one numeric swept key, the ranking metric against its value, one line per
 * split (a log axis when the values span two decades or more); otherwise one bar group per trial.
 */
final class SweepChart {
    private SweepChart() {
    }

    /** PNG bytes, or null while no finished trial has a value of the metric. */
    static byte[] png(SweepRunner.Plan plan, List<SweepSummary.Row> all) {
        System.setProperty("java.awt.headless", "true");
        // finished trials only: the table shows the latest metrics of unfinished ones, a plot would mix them in unmarked
        List<SweepSummary.Row> rows = all.stream().filter(r -> r.status().equals("finished")).toList();
        SweepSpec.Metric m = plan.spec().metric();
        Set<String> splits = new LinkedHashSet<>();
        rows.forEach(r -> r.metrics().forEach((split, v) -> {
            if (v.containsKey(m.name()) && Double.isFinite(v.get(m.name()))) {
                splits.add(split);
            }
        }));
        if (splits.isEmpty()) {
            return null;
        }
        List<KeyPath> keys = plan.spec().swept();
        boolean numeric = keys.size() == 1 && rows.stream().allMatch(r -> r.trial().values().get(keys.get(0).canonical()) instanceof Number);
        IChart chart = numeric ? line(keys.get(0).canonical(), m, splits, rows) : bars(m, splits, rows);
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static XYChart line(String key, SweepSpec.Metric m, Set<String> splits, List<SweepSummary.Row> rows) {
        XYChart c = new XYChartBuilder().width(640).height(400).title(m.name() + " by " + key).xAxisTitle(key).yAxisTitle(m.name()).build();
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setLegendVisible(splits.size() > 1);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (String split : splits) {
            List<double[]> pts = new ArrayList<>();
            for (SweepSummary.Row r : rows) {
                double y = r.value(split, m.name());
                if (Double.isFinite(y)) {
                    double x = ((Number) r.trial().values().get(key)).doubleValue();
                    pts.add(new double[]{x, y});
                    lo = Math.min(lo, x);
                    hi = Math.max(hi, x);
                }
            }
            pts.sort(Comparator.comparingDouble(p -> p[0]));
            double[] xs = pts.stream().mapToDouble(p -> p[0]).toArray();
            double[] ys = pts.stream().mapToDouble(p -> p[1]).toArray();
            c.addSeries(split, xs, ys).setMarker(SeriesMarkers.CIRCLE);
        }
        // decade ticks only label a log axis well when the values span two decades or more (learning rates, not k)
        c.getStyler().setXAxisLogarithmic(lo > 0 && hi / lo >= 100);
        return c;
    }

    private static CategoryChart bars(SweepSpec.Metric m, Set<String> splits, List<SweepSummary.Row> rows) {
        List<SweepSummary.Row> shown = rows.stream().filter(r -> splits.stream().anyMatch(s -> Double.isFinite(r.value(s, m.name())))).toList();
        CategoryChart c = new CategoryChartBuilder().width(Math.max(640, Math.min(1600, 120 + shown.size() * 60))).height(440)
                .title(m.name() + " by trial").xAxisTitle("trial").yAxisTitle(m.name()).build();
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setLegendVisible(splits.size() > 1);
        int longest = shown.stream().mapToInt(r -> r.trial().id().length()).max().orElse(0);
        // about 7 pixels a character: slant the labels when they would run into each other
        c.getStyler().setXAxisLabelRotation(longest * 7 > (c.getWidth() - 160) / Math.max(1, shown.size()) ? 30 : 0);
        c.getStyler().setOverlapped(false);
        List<String> ids = shown.stream().map(r -> r.trial().id()).toList();
        for (String split : splits) {
            List<Double> ys = new ArrayList<>();
            for (SweepSummary.Row r : shown) {
                double y = r.value(split, m.name());
                // a bar chart has no "missing": absent values are drawn as 0 and the table says "–"
                ys.add(Double.isFinite(y) ? y : 0.0);
            }
            c.addSeries(split, ids, ys);
        }
        return c;
    }
}

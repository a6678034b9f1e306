package org.sparselab.plugins.netfragments;

import org.sparselab.api.plot.Figures;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/** The evaluation's table (as the spec's A8) and the six robustness figures of the original's plot_robustness.py. */
final class FragmentsReport {

    private FragmentsReport() {
    }

    /** One row per (θ, γ): NR/recall/precision per noise level, then the gap reconstruction per interruption. */
    static List<String> table(List<FragmentsEvaluation.Result> results) {
        TreeSet<Double> noises = new TreeSet<>();
        TreeSet<Integer> interrupts = new TreeSet<>();
        Map<String, List<FragmentsEvaluation.Result>> bySetting = new LinkedHashMap<>();
        for (FragmentsEvaluation.Result r : results) {
            if (r.lineInterrupt() == 0 && r.noise() > 0) {
                noises.add(r.noise());
            }
            if (r.lineInterrupt() > 0) {
                interrupts.add(r.lineInterrupt());
            }
            bySetting.computeIfAbsent(r.threshold() + " " + r.schedule(), k -> new ArrayList<>()).add(r);
        }
        List<String> out = new ArrayList<>();
        StringBuilder head = new StringBuilder("| θ | γ |");
        StringBuilder rule = new StringBuilder("|---|---|");
        for (double p : noises) {
            head.append(String.format(Locale.ROOT, " %s%% NR/rec/prec |", FragmentsEvaluation.num(100 * p)));
            rule.append("---|");
        }
        for (int li : interrupts) {
            head.append(" gap li=").append(li).append(" |");
            rule.append("---|");
        }
        out.add(head.toString());
        out.add(rule.toString());
        for (List<FragmentsEvaluation.Result> rs : bySetting.values()) {
            FragmentsEvaluation.Result first = rs.get(0);
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %s | %s |",
                    Double.isNaN(first.threshold()) ? "bernoulli" : FragmentsEvaluation.num(first.threshold()), first.schedule()));
            for (double p : noises) {
                FragmentsEvaluation.Result r = find(rs, p, 0);
                row.append(r == null ? " |" : String.format(Locale.ROOT, " %.3f/%.3f/%.3f |", r.noiseReduction(), r.recall(), r.precision()));
            }
            for (int li : interrupts) {
                FragmentsEvaluation.Result r = find(rs, 0, li);
                row.append(r == null ? " |" : String.format(Locale.ROOT, " %.3f |", r.lineReconstruction()));
            }
            out.add(row.toString());
        }
        return out;
    }

    private static FragmentsEvaluation.Result find(List<FragmentsEvaluation.Result> rs, double noise, int li) {
        for (FragmentsEvaluation.Result r : rs) {
            if (r.noise() == noise && r.lineInterrupt() == li) {
                return r;
            }
        }
        return null;
    }

    /**
     * Six figures × one panel per γ schedule, one line per activation bias b = 0.5 - θ: noise reduction, recall and
     * precision against feature noise (li = 0; NR at noise 0 drawn as 1, as the original), and the gap
     * reconstruction, recall and precision against interrupted pixels (noise 0; the gap rate at li = 0 drawn as 1).
     */
    static void robustnessPlots(Figures figures, List<FragmentsEvaluation.Result> results) {
        record Metric(String file, String title, String axis, boolean noiseAxis, ToDoubleFunction<FragmentsEvaluation.Result> value) {
        }
        List<Metric> metrics = List.of(
                new Metric("1_noise_reduction", "Noise reduction rate", "noise reduction rate", true,
                        r -> r.noise() == 0 ? 1.0 : r.noiseReduction()),
                new Metric("2_recall_noise", "Recall", "recall", true, FragmentsEvaluation.Result::recall),
                new Metric("3_precision_noise", "Precision", "precision", true, FragmentsEvaluation.Result::precision),
                new Metric("4_feature_reconstruction", "Feature reconstruction rate", "feature reconstruction rate", false,
                        r -> r.lineInterrupt() == 0 ? 1.0 : r.lineReconstruction()),
                new Metric("5_recall_interrupt", "Recall", "recall", false, FragmentsEvaluation.Result::recall),
                new Metric("6_precision_interrupt", "Precision", "precision", false, FragmentsEvaluation.Result::precision));
        Map<String, List<FragmentsEvaluation.Result>> bySchedule = new LinkedHashMap<>();
        for (FragmentsEvaluation.Result r : results) {
            bySchedule.computeIfAbsent(r.schedule(), k -> new ArrayList<>()).add(r);
        }
        for (Metric m : metrics) {
            for (Map.Entry<String, List<FragmentsEvaluation.Result>> e : bySchedule.entrySet()) {
                Map<String, List<double[]>> lines = new LinkedHashMap<>();
                for (FragmentsEvaluation.Result r : e.getValue()) {
                    boolean onAxis = m.noiseAxis() ? r.lineInterrupt() == 0 : r.noise() == 0;
                    if (!onAxis) {
                        continue;
                    }
                    String series = Double.isNaN(r.threshold()) ? "bernoulli"
                            : String.format(Locale.ROOT, "b = %+.1f (θ = %s)", 0.5 - r.threshold(), FragmentsEvaluation.num(r.threshold()));
                    lines.computeIfAbsent(series, k -> new ArrayList<>()).add(new double[]{
                            m.noiseAxis() ? r.noise() : r.lineInterrupt(), m.value().applyAsDouble(r)});
                }
                Map<String, double[][]> series = new LinkedHashMap<>();
                lines.forEach((k, v) -> {
                    v.sort((a, b) -> Double.compare(a[0], b[0]));
                    double[][] xy = new double[2][v.size()];
                    for (int i = 0; i < v.size(); i++) {
                        xy[0][i] = v.get(i)[0];
                        xy[1][i] = v.get(i)[1];
                    }
                    series.put(k, xy);
                });
                if (!series.isEmpty()) {
                    figures.lines(m.file() + "_gamma_" + e.getKey().replace('+', 'p'),
                            m.title() + ", power factor γ = " + e.getKey(),
                            m.noiseAxis() ? "feature noise (spatial noise = 1 - (1 - p)^4)" : "interrupted pixels", m.axis(), series);
                }
            }
        }
    }
}

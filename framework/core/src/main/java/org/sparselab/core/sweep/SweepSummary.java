package org.sparselab.core.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import org.sparselab.core.report.PngFigures;
import org.sparselab.core.util.AtomicFiles;
import org.sparselab.core.util.Json;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** {@code sweep.json}, {@code summary.csv} and {@code summary.html} (table and comparison plot) of a sweep. */
final class SweepSummary {
    private SweepSummary() {
    }

    static List<Map<String, Object>> rows(SweepRunner.Plan plan) throws IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Trial t : plan.trials()) {
            rows.add(SweepRunner.status(plan, t));
        }
        return rows;
    }

    /** Final value of split/metric in a trial's summary, or NaN. */
    static double value(Map<String, Object> row, String split, String metric) {
        Object s = row.get("summary");
        if (!(s instanceof JsonNode n)) {
            return Double.NaN;
        }
        JsonNode v = n.path("final").path(split).path(metric);
        return v.isNumber() ? v.asDouble() : Double.NaN;
    }

    static void write(SweepRunner.Plan plan) throws IOException {
        List<Map<String, Object>> rows = rows(plan);
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("sweep", plan.sweep().name());
        state.put("file", plan.file().toAbsolutePath().toString());
        List<Map<String, Object>> trials = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            Map<String, Object> copy = new LinkedHashMap<>(r);
            copy.remove("summary");
            trials.add(copy);
        }
        state.put("trials", trials);
        AtomicFiles.writeString(plan.dir().resolve("sweep.json"), Json.pretty(state));

        List<String> keys = new ArrayList<>(plan.trials().isEmpty() ? List.of() : plan.trials().get(0).values().keySet());
        Set<String> columns = new LinkedHashSet<>();
        for (Map<String, Object> r : rows) {
            if (r.get("summary") instanceof JsonNode n) {
                n.path("final").fields().forEachRemaining(split -> split.getValue().fieldNames().forEachRemaining(m -> {
                    if (!m.equals("epoch") && !m.equals("split")) {
                        columns.add(split.getKey() + "." + m);
                    }
                }));
            }
        }
        StringBuilder csv = new StringBuilder("trial");
        keys.forEach(k -> csv.append(',').append(k));
        csv.append(",status");
        columns.forEach(c -> csv.append(',').append(c));
        csv.append(",train_samples_per_second,run_folder\n");
        for (Map<String, Object> r : rows) {
            csv.append(r.get("id"));
            Map<?, ?> values = (Map<?, ?>) r.get("values");
            keys.forEach(k -> csv.append(',').append(values.get(k)));
            csv.append(',').append(r.get("status"));
            for (String c : columns) {
                int dot = c.indexOf('.');
                double v = value(r, c.substring(0, dot), c.substring(dot + 1));
                csv.append(',').append(Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v));
            }
            double tp = r.get("summary") instanceof JsonNode n ? n.path("train_samples_per_second").asDouble(Double.NaN) : Double.NaN;
            csv.append(',').append(Double.isNaN(tp) ? "" : String.format(Locale.ROOT, "%.1f", tp));
            csv.append(',').append(r.get("run_folder") == null ? "" : r.get("run_folder")).append('\n');
        }
        AtomicFiles.writeString(plan.dir().resolve("summary.csv"), csv.toString());
        AtomicFiles.writeString(plan.dir().resolve("summary.html"), html(plan, rows, keys, columns));
    }

    private static String html(SweepRunner.Plan plan, List<Map<String, Object>> rows, List<String> keys, Set<String> columns) throws IOException {
        SweepFile.MetricSpec m = plan.sweep().metric();
        StringBuilder h = new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>sweep ")
                .append(esc(plan.sweep().name())).append("</title><style>body{font:15px/1.5 sans-serif;margin:24px;color:#1d232a}")
                .append("table{border-collapse:collapse}th,td{border:1px solid #ddd;padding:4px 10px}th{background:#f0f3f7}")
                .append("td.num{text-align:right}.best{background:#e8f5e9}</style></head><body><h1>Sweep ")
                .append(esc(plan.sweep().name())).append("</h1><p>").append(rows.size()).append(" trials; ranked by ")
                .append(esc(m.split() + " " + m.name())).append(" (").append(m.goal()).append(").</p>");
        Path png = chart(plan, rows, keys);
        if (png != null) {
            h.append("<img alt=\"comparison\" src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(Files.readAllBytes(png))).append("\">");
        }
        double best = Double.NaN;
        for (Map<String, Object> r : rows) {
            double v = value(r, m.split(), m.name());
            if (!Double.isNaN(v) && (Double.isNaN(best) || (m.goal().equals("max") ? v > best : v < best))) {
                best = v;
            }
        }
        h.append("<table><tr><th>trial</th>");
        keys.forEach(k -> h.append("<th>").append(esc(k)).append("</th>"));
        h.append("<th>status</th>");
        columns.forEach(c -> h.append("<th>").append(esc(c)).append("</th>"));
        h.append("</tr>");
        for (Map<String, Object> r : rows) {
            double v = value(r, m.split(), m.name());
            h.append("<tr").append(!Double.isNaN(v) && v == best ? " class=\"best\"" : "").append("><td>").append(esc(String.valueOf(r.get("id")))).append("</td>");
            Map<?, ?> values = (Map<?, ?>) r.get("values");
            keys.forEach(k -> h.append("<td>").append(esc(String.valueOf(values.get(k)))).append("</td>"));
            h.append("<td>").append(esc(String.valueOf(r.get("status")))).append("</td>");
            for (String c : columns) {
                int dot = c.indexOf('.');
                double x = value(r, c.substring(0, dot), c.substring(dot + 1));
                h.append("<td class=\"num\">").append(Double.isNaN(x) ? "–" : String.format(Locale.ROOT, "%.4f", x)).append("</td>");
            }
            h.append("</tr>");
        }
        return h.append("</table></body></html>\n").toString();
    }

    /** The ranking metric against the first swept key when it is numeric (one series per split), else per trial. */
    private static Path chart(SweepRunner.Plan plan, List<Map<String, Object>> rows, List<String> keys) {
        SweepFile.MetricSpec m = plan.sweep().metric();
        PngFigures fig = new PngFigures(plan.dir());
        boolean numeric = !keys.isEmpty() && rows.stream().allMatch(r -> ((Map<?, ?>) r.get("values")).get(keys.get(0)) instanceof Number);
        Map<String, double[][]> series = new LinkedHashMap<>();
        for (String split : List.of("train", "val", "test")) {
            List<double[]> pts = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                double v = value(rows.get(i), split, m.name());
                if (!Double.isNaN(v)) {
                    double x = numeric ? ((Number) ((Map<?, ?>) rows.get(i).get("values")).get(keys.get(0))).doubleValue() : i;
                    pts.add(new double[]{x, v});
                }
            }
            if (!pts.isEmpty()) {
                pts.sort((a, b) -> Double.compare(a[0], b[0]));
                double[][] xy = new double[2][pts.size()];
                for (int i = 0; i < pts.size(); i++) {
                    xy[0][i] = pts.get(i)[0];
                    xy[1][i] = pts.get(i)[1];
                }
                series.put(split, xy);
            }
        }
        if (series.isEmpty()) {
            return null;
        }
        fig.lines("comparison", m.name() + " by trial", numeric ? keys.get(0) : "trial (in summary order)", m.name(), series);
        return fig.written().get(0).file();
    }

    static void print(SweepRunner.Plan plan, PrintWriter out) throws IOException {
        SweepFile.MetricSpec m = plan.sweep().metric();
        out.println();
        out.println(String.format(Locale.ROOT, "%-36s %-18s %12s", "trial", "status", m.split() + " " + m.name()));
        for (Map<String, Object> r : rows(plan)) {
            double v = value(r, m.split(), m.name());
            out.println(String.format(Locale.ROOT, "%-36s %-18s %12s", r.get("id"), r.get("status"), Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.4f", v)));
        }
        out.println("summary: " + plan.dir().resolve("summary.html"));
        out.flush();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}

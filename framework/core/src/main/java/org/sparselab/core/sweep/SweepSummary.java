package org.sparselab.core.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import org.sparselab.core.run.RunFolder;
import org.sparselab.core.util.AtomicFiles;
import org.sparselab.core.util.Json;

import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The sweep's state and summary, rebuilt from the run folders each time: {@code sweep.json}, {@code summary.csv},
 * {@code summary.html} (table and comparison plot) and the console table. Finished trials report the final metrics
 * of their {@code summary.json}; unfinished ones the last rows of their {@code metrics.jsonl}, marked partial.
 */
public final class SweepSummary {
    private static final List<String> SPLIT_ORDER = List.of("train", "val", "test", "continual");

    private SweepSummary() {
    }

    /**
     * One trial as the summary shows it.
     *
     * @param metrics split to metric to value: final values, or the latest ones of an unfinished attempt
     * @param partial the metrics come from an unfinished attempt
     * @param throughput mean training samples per second, NaN when unknown
     * @param seconds the run's wall time, NaN when unknown
     * @param reason why the last attempt failed, or null
     */
    public record Row(Trial trial, String status, Path folder, int attempts, Map<String, Map<String, Double>> metrics, boolean partial,
                      double throughput, double seconds, String reason) {
        public double value(SweepSpec.Metric m) {
            Double v = metrics.getOrDefault(m.split(), Map.of()).get(m.name());
            return v == null ? Double.NaN : v;
        }

        public double value(String split, String name) {
            Double v = metrics.getOrDefault(split, Map.of()).get(name);
            return v == null ? Double.NaN : v;
        }
    }

    /** The rows in trial order; {@code live} tells which trials are queued or running in this process now. */
    public static List<Row> rows(SweepRunner.Plan plan, Map<String, TrialExecutor.Handle> live) throws IOException {
        Map<String, TrialRuns> scan = plan.scan();
        List<Row> rows = new ArrayList<>();
        for (Trial t : plan.trials()) {
            TrialRuns r = scan.get(t.id());
            TrialExecutor.Handle h = live.get(t.id());
            String status = r.status();
            if (h != null && h.status() == TrialExecutor.Status.QUEUED) {
                status = "queued";
            } else if (h != null && h.status() == TrialExecutor.Status.RUNNING) {
                status = "running";
            }
            Path folder = r.folder().orElse(null);
            Map<String, Map<String, Double>> metrics = new LinkedHashMap<>();
            double throughput = Double.NaN;
            double seconds = Double.NaN;
            boolean partial = false;
            if (r.finished().isPresent()) {
                JsonNode s = Json.mapper().readTree(r.finished().get().resolve(RunFolder.SUMMARY).toFile());
                s.path("final").fields().forEachRemaining(split -> metrics.put(split.getKey(), numbers(split.getValue())));
                throughput = s.path("train_samples_per_second").asDouble(Double.NaN);
                seconds = s.path("seconds").asDouble(Double.NaN);
            } else if (folder != null && Files.exists(folder.resolve("metrics.jsonl"))) {
                for (String line : Files.readAllLines(folder.resolve("metrics.jsonl"))) {
                    if (!line.isBlank()) {
                        JsonNode row = Json.mapper().readTree(line);
                        metrics.put(row.path("split").asText("?"), numbers(row));
                    }
                }
                partial = !metrics.isEmpty();
            }
            String reason = status.equals("failed") && folder != null ? SweepRunner.failure(folder) : null;
            rows.add(new Row(t, status, folder, r.attempts().size(), sortSplits(metrics), partial, throughput, seconds, reason));
        }
        return rows;
    }

    private static Map<String, Double> numbers(JsonNode row) {
        Map<String, Double> m = new LinkedHashMap<>();
        row.fields().forEachRemaining(f -> {
            if (!f.getKey().equals("epoch") && !f.getKey().equals("split") && (f.getValue().isNumber() || f.getValue().isNull())) {
                m.put(f.getKey(), f.getValue().isNull() ? Double.NaN : f.getValue().asDouble());
            }
        });
        return m;
    }

    private static final Comparator<String> SPLITS = Comparator.comparingInt((String s) -> SPLIT_ORDER.contains(s) ? SPLIT_ORDER.indexOf(s)
            : SPLIT_ORDER.size()).thenComparing(s -> s);

    private static Map<String, Map<String, Double>> sortSplits(Map<String, Map<String, Double>> m) {
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        m.keySet().stream().sorted(SPLITS).forEach(s -> out.put(s, m.get(s)));
        return out;
    }

    /** Rank by the sweep's metric among finished trials (1 = best), 0 for the others. */
    static Map<String, Integer> ranks(SweepSpec.Metric m, List<Row> rows) {
        List<Row> ranked = rows.stream().filter(r -> r.status().equals("finished") && Double.isFinite(r.value(m)))
                .sorted((a, b) -> m.better(a.value(m), b.value(m)) ? -1 : m.better(b.value(m), a.value(m)) ? 1 : 0).toList();
        Map<String, Integer> out = new LinkedHashMap<>();
        for (int i = 0; i < ranked.size(); i++) {
            out.put(ranked.get(i).trial().id(), i + 1);
        }
        return out;
    }

    /** The metric columns: split.metric in split order, metrics sorted by name. */
    static List<String> columns(List<Row> rows) {
        Map<String, Set<String>> bySplit = new TreeMap<>(SPLITS);
        rows.forEach(r -> r.metrics().forEach((split, m) -> bySplit.computeIfAbsent(split, x -> new TreeSet<>()).addAll(m.keySet())));
        List<String> cols = new ArrayList<>();
        bySplit.forEach((split, names) -> names.forEach(name -> cols.add(split + "." + name)));
        return cols;
    }

    /** Rewrites sweep.json, summary.csv, summary.html and comparison.png, each atomically. */
    public static void write(SweepRunner.Plan plan, Map<String, TrialExecutor.Handle> live) throws IOException {
        List<Row> rows = rows(plan, live);
        List<String> keys = plan.spec().swept().stream().map(KeyPath::canonical).toList();
        List<String> cols = columns(rows);
        Map<String, Integer> ranks = ranks(plan.spec().metric(), rows);
        AtomicFiles.writeString(plan.dir().resolve("sweep.json"), Json.pretty(state(plan, rows, live)));
        AtomicFiles.writeString(plan.dir().resolve("summary.csv"), csv(plan, rows, keys, cols, ranks));
        byte[] png = SweepChart.png(plan, rows);
        if (png != null) {
            AtomicFiles.write(plan.dir().resolve("comparison.png"), o -> o.write(png));
        }
        AtomicFiles.writeString(plan.dir().resolve("summary.html"), html(plan, rows, keys, cols, ranks, png));
    }

    private static Map<String, Object> state(SweepRunner.Plan plan, List<Row> rows, Map<String, TrialExecutor.Handle> live) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("sweep", plan.spec().name());
        s.put("file", plan.spec().file().toAbsolutePath().toString());
        s.put("base", plan.spec().base().file().toString());
        s.put("folder", plan.dir().toString());
        s.put("workers", plan.spec().workers());
        s.put("metric", plan.spec().metric());
        s.put("updated", OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString());
        Map<String, Long> counts = rows.stream().collect(Collectors.groupingBy(Row::status, LinkedHashMap::new, Collectors.counting()));
        s.put("counts", counts);
        List<Map<String, Object>> trials = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("id", r.trial().id());
            t.put("values", r.trial().values());
            t.put("status", r.status());
            t.put("run_file", r.trial().runFile().toString());
            t.put("run_folder", r.folder() == null ? null : r.folder().toString());
            t.put("attempts", r.attempts());
            t.put("log", plan.log(r.trial()).toString());
            TrialExecutor.Handle h = live.get(r.trial().id());
            if (h != null && h.exitCode().isPresent()) {
                t.put("exit_code", h.exitCode().getAsInt());
            }
            if (r.reason() != null) {
                t.put("reason", r.reason());
            }
            trials.add(t);
        }
        s.put("trials", trials);
        return s;
    }

    private static String csv(SweepRunner.Plan plan, List<Row> rows, List<String> keys, List<String> cols, Map<String, Integer> ranks) {
        List<String> header = new ArrayList<>(List.of("trial"));
        header.addAll(keys);
        header.addAll(List.of("status", "rank"));
        header.addAll(cols);
        header.addAll(List.of("train_samples_per_second", "seconds", "attempts", "run_folder"));
        StringBuilder sb = new StringBuilder(header.stream().map(SweepSummary::cell).collect(Collectors.joining(","))).append('\n');
        for (Row r : rows) {
            List<String> cells = new ArrayList<>(List.of(r.trial().id()));
            keys.forEach(k -> cells.add(text(r.trial().values().get(k))));
            cells.add(r.status() + (r.partial() ? " (partial)" : ""));
            Integer rank = ranks.get(r.trial().id());
            cells.add(rank == null ? "" : rank.toString());
            for (String c : cols) {
                int dot = c.indexOf('.');
                double v = r.value(c.substring(0, dot), c.substring(dot + 1));
                cells.add(Double.isNaN(v) ? "" : num(v));
            }
            cells.add(Double.isNaN(r.throughput()) ? "" : String.format(Locale.ROOT, "%.1f", r.throughput()));
            cells.add(Double.isNaN(r.seconds()) ? "" : String.format(Locale.ROOT, "%.1f", r.seconds()));
            cells.add(Integer.toString(r.attempts()));
            cells.add(r.folder() == null ? "" : r.folder().toString());
            sb.append(cells.stream().map(SweepSummary::cell).collect(Collectors.joining(","))).append('\n');
        }
        return sb.toString();
    }

    /** A CSV cell, quoted when it holds a comma, a quote or a line break (ids like units=500,lr=0.001 do). */
    static String cell(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private static String text(Object v) {
        return v instanceof String s ? s : v == null ? "" : Json.line(v);
    }

    private static String num(double v) {
        String s = String.format(Locale.ROOT, "%.6g", v);
        return s.contains("e") || !Double.isFinite(v) ? s : new BigDecimal(s).stripTrailingZeros().toPlainString();
    }

    private static String html(SweepRunner.Plan plan, List<Row> rows, List<String> keys, List<String> cols, Map<String, Integer> ranks,
                               byte[] png) {
        SweepSpec s = plan.spec();
        SweepSpec.Metric m = s.metric();
        Map<String, Long> counts = rows.stream().collect(Collectors.groupingBy(Row::status, LinkedHashMap::new, Collectors.counting()));
        StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>sweep ")
                .append(esc(s.name())).append("</title>\n<style>body{font:14px/1.5 sans-serif;margin:24px;color:#1d232a}")
                .append("table{border-collapse:collapse;margin-top:12px}th,td{border:1px solid #ddd;padding:3px 8px;white-space:nowrap}")
                .append("th{background:#f0f3f7}td.num{text-align:right;font-variant-numeric:tabular-nums}tr.best{background:#e8f5e9}")
                .append("td.partial{color:#888;font-style:italic}code{background:#f4f4f4;padding:0 3px}</style></head><body>\n<h1>Sweep ")
                .append(esc(s.name())).append("</h1>\n<p>").append(rows.size()).append(" trials (")
                .append(esc(counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "))))
                .append(") from <code>").append(esc(s.file().toString())).append("</code>, base run <code>")
                .append(esc(s.base().file().toString())).append("</code>")
                .append(s.set().isEmpty() ? "" : ", with " + esc(s.set().stream().map(e -> e.key() + " = " + text(e.value())).collect(Collectors.joining(", "))))
                .append(". Ranked by <b>").append(esc(m.split() + " " + m.name())).append("</b> (").append(m.goal()).append(").</p>\n");
        if (png != null) {
            h.append("<img alt=\"").append(esc(m.name())).append(" by trial\" src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(png)).append("\">\n");
        }
        h.append("<table><tr><th>rank</th><th>trial</th>");
        keys.forEach(k -> h.append("<th>").append(esc(k)).append("</th>"));
        h.append("<th>status</th>");
        cols.forEach(c -> h.append("<th>").append(esc(c)).append("</th>"));
        h.append("<th>samples/s</th><th>run folder</th></tr>\n");
        for (Row r : rows) {
            Integer rank = ranks.get(r.trial().id());
            h.append("<tr").append(rank != null && rank == 1 ? " class=\"best\"" : "").append("><td class=\"num\">")
                    .append(rank == null ? "" : rank).append("</td><td>").append(esc(r.trial().id())).append("</td>");
            keys.forEach(k -> h.append("<td>").append(esc(text(r.trial().values().get(k)))).append("</td>"));
            h.append("<td").append(r.reason() == null ? "" : " title=\"" + esc(r.reason()) + "\"").append(">").append(esc(r.status()))
                    .append(r.partial() ? " (partial)" : "").append("</td>");
            for (String c : cols) {
                int dot = c.indexOf('.');
                double v = r.value(c.substring(0, dot), c.substring(dot + 1));
                h.append("<td class=\"num").append(r.partial() ? " partial" : "").append("\">").append(Double.isNaN(v) ? "–" : fmt(v)).append("</td>");
            }
            h.append("<td class=\"num\">").append(Double.isNaN(r.throughput()) ? "–" : String.format(Locale.ROOT, "%,.0f", r.throughput()))
                    .append("</td><td>");
            if (r.folder() != null) {
                String rel = plan.dir().relativize(r.folder()).toString();
                boolean report = Files.exists(r.folder().resolve("report.html"));
                h.append(report ? "<a href=\"" + esc(rel.replace('\\', '/')) + "/report.html\">" + esc(rel) + "</a>" : esc(rel));
            }
            h.append("</td></tr>\n");
        }
        return h.append("</table>\n</body></html>\n").toString();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    static String fmt(double v) {
        double a = Math.abs(v);
        return a != 0 && (a < 1e-3 || a >= 1e5) ? String.format(Locale.ROOT, "%.3e", v) : String.format(Locale.ROOT, "%.4f", v);
    }

    /** Whether the attempt left a finished run (the folder decides, not the exit code: a stop can land after the summary). */
    static boolean succeeded(TrialExecutor.Handle h) {
        return h != null && h.runFolder().map(f -> Files.exists(f.resolve(RunFolder.SUMMARY))).orElse(false);
    }

    /** The console line for a trial that just ended. */
    static String ended(SweepRunner.Plan plan, Trial t, TrialExecutor.Handle h) {
        Path folder = h == null ? null : h.runFolder().orElse(null);
        String where = folder == null ? "" : " -> " + plan.dir().relativize(folder);
        if (succeeded(h)) {
            try {
                JsonNode s = Json.mapper().readTree(folder.resolve(RunFolder.SUMMARY).toFile());
                SweepSpec.Metric m = plan.spec().metric();
                JsonNode v = s.path("final").path(m.split()).path(m.name());
                return String.format(Locale.ROOT, "%s: finished in %s%s%s", t.id(), duration(s.path("seconds").asDouble()),
                        v.isNumber() ? ", " + m.split() + " " + m.name() + " " + fmt(v.asDouble()) : "", where);
            } catch (IOException | RuntimeException e) {
                return t.id() + ": finished" + where;
            }
        }
        if (h != null && h.status() == TrialExecutor.Status.CANCELLED) {
            return t.id() + ": stopped" + where;
        }
        String reason = folder == null ? null : SweepRunner.failure(folder);
        return t.id() + ": FAILED" + (h != null && h.exitCode().isPresent() ? " (exit " + h.exitCode().getAsInt() + ")" : "")
                + (reason == null ? "" : ": " + reason) + "; log " + plan.log(t);
    }

    private static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 60 ? String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60) : s + " s";
    }

    /** The summary table on the console: trial, status, the ranking metric for each split that has it, throughput. */
    public static void print(SweepRunner.Plan plan, PrintWriter out) throws IOException {
        List<Row> rows = rows(plan, Map.of());
        SweepSpec.Metric m = plan.spec().metric();
        Map<String, Integer> ranks = ranks(m, rows);
        Set<String> splits = new LinkedHashSet<>();
        rows.forEach(r -> r.metrics().forEach((split, v) -> {
            if (v.containsKey(m.name())) {
                splits.add(split);
            }
        }));
        List<String> header = new ArrayList<>(List.of("rank", "trial", "status"));
        splits.forEach(sp -> header.add(sp + " " + m.name()));
        header.add("samples/s");
        List<List<String>> table = new ArrayList<>();
        table.add(header);
        for (Row r : rows) {
            Integer rank = ranks.get(r.trial().id());
            List<String> line = new ArrayList<>(List.of(rank == null ? "" : rank.toString(), r.trial().id(), r.status() + (r.partial() ? "*" : "")));
            splits.forEach(sp -> {
                double v = r.value(sp, m.name());
                line.add(Double.isNaN(v) ? "-" : fmt(v));
            });
            line.add(Double.isNaN(r.throughput()) ? "-" : String.format(Locale.ROOT, "%,.0f", r.throughput()));
            table.add(line);
        }
        int[] w = new int[header.size()];
        table.forEach(l -> {
            for (int i = 0; i < l.size(); i++) {
                w[i] = Math.max(w[i], l.get(i).length());
            }
        });
        out.println();
        for (List<String> l : table) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < l.size(); i++) {
                boolean left = i == 1 || i == 2;
                sb.append("  ").append(left ? String.format("%-" + w[i] + "s", l.get(i)) : String.format("%" + w[i] + "s", l.get(i)));
            }
            out.println(sb.toString().stripTrailing());
        }
        if (rows.stream().anyMatch(Row::partial)) {
            out.println("  * unfinished: the latest metrics of the last attempt");
        }
        ranks.entrySet().stream().filter(e -> e.getValue() == 1).findFirst().ifPresent(best -> {
            Row r = rows.stream().filter(x -> x.trial().id().equals(best.getKey())).findFirst().orElseThrow();
            out.println("best: " + best.getKey() + " (" + m.split() + " " + m.name() + " " + fmt(r.value(m)) + ")");
        });
        if (ranks.isEmpty() && rows.stream().anyMatch(r -> r.status().equals("finished"))) {
            out.println("warning: no finished trial reports " + m.split() + " " + m.name() + " (the sweep file's metric); they report "
                    + columns(rows.stream().filter(r -> r.status().equals("finished")).toList()));
        }
        out.println("summary: " + plan.dir().resolve("summary.html"));
        out.flush();
    }
}

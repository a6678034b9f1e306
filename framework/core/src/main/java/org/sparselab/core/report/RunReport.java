package org.sparselab.core.report;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparselab.api.Task;
import org.sparselab.api.data.Batch;
import org.sparselab.api.data.DataSpec;
import org.sparselab.api.data.Split;
import org.sparselab.api.plot.FigureContext;
import org.sparselab.core.run.RunFolder;
import org.sparselab.core.run.RunState;
import org.sparselab.core.util.AtomicFiles;
import org.sparselab.core.util.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The plots of a run ({@code plots/*.png}: training curves per metric and split, learned atoms, input and
 * reconstruction pairs, unit activity, the model's own figures) and {@code report.html}: one self-contained
 * page (inline CSS, images as data URIs, no network) with config, provenance, metrics, figures, probe tables
 * and export checks.
 */
public final class RunReport {
    private static final Logger LOG = LoggerFactory.getLogger(RunReport.class);
    /** Test samples used for activity histograms and the model's figures. */
    static final int SAMPLES = 1000;

    private RunReport() {
    }

    /** Draws every figure and writes report.html; returns the report's path. */
    public static Path write(RunState state) throws IOException {
        RunFolder folder = state.folder();
        PngFigures fig = new PngFigures(folder.resolve("plots"));
        List<Map<String, Object>> rows = readMetrics(folder.resolve("metrics.jsonl"));
        curves(fig.section("Training curves"), rows);
        try {
            modelFigures(state, fig);
        } catch (RuntimeException e) {
            LOG.warn("some figures could not be drawn: {}", e.toString());
        }
        Path html = folder.resolve("report.html");
        AtomicFiles.writeString(html, html(state, rows, fig.written()));
        return html;
    }

    static List<Map<String, Object>> readMetrics(Path f) throws IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        if (!Files.exists(f)) {
            return rows;
        }
        for (String line : Files.readAllLines(f)) {
            if (!line.isBlank()) {
                JsonNode n = Json.mapper().readTree(line);
                Map<String, Object> row = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    row.put(e.getKey(), e.getValue().isNumber() ? (Object) e.getValue().asDouble()
                            : e.getValue().isNull() ? Double.NaN : e.getValue().asText());
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** One chart per metric, one series per split, x = epoch. */
    static void curves(PngFigures fig, List<Map<String, Object>> rows) {
        Set<String> metrics = new LinkedHashSet<>();
        for (Map<String, Object> r : rows) {
            r.keySet().stream().filter(k -> !k.equals("epoch") && !k.equals("split")).forEach(metrics::add);
        }
        for (String m : metrics) {
            Map<String, List<double[]>> bySplit = new LinkedHashMap<>();
            for (Map<String, Object> r : rows) {
                if (r.get(m) instanceof Double v && r.get("epoch") instanceof Double e) {
                    bySplit.computeIfAbsent(String.valueOf(r.get("split")), k -> new ArrayList<>()).add(new double[]{e, v});
                }
            }
            Map<String, double[][]> series = new LinkedHashMap<>();
            bySplit.forEach((split, pts) -> {
                double[][] xy = new double[2][pts.size()];
                for (int i = 0; i < pts.size(); i++) {
                    xy[0][i] = pts.get(i)[0];
                    xy[1][i] = pts.get(i)[1];
                }
                series.put(split, xy);
            });
            if (!series.isEmpty()) {
                fig.lines("curve-" + m, m, "epoch", m, series);
            }
        }
    }

    static void modelFigures(RunState state, PngFigures fig) {
        DataSpec spec = state.data().spec();
        Split test = state.data().hasSplit("test") ? state.data().split("test") : state.data().split(state.data().splitNames().get(0));
        int n = Math.min(SAMPLES, test.size());
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        try (NDScope scope = new NDScope()) {
            Batch batch = test.batch(idx, state.manager());
            fig.section("Learned representation");
            state.model().atoms().ifPresent(atoms -> {
                if (spec.isImage() && spec.sampleShape()[0] == 1) {
                    int count = (int) Math.min(100, atoms.getShape().get(0));
                    float[] px = atoms.get("0:" + count).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
                    fig.imageGrid("atoms", "Learned atoms / addresses (first " + count + ", each scaled to its range)", px, count,
                            spec.sampleShape()[1], spec.sampleShape()[2]);
                }
            });
            NDArray code = state.model().encode(batch.x());
            float[] c = code.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
            int units = (int) code.getShape().get(1);
            double[] active = new double[units];
            double[] perInput = new double[n];
            for (int i = 0; i < n; i++) {
                int on = 0;
                for (int u = 0; u < units; u++) {
                    if (c[i * units + u] != 0) {
                        active[u]++;
                        on++;
                    }
                }
                perInput[i] = on / (double) units;
            }
            for (int u = 0; u < units; u++) {
                active[u] /= n;
            }
            fig.histogram("unit-activity", "Unit activity: fraction of " + n + " test inputs on which each unit is active",
                    "fraction of inputs", active, 40);
            fig.histogram("active-per-input", "Active fraction of units per test input", "fraction of units", perInput, 40);
            if (state.model().task() == Task.RECONSTRUCTION && spec.isImage() && spec.sampleShape()[0] == 1) {
                state.model().predict(batch.x()).ifPresent(rec -> {
                    int pairs = Math.min(8, n);
                    int h = spec.sampleShape()[1];
                    int w = spec.sampleShape()[2];
                    float[] in = batch.x().toFloatArray();
                    float[] out = rec.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
                    float[] both = new float[2 * pairs * h * w];
                    for (int i = 0; i < pairs; i++) {
                        System.arraycopy(in, i * h * w, both, (2 * i) * h * w, h * w);
                        System.arraycopy(out, i * h * w, both, (2 * i + 1) * h * w, h * w);
                    }
                    fig.imageGrid("reconstructions", "Test inputs and their reconstructions (pairs)", both, 2 * pairs, h, w);
                });
            }
            fig.section("Model figures");
            state.model().figures(fig, new FigureContext(spec, batch.x().get("0:" + Math.min(n, 256)), batch.y()));
        }
    }

    // ---- HTML --------------------------------------------------------------------------------------

    static String html(RunState state, List<Map<String, Object>> rows, List<PngFigures.Figure> figures) throws IOException {
        RunFolder f = state.folder();
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(esc(state.run().name())).append(" · sparselab report</title><style>").append(CSS).append("</style></head><body>");
        String status = f.finished() ? "finished" : Files.exists(f.resolve(RunFolder.FAILED)) ? "failed" : "in progress";
        h.append("<header><h1>").append(esc(state.run().name())).append("</h1><p class=\"sub\">model <b>")
                .append(esc(state.run().model().spec().id())).append("</b> on <b>").append(esc(state.run().dataset().spec().id()))
                .append("</b> · ").append(esc(status)).append(" · <code>").append(esc(f.dir().toString())).append("</code></p></header>");
        h.append("<nav><a href=\"#metrics\">Metrics</a><a href=\"#figures\">Figures</a><a href=\"#probe\">Probe</a>")
                .append("<a href=\"#export\">Export</a><a href=\"#config\">Config</a><a href=\"#provenance\">Provenance</a></nav>");

        h.append("<section id=\"metrics\"><h2>Final metrics</h2>").append(metricsTable(rows)).append(summaryFacts(f)).append("</section>");

        h.append("<section id=\"figures\"><h2>Figures</h2>");
        String current = null;
        for (PngFigures.Figure fig : figures) {
            if (!fig.section().equals(current)) {
                if (current != null) {
                    h.append("</div>");
                }
                current = fig.section();
                h.append("<h3>").append(esc(current)).append("</h3><div class=\"grid\">");
            }
            byte[] png = Files.readAllBytes(fig.file());
            h.append("<figure><img alt=\"").append(esc(fig.title())).append("\" src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(png)).append("\"><figcaption>").append(esc(fig.title()))
                    .append("</figcaption></figure>");
        }
        if (current != null) {
            h.append("</div>");
        }
        h.append("</section>");

        h.append("<section id=\"probe\"><h2>Downstream classification (Tribuo probes)</h2>").append(probe(f)).append("</section>");
        h.append("<section id=\"export\"><h2>ONNX export checks</h2>").append(export(f)).append("</section>");
        h.append("<section id=\"config\"><h2>Resolved configuration</h2><pre>")
                .append(esc(read(f.resolve("config.resolved.yaml")))).append("</pre></section>");
        h.append("<section id=\"provenance\"><h2>Provenance</h2>").append(provenance(f)).append("</section>");
        h.append("<footer>sparselab · generated ").append(esc(java.time.Instant.now().toString())).append("</footer></body></html>\n");
        return h.toString();
    }

    static String metricsTable(List<Map<String, Object>> rows) {
        Map<String, Map<String, Object>> last = new LinkedHashMap<>();
        Set<String> keys = new LinkedHashSet<>();
        for (Map<String, Object> r : rows) {
            last.put(String.valueOf(r.get("split")), r);
            r.keySet().stream().filter(k -> !k.equals("epoch") && !k.equals("split")).forEach(keys::add);
        }
        if (last.isEmpty()) {
            return "<p class=\"muted\">No metrics were recorded.</p>";
        }
        StringBuilder t = new StringBuilder("<table><tr><th>metric</th>");
        last.forEach((split, r) -> t.append("<th>").append(esc(split)).append(" (epoch ").append(num(r.get("epoch"), "%.0f")).append(")</th>"));
        t.append("</tr>");
        for (String k : keys) {
            t.append("<tr><td>").append(esc(k)).append("</td>");
            for (Map<String, Object> r : last.values()) {
                t.append("<td class=\"num\">").append(num(r.get(k), "%.4f")).append("</td>");
            }
            t.append("</tr>");
        }
        return t.append("</table>").toString();
    }

    private static String summaryFacts(RunFolder f) throws IOException {
        Path s = f.resolve(RunFolder.SUMMARY);
        if (!Files.exists(s)) {
            return "";
        }
        JsonNode n = Json.mapper().readTree(s.toFile());
        StringBuilder sb = new StringBuilder("<p class=\"muted\">");
        if (n.has("train_samples_per_second")) {
            sb.append(String.format(Locale.ROOT, "Training throughput %,.0f samples/s. ", n.get("train_samples_per_second").asDouble()));
        }
        if (n.has("seconds")) {
            sb.append(String.format(Locale.ROOT, "Run time %.1f s.", n.get("seconds").asDouble()));
        }
        return sb.append("</p>").toString();
    }

    static String probe(RunFolder f) throws IOException {
        Path p = f.resolve("probe/probe.json");
        if (!Files.exists(p)) {
            return "<p class=\"muted\">No probe was run (add <code>evaluate: [probe]</code> or run <code>sparselab probe</code>).</p>";
        }
        JsonNode doc = Json.mapper().readTree(p.toFile());
        Map<String, Map<String, JsonNode>> byK = new LinkedHashMap<>();
        Set<String> sets = new LinkedHashSet<>();
        for (JsonNode c : doc.path("cells")) {
            sets.add(c.path("features").asText());
            byK.computeIfAbsent(c.path("k").asText(), k -> new LinkedHashMap<>()).put(c.path("features").asText(), c);
        }
        StringBuilder t = new StringBuilder("<p>Tribuo ").append(esc(doc.path("trainer").asText())).append(" trainer, ")
                .append(doc.path("epochs").asInt()).append(" epochs; accuracy on the ").append(esc(doc.path("test_split").asText()))
                .append(" split, mean ± std over ").append(doc.path("seeds").asInt()).append(" seeds.</p><table><tr><th>K per class</th>");
        sets.forEach(s -> t.append("<th>").append(esc(s)).append("</th>"));
        t.append("</tr>");
        byK.forEach((k, row) -> {
            t.append("<tr><td>").append(esc(k)).append("</td>");
            for (String s : sets) {
                JsonNode c = row.get(s);
                t.append("<td class=\"num\">").append(c == null ? "–" : String.format(Locale.ROOT, "%.4f ± %.4f", c.path("mean").asDouble(),
                        c.path("std").asDouble())).append("</td>");
            }
            t.append("</tr>");
        });
        t.append("</table>");
        Path conf = f.resolve("probe/confusion-codes.txt");
        if (Files.exists(conf)) {
            t.append("<details><summary>Confusion matrix and per-class figures (codes, K = all)</summary><pre>")
                    .append(esc(Files.readString(conf))).append("</pre></details>");
        }
        return t.toString();
    }

    static String export(RunFolder f) throws IOException {
        Path p = f.resolve("export/check.json");
        if (!Files.exists(p)) {
            return "<p class=\"muted\">No ONNX export (add <code>evaluate: [export]</code> or run <code>sparselab export</code>).</p>";
        }
        JsonNode doc = Json.mapper().readTree(p.toFile());
        StringBuilder t = new StringBuilder("<table><tr><th>file</th><th>provider</th><th>samples</th><th>max |Δ|</th><th>max rel Δ</th>"
                + "<th>active sets</th><th>classes</th><th>check</th></tr>");
        for (JsonNode c : doc.path("checks")) {
            boolean ok = c.path("passed").asBoolean();
            t.append("<tr><td>").append(esc(c.path("file").asText())).append("</td><td>").append(esc(c.path("provider").asText()))
                    .append("</td><td class=\"num\">").append(c.path("samples").asInt()).append("</td><td class=\"num\">")
                    .append(String.format(Locale.ROOT, "%.2e", c.path("max_abs_diff").asDouble())).append("</td><td class=\"num\">")
                    .append(String.format(Locale.ROOT, "%.2e", c.path("max_rel_diff").asDouble())).append("</td><td class=\"num\">")
                    .append(c.path("active_set_agreement").isNumber() ? String.format(Locale.ROOT, "%.4f", c.path("active_set_agreement").asDouble()) : "–")
                    .append("</td><td class=\"num\">")
                    .append(c.path("class_agreement").isNumber() ? String.format(Locale.ROOT, "%.4f", c.path("class_agreement").asDouble()) : "–")
                    .append("</td><td class=\"").append(ok ? "ok" : "bad").append("\">").append(ok ? "passed" : esc("failed: " + c.path("failure").asText()))
                    .append("</td></tr>");
        }
        return t.append("</table>").toString();
    }

    static String provenance(RunFolder f) throws IOException {
        Path p = f.resolve("provenance.json");
        if (!Files.exists(p)) {
            return "<p class=\"muted\">No provenance recorded.</p>";
        }
        StringBuilder t = new StringBuilder("<table>");
        flatten("", Json.mapper().readTree(p.toFile()), t);
        return t.append("</table>").toString();
    }

    private static void flatten(String prefix, JsonNode n, StringBuilder t) {
        if (n.isObject()) {
            n.fields().forEachRemaining(e -> flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), t));
        } else if (n.isArray() && n.size() > 0 && n.get(0).isObject()) {
            for (int i = 0; i < n.size(); i++) {
                flatten(prefix + "[" + i + "]", n.get(i), t);
            }
        } else {
            t.append("<tr><td>").append(esc(prefix)).append("</td><td><code>").append(esc(n.isTextual() ? n.asText() : n.toString()))
                    .append("</code></td></tr>");
        }
    }

    private static String read(Path p) throws IOException {
        return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
    }

    private static String num(Object v, String fmt) {
        return v instanceof Double d ? (Double.isNaN(d) ? "nan" : String.format(Locale.ROOT, fmt, d)) : "–";
    }

    static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static final String CSS = String.join("",
            "body{font:15px/1.5 -apple-system,'Segoe UI',Helvetica,Arial,sans-serif;color:#1d232a;margin:0;background:#f6f7f9}",
            "header{background:#1f3a5f;color:#fff;padding:18px 28px}h1{margin:0;font-size:24px}.sub{margin:4px 0 0;opacity:.85}",
            "header code{color:#dbe7f5}nav{background:#fff;border-bottom:1px solid #dde1e6;padding:8px 28px}",
            "nav a{margin-right:18px;color:#1f3a5f;text-decoration:none;font-weight:600}",
            "section{background:#fff;margin:16px 28px;padding:8px 20px 16px;border:1px solid #dde1e6;border-radius:6px}",
            "h2{font-size:19px;border-bottom:1px solid #eef0f3;padding-bottom:6px}h3{font-size:16px;color:#445}",
            "table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #e3e6ea;padding:4px 10px;text-align:left}",
            "th{background:#f0f3f7}td.num{text-align:right;font-variant-numeric:tabular-nums}",
            ".grid{display:flex;flex-wrap:wrap;gap:14px}figure{margin:0;max-width:580px}",
            "figure img{max-width:100%;border:1px solid #e3e6ea}figcaption{font-size:13px;color:#555}",
            "pre{background:#f6f8fa;padding:10px;overflow:auto;font-size:13px}.muted{color:#666}",
            ".ok{color:#1a7f37;font-weight:600}.bad{color:#c62828;font-weight:600}footer{margin:16px 28px;color:#888;font-size:12px}");
}

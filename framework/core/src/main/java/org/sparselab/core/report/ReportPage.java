package org.sparselab.core.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.sparselab.core.util.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code report.html}: one self-contained page (inline CSS, images as data URIs, no scripts, no links out of the
 * page) so it opens offline, from an archive or an e-mail. Files written by other services (probe, export) are
 * read defensively: whatever is present is shown, and a file that cannot be read is named, not fatal.
 */
final class ReportPage {
    /** Sections whose figures go under "Training curves"; all others go under "Representation and activity". */
    static final String CURVES = "Training curves";
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    /**
     * The facts at the top of the page.
     *
     * @param status finished, failed or running
     */
    record Header(String name, String model, String dataset, String status, Path folder) {
    }

    private ReportPage() {
    }

    static String html(Header head, JsonNode summary, Curves.Rows rows, List<PngFigures.Figure> figures, List<String> failures)
            throws IOException {
        Path dir = head.folder();
        JsonNode provenance = readJson(dir.resolve("provenance.json"));
        JsonNode config = readYaml(dir.resolve("config.resolved.yaml"));
        StringBuilder h = new StringBuilder(1 << 16);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>")
                .append(esc(head.name())).append(" · sparselab report</title><style>").append(CSS).append("</style></head><body>\n");
        header(h, head, summary, provenance, config);
        h.append("<nav><a href=\"#metrics\">Metrics</a><a href=\"#curves\">Curves</a><a href=\"#images\">Representation</a>")
                .append("<a href=\"#probe\">Probe</a><a href=\"#export\">Export</a><a href=\"#config\">Config</a>")
                .append("<a href=\"#provenance\">Provenance</a></nav>\n<main>\n");

        h.append("<section id=\"metrics\"><h2>Final metrics</h2>").append(metricsTable(rows)).append(runFacts(summary));
        if (rows.unreadable() > 0) {
            h.append("<p class=\"warn\">").append(rows.unreadable()).append(" line(s) of metrics.jsonl could not be read and are left out.</p>");
        }
        h.append("</section>\n");

        List<PngFigures.Figure> curves = figures.stream().filter(f -> f.section().equals(CURVES)).toList();
        List<PngFigures.Figure> others = figures.stream().filter(f -> !f.section().equals(CURVES)).toList();
        h.append("<section id=\"curves\"><h2>Training curves</h2>");
        if (curves.isEmpty()) {
            h.append("<p class=\"muted\">No metrics were recorded.</p>");
        } else {
            h.append("<p class=\"muted\">One chart per metric, one line per split; x is the epoch. The test split is measured once, "
                    + "after training.</p>");
            figureGrid(h, curves);
        }
        h.append("</section>\n<section id=\"images\"><h2>Representation and activity</h2>");
        String current = null;
        List<PngFigures.Figure> group = new ArrayList<>();
        for (PngFigures.Figure f : others) {
            if (!f.section().equals(current)) {
                flushGroup(h, current, group);
                current = f.section();
            }
            group.add(f);
        }
        flushGroup(h, current, group);
        if (others.isEmpty()) {
            h.append("<p class=\"muted\">No figures of the trained model.</p>");
        }
        if (!failures.isEmpty()) {
            h.append("<div class=\"warn\"><b>Not drawn:</b><ul>");
            failures.forEach(f -> h.append("<li><code>").append(esc(f)).append("</code></li>"));
            h.append("</ul></div>");
        }
        h.append("</section>\n");

        h.append("<section id=\"probe\"><h2>Downstream classification (Tribuo probes)</h2>").append(probe(dir)).append("</section>\n");
        h.append("<section id=\"export\"><h2>ONNX export checks</h2>").append(export(dir)).append("</section>\n");
        h.append("<div class=\"two\"><section id=\"config\"><h2>Resolved configuration</h2>");
        String yaml = readText(dir.resolve("config.resolved.yaml"));
        h.append(yaml == null ? "<p class=\"muted\">No config.resolved.yaml in the run folder.</p>" : "<pre>" + esc(yaml) + "</pre>");
        h.append("</section><section id=\"provenance\"><h2>Provenance</h2>").append(provenance(provenance)).append("</section></div>\n");
        h.append("</main><footer>sparselab report · generated ").append(esc(WHEN.format(Instant.now())))
                .append(" · figures are also in <code>plots/</code></footer>\n</body></html>\n");
        return h.toString();
    }

    private static void header(StringBuilder h, Header head, JsonNode summary, JsonNode provenance, JsonNode config) {
        h.append("<header><div class=\"title\"><h1>").append(esc(head.name())).append("</h1><span class=\"badge ")
                .append(esc(head.status())).append("\">").append(esc(head.status())).append("</span></div>")
                .append("<p class=\"sub\">model <b>").append(esc(head.model())).append("</b> on <b>").append(esc(head.dataset()))
                .append("</b></p><dl>");
        Map<String, String> facts = new LinkedHashMap<>();
        String created = text(provenance, "created");
        if (created != null) {
            try {
                created = WHEN.format(Instant.parse(created));
            } catch (RuntimeException e) {
                // keep the text as written
            }
            facts.put("started", created);
        }
        if (summary != null && summary.path("seconds").isNumber()) {
            facts.put("run time", duration(summary.path("seconds").asDouble()));
        }
        if (config != null) {
            facts.put("seed", text(config, "seed"));
            JsonNode training = config.path("training");
            facts.put("epochs", text(training, "epochs"));
        }
        facts.put("device", text(provenance, "device"));
        JsonNode git = provenance == null ? null : provenance.path("git");
        String commit = text(git, "commit");
        if (commit != null) {
            facts.put("commit", commit.substring(0, Math.min(10, commit.length())) + (git.path("dirty").asBoolean() ? " (dirty)" : ""));
        }
        facts.put("folder", head.folder().toString());
        facts.forEach((k, v) -> {
            if (v != null) {
                h.append("<div><dt>").append(esc(k)).append("</dt><dd>").append(esc(v)).append("</dd></div>");
            }
        });
        h.append("</dl></header>\n");
    }

    private static String duration(double s) {
        if (s < 120) {
            return String.format(Locale.ROOT, "%.1f s", s);
        }
        long m = Math.round(s / 60);
        return m < 120 ? m + " min" : String.format(Locale.ROOT, "%d h %02d min", m / 60, m % 60);
    }

    private static void flushGroup(StringBuilder h, String section, List<PngFigures.Figure> group) throws IOException {
        if (group.isEmpty()) {
            return;
        }
        h.append("<h3>").append(esc(section)).append("</h3>");
        figureGrid(h, group);
        group.clear();
    }

    private static void figureGrid(StringBuilder h, List<PngFigures.Figure> figures) throws IOException {
        h.append("<div class=\"grid\">");
        for (PngFigures.Figure f : figures) {
            byte[] png = Files.readAllBytes(f.file());
            h.append("<figure><img alt=\"").append(esc(f.title())).append("\" src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(png)).append("\">");
            if (f.caption() != null) {
                h.append("<figcaption>").append(esc(f.caption())).append("</figcaption>");
            }
            h.append("</figure>");
        }
        h.append("</div>");
    }

    // ---- metrics ---------------------------------------------------------------------------------------

    static String metricsTable(Curves.Rows rows) {
        Map<String, Map<String, Object>> last = rows.last();
        if (last.isEmpty()) {
            return "<p class=\"muted\">No metrics were recorded.</p>";
        }
        StringBuilder t = new StringBuilder("<table class=\"metrics\"><tr><th>metric</th>");
        last.forEach((split, r) -> t.append("<th>").append(esc(split)).append("<span class=\"epoch\">epoch ")
                .append(r.get("epoch") instanceof Double e && Double.isFinite(e) ? String.format(Locale.ROOT, "%.0f", e) : "–")
                .append("</span></th>"));
        t.append("</tr>");
        for (String k : rows.metrics()) {
            t.append("<tr><td>").append(esc(k)).append("</td>");
            for (Map<String, Object> r : last.values()) {
                t.append(numberCell(r.get(k)));
            }
            t.append("</tr>");
        }
        return t.append("</table>").toString();
    }

    private static String numberCell(Object v) {
        if (v instanceof Double d) {
            return Double.isNaN(d) ? "<td class=\"num bad\">NaN</td>" : "<td class=\"num\">" + number(d) + "</td>";
        }
        return v == null ? "<td class=\"num muted\">–</td>" : "<td>" + esc(v.toString()) + "</td>";
    }

    /** Four decimals for ordinary values, whole numbers from 2 up as they are, scientific notation for very small or large ones. */
    static String number(double d) {
        if (!Double.isFinite(d)) {
            return Double.isNaN(d) ? "NaN" : d > 0 ? "∞" : "−∞";
        }
        if (d == 0 || d == Math.rint(d) && Math.abs(d) >= 2 && Math.abs(d) < 1e7) {
            return String.format(Locale.ROOT, "%.0f", d);
        }
        double a = Math.abs(d);
        return a >= 1e-3 && a < 1e5 ? String.format(Locale.ROOT, "%.4f", d) : String.format(Locale.ROOT, "%.3e", d);
    }

    private static String runFacts(JsonNode summary) {
        if (summary == null) {
            return "";
        }
        List<String> facts = new ArrayList<>();
        if (summary.path("train_samples_per_second").isNumber() && summary.path("train_samples_per_second").asDouble() > 0) {
            facts.add(String.format(Locale.ROOT, "training throughput %,.0f samples/s", summary.path("train_samples_per_second").asDouble()));
        }
        if (summary.path("seconds").isNumber()) {
            facts.add("run time " + duration(summary.path("seconds").asDouble()));
        }
        return facts.isEmpty() ? "" : "<p class=\"muted\">" + esc(String.join(" · ", facts)) + "</p>";
    }

    // ---- probe -----------------------------------------------------------------------------------------

    static String probe(Path dir) {
        Path json = dir.resolve("probe/probe.json");
        Path md = dir.resolve("probe/probe.md");
        if (!Files.exists(json) && !Files.exists(md)) {
            return "<p class=\"muted\">No probe run (add <code>probe</code> to <code>evaluate</code>, or run "
                    + "<code>sparselab probe RUN_FOLDER</code> and then <code>sparselab report RUN_FOLDER</code>).</p>";
        }
        StringBuilder t = new StringBuilder();
        JsonNode doc = null;
        if (Files.exists(json)) {
            try {
                doc = Json.mapper().readTree(json.toFile());
            } catch (IOException e) {
                t.append("<p class=\"warn\">probe/probe.json could not be read: ").append(esc(e.getMessage())).append("</p>");
            }
        }
        if (doc != null && doc.path("cells").isArray() && doc.path("cells").size() > 0) {
            t.append(probeTable(doc));
        } else if (doc != null) {
            t.append(keyValues(doc));
        } else if (Files.exists(md)) {
            t.append(markdown(readText(md)));
        }
        Path conf = dir.resolve("probe/confusion-codes.txt");
        String c = readText(conf);
        if (c != null) {
            t.append("<details><summary>Confusion matrix and per-class figures (codes, K = all)</summary><pre>")
                    .append(esc(c)).append("</pre></details>");
        }
        return t.toString();
    }

    private static String probeTable(JsonNode doc) {
        Map<String, Map<String, JsonNode>> byK = new LinkedHashMap<>();
        Set<String> sets = new LinkedHashSet<>();
        for (JsonNode c : doc.path("cells")) {
            String features = c.path("features").asText("?");
            sets.add(features);
            byK.computeIfAbsent(c.path("k").asText("?"), k -> new LinkedHashMap<>()).put(features, c);
        }
        StringBuilder t = new StringBuilder("<p>");
        List<String> about = new ArrayList<>();
        if (doc.hasNonNull("trainer")) {
            about.add("Tribuo " + doc.path("trainer").asText() + " trainer" + (doc.path("epochs").isNumber() ? ", " + doc.path("epochs").asInt() + " epochs" : ""));
        }
        about.add("accuracy" + (doc.hasNonNull("test_split") ? " on the " + doc.path("test_split").asText() + " split" : "")
                + ", mean ± std" + (doc.path("seeds").isNumber() ? " over " + doc.path("seeds").asInt() + " seeds" : ""));
        about.add("K labelled training samples per class; the best feature set of each row in bold");
        t.append(esc(String.join("; ", about))).append(".</p><table><tr><th>K per class</th><th>train samples</th>");
        sets.forEach(s -> t.append("<th>").append(esc(s)).append("</th>"));
        t.append("</tr>");
        byK.forEach((k, row) -> {
            double best = row.values().stream().filter(c -> c.path("mean").isNumber()).mapToDouble(c -> c.path("mean").asDouble())
                    .max().orElse(Double.NaN);
            JsonNode any = row.values().iterator().next();
            t.append("<tr><td>").append(esc(k)).append("</td><td class=\"num\">")
                    .append(any.path("train_samples").isNumber() ? any.path("train_samples").asText() : "–").append("</td>");
            for (String s : sets) {
                JsonNode c = row.get(s);
                if (c == null || !c.path("mean").isNumber()) {
                    t.append("<td class=\"num muted\">–</td>");
                    continue;
                }
                double mean = c.path("mean").asDouble();
                String cell = String.format(Locale.ROOT, "%.4f", mean)
                        + (c.path("std").isNumber() ? String.format(Locale.ROOT, " ± %.4f", c.path("std").asDouble()) : "");
                t.append("<td class=\"num\">").append(row.size() > 1 && mean == best ? "<b>" + cell + "</b>" : cell).append("</td>");
            }
            t.append("</tr>");
        });
        return t.append("</table>").toString();
    }

    /** The tables of a Markdown file as HTML tables, other lines as paragraphs (enough for probe.md). */
    static String markdown(String md) {
        StringBuilder t = new StringBuilder();
        boolean inTable = false;
        boolean headerRow = false;
        for (String line : md.split("\n")) {
            String s = line.strip();
            if (s.startsWith("|")) {
                String[] cells = s.replaceAll("^\\||\\|$", "").split("\\|", -1);
                if (s.replaceAll("[|\\-:\\s]", "").isEmpty()) {
                    continue;
                }
                if (!inTable) {
                    t.append("<table>");
                    inTable = true;
                    headerRow = true;
                }
                t.append("<tr>");
                for (String c : cells) {
                    t.append(headerRow ? "<th>" : "<td>").append(esc(c.strip())).append(headerRow ? "</th>" : "</td>");
                }
                t.append("</tr>");
                headerRow = false;
            } else {
                if (inTable) {
                    t.append("</table>");
                    inTable = false;
                }
                if (!s.isEmpty()) {
                    t.append("<p>").append(esc(s.replaceAll("^#+\\s*", ""))).append("</p>");
                }
            }
        }
        if (inTable) {
            t.append("</table>");
        }
        return t.toString();
    }

    // ---- export ----------------------------------------------------------------------------------------

    private static final Map<String, String> EXPORT_HEADS = Map.of("max_abs_diff", "max |Δ|", "max_rel_diff", "max rel Δ",
            "active_set_agreement", "active sets agree", "class_agreement", "classes agree");

    static String export(Path dir) {
        Path p = dir.resolve("export/check.json");
        if (!Files.exists(p)) {
            return "<p class=\"muted\">No ONNX export (add <code>export</code> to <code>evaluate</code>, or run "
                    + "<code>sparselab export RUN_FOLDER</code> and then <code>sparselab report RUN_FOLDER</code>).</p>";
        }
        JsonNode doc;
        try {
            doc = Json.mapper().readTree(p.toFile());
        } catch (IOException e) {
            return "<p class=\"warn\">export/check.json could not be read: " + esc(e.getMessage()) + "</p>";
        }
        if (doc == null || !doc.path("checks").isArray()) {
            return keyValues(doc);
        }
        StringBuilder t = new StringBuilder();
        if (doc.path("passed").isBoolean()) {
            boolean ok = doc.path("passed").asBoolean();
            t.append("<p>ONNX Runtime against the Java model: <span class=\"").append(ok ? "ok\">all checks passed" : "bad\">a check failed")
                    .append("</span>.</p>");
        }
        // Columns: every scalar key of any check, in order of appearance; passed/failure make the verdict column.
        Set<String> cols = new LinkedHashSet<>();
        for (JsonNode c : doc.path("checks")) {
            c.fields().forEachRemaining(e -> {
                if (!e.getValue().isContainerNode() && !e.getKey().equals("passed") && !e.getKey().equals("failure")) {
                    cols.add(e.getKey());
                }
            });
        }
        t.append("<table><tr>");
        cols.forEach(c -> t.append("<th>").append(esc(EXPORT_HEADS.getOrDefault(c, c.replace('_', ' ')))).append("</th>"));
        t.append("<th>check</th></tr>");
        for (JsonNode c : doc.path("checks")) {
            t.append("<tr>");
            for (String col : cols) {
                JsonNode v = c.path(col);
                if (v.isNumber()) {
                    double d = v.asDouble();
                    String s = col.contains("diff") || col.equals("tolerance") ? String.format(Locale.ROOT, "%.2e", d) : number(d);
                    t.append("<td class=\"num\">").append(s).append("</td>");
                } else if (v.isMissingNode() || v.isNull()) {
                    t.append("<td class=\"num muted\">–</td>");
                } else {
                    t.append("<td>").append(esc(v.asText())).append("</td>");
                }
            }
            JsonNode passed = c.path("passed");
            if (passed.isBoolean()) {
                boolean ok = passed.asBoolean();
                t.append("<td class=\"").append(ok ? "ok\">passed" : "bad\">failed" + (c.hasNonNull("failure") ? ": " + esc(c.path("failure").asText()) : ""))
                        .append("</td>");
            } else {
                t.append("<td class=\"muted\">–</td>");
            }
            t.append("</tr>");
        }
        t.append("</table>");
        List<String> extra = new ArrayList<>();
        doc.fields().forEachRemaining(e -> {
            if (!e.getKey().equals("checks") && !e.getKey().equals("passed")) {
                extra.add(e.getKey());
            }
        });
        if (!extra.isEmpty()) {
            com.fasterxml.jackson.databind.node.ObjectNode rest = Json.mapper().createObjectNode();
            extra.forEach(k -> rest.set(k, doc.get(k)));
            t.append(keyValues(rest));
        }
        return t.toString();
    }

    // ---- provenance and generic JSON -------------------------------------------------------------------

    static String provenance(JsonNode doc) {
        return doc == null ? "<p class=\"muted\">No provenance.json in the run folder.</p>" : keyValues(doc);
    }

    /** Any JSON as a two-column table of dotted keys and values. */
    static String keyValues(JsonNode doc) {
        if (doc == null || doc.isMissingNode() || doc.isNull()) {
            return "<p class=\"muted\">empty</p>";
        }
        StringBuilder t = new StringBuilder("<table class=\"kv\">");
        flatten("", doc, t);
        return t.append("</table>").toString();
    }

    private static void flatten(String prefix, JsonNode n, StringBuilder t) {
        if (n.isObject() && n.size() > 0) {
            n.fields().forEachRemaining(e -> flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), t));
        } else if (n.isArray() && n.size() > 0 && n.get(0).isContainerNode()) {
            for (int i = 0; i < n.size(); i++) {
                flatten(prefix + "[" + i + "]", n.get(i), t);
            }
        } else {
            String v = n.isValueNode() ? n.asText() : n.toString();
            t.append("<tr><td>").append(esc(prefix.isEmpty() ? "value" : prefix)).append("</td><td><code>").append(esc(v))
                    .append("</code></td></tr>");
        }
    }

    private static JsonNode readJson(Path p) {
        try {
            return Files.exists(p) ? Json.mapper().readTree(p.toFile()) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static JsonNode readYaml(Path p) {
        try {
            return Files.exists(p) ? new ObjectMapper(new YAMLFactory()).readTree(p.toFile()) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String readText(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String text(JsonNode n, String field) {
        if (n == null || !n.hasNonNull(field)) {
            return null;
        }
        JsonNode v = n.get(field);
        return v.isValueNode() ? v.asText() : null;
    }

    static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }

    private static final String CSS = String.join("",
            ":root{--ink:#1d232a;--muted:#5b6672;--line:#dde1e6;--head:#1f3a5f;--bg:#f4f6f8}",
            "*{box-sizing:border-box}body{font:15px/1.5 -apple-system,'Segoe UI',Helvetica,Arial,sans-serif;color:var(--ink);margin:0;background:var(--bg)}",
            "header{background:var(--head);color:#fff;padding:18px 28px 14px}.title{display:flex;align-items:center;gap:14px}",
            "h1{margin:0;font-size:24px;font-weight:650}.sub{margin:2px 0 10px;opacity:.9}",
            ".badge{font-size:12px;font-weight:700;text-transform:uppercase;letter-spacing:.04em;padding:2px 9px;border-radius:10px;background:#8a94a0}",
            ".badge.finished{background:#2e8b57}.badge.failed{background:#c62828}.badge.running{background:#b7791f}",
            "header dl{display:flex;flex-wrap:wrap;gap:6px 26px;margin:0;font-size:13px}header dt{opacity:.7;font-size:11px;text-transform:uppercase;letter-spacing:.04em}",
            "header dd{margin:0;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;word-break:break-all}",
            "nav{background:#fff;border-bottom:1px solid var(--line);padding:8px 28px;position:sticky;top:0;z-index:1}",
            "nav a{margin-right:20px;color:var(--head);text-decoration:none;font-weight:600;font-size:14px}",
            "main{max-width:1400px}section{background:#fff;margin:16px 28px;padding:6px 22px 16px;border:1px solid var(--line);border-radius:6px}",
            "h2{font-size:19px;margin:12px 0 8px;border-bottom:1px solid #eef0f3;padding-bottom:6px}h3{font-size:15px;color:#394654;margin:18px 0 8px}",
            "table{border-collapse:collapse;margin:8px 0;font-size:14px}th,td{border:1px solid #e3e6ea;padding:4px 10px;text-align:left;vertical-align:top}",
            "th{background:#f0f3f7;font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}",
            "th .epoch{display:block;font-weight:400;font-size:11px;color:var(--muted)}",
            "table.kv td:first-child{color:var(--muted);white-space:nowrap}table.kv code{word-break:break-all}",
            ".grid{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}",
            "figure{margin:0;max-width:640px;flex:1 1 520px}figure img{display:block;max-width:100%;height:auto;border:1px solid #e3e6ea;border-radius:3px}",
            "figcaption{font-size:13px;color:var(--muted);margin-top:4px}",
            "pre{background:#f6f8fa;padding:10px 12px;overflow:auto;font-size:12.5px;line-height:1.4;border-radius:4px;max-height:640px}",
            "details{margin-top:8px}summary{cursor:pointer;color:var(--head)}",
            ".muted{color:var(--muted)}.warn{color:#8a5300;background:#fff8e6;border:1px solid #f1dca7;padding:6px 10px;border-radius:4px}",
            ".ok{color:#1a7f37;font-weight:600}.bad{color:#c62828;font-weight:600}",
            ".two{display:flex;flex-wrap:wrap;margin:0 14px}.two section{flex:1 1 520px;margin:16px 14px;min-width:0}",
            "footer{margin:10px 28px 24px;color:#7a848f;font-size:12px}");
}

package org.sparselab.core.report;

import com.fasterxml.jackson.databind.JsonNode;
import org.sparselab.core.util.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Training curves from {@code metrics.jsonl}: one chart per metric, one series per split, x = epoch. */
final class Curves {
    private Curves() {
    }

    /** The rows read back from metrics.jsonl. */
    record Rows(List<Map<String, Object>> rows, int unreadable) {
        /** Metric names in order of first appearance. */
        Set<String> metrics() {
            Set<String> names = new LinkedHashSet<>();
            for (Map<String, Object> r : rows) {
                r.keySet().stream().filter(k -> !k.equals("epoch") && !k.equals("split")).forEach(names::add);
            }
            return names;
        }

        /** The last row of each split, in order of first appearance. */
        Map<String, Map<String, Object>> last() {
            Map<String, Map<String, Object>> last = new LinkedHashMap<>();
            for (Map<String, Object> r : rows) {
                last.put(String.valueOf(r.get("split")), r);
            }
            return last;
        }
    }

    /**
     * Reads metrics.jsonl: numbers become Double, JSON null (how NaN is written) becomes NaN, text stays text.
     * A line that is not a JSON object is skipped and counted rather than losing the whole report.
     */
    static Rows read(Path file) throws IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        int bad = 0;
        if (!Files.exists(file)) {
            return new Rows(rows, 0);
        }
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode n;
            try {
                n = Json.mapper().readTree(line);
            } catch (IOException e) {
                bad++;
                continue;
            }
            if (n == null || !n.isObject()) {
                bad++;
                continue;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode v = e.getValue();
                row.put(e.getKey(), v.isNumber() ? (Object) v.asDouble() : v.isNull() ? Double.NaN : v.asText());
            }
            rows.add(row);
        }
        return new Rows(rows, bad);
    }

    /** The chart of one metric: a line per split that has it. */
    static void draw(PngFigures fig, Rows rows, String metric) {
        Map<String, List<double[]>> bySplit = new LinkedHashMap<>();
        for (Map<String, Object> r : rows.rows()) {
            if (r.get(metric) instanceof Double v && r.get("epoch") instanceof Double e) {
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
            fig.lines("curve-" + metric, metric, "epoch", metric, series);
        }
    }
}

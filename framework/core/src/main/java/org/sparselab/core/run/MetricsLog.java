package org.sparselab.core.run;

import org.sparselab.core.util.Json;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code metrics.jsonl} and {@code metrics.csv}: one row per epoch and split, rewritten atomically after
 * each epoch. Rows hold only metric values (no timings), so the same seed and config give the same bytes.
 */
public final class MetricsLog {
    private final RunFolder folder;
    private final List<Map<String, Object>> rows = new ArrayList<>();

    public MetricsLog(RunFolder folder) {
        this.folder = folder;
    }

    public void add(int epoch, String split, Map<String, Double> values) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("epoch", epoch);
        row.put("split", split);
        new java.util.TreeMap<>(values).forEach(row::put);
        rows.add(row);
    }

    public List<Map<String, Object>> rows() {
        return Collections.unmodifiableList(rows);
    }

    public void flush() throws IOException {
        StringBuilder jsonl = new StringBuilder();
        Set<String> columns = new LinkedHashSet<>(List.of("epoch", "split"));
        for (Map<String, Object> r : rows) {
            jsonl.append(Json.line(sanitize(r))).append('\n');
            columns.addAll(r.keySet());
        }
        folder.write("metrics.jsonl", jsonl.toString());
        StringBuilder csv = new StringBuilder(String.join(",", columns)).append('\n');
        for (Map<String, Object> r : rows) {
            List<String> cells = new ArrayList<>();
            for (String c : columns) {
                Object v = r.get(c);
                cells.add(v == null ? "" : v instanceof Double d ? csvNumber(d) : v.toString());
            }
            csv.append(String.join(",", cells)).append('\n');
        }
        folder.write("metrics.csv", csv.toString());
    }

    /** JSON has no NaN: such values are written as null. */
    private static Map<String, Object> sanitize(Map<String, Object> r) {
        Map<String, Object> m = new LinkedHashMap<>();
        r.forEach((k, v) -> m.put(k, v instanceof Double d && (d.isNaN() || d.isInfinite()) ? null : v));
        return m;
    }

    private static String csvNumber(double d) {
        return Double.isNaN(d) ? "nan" : String.format(Locale.ROOT, "%s", d);
    }
}

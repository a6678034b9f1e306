package org.sparselab.core.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.sparselab.core.config.ConfigBinder;
import org.sparselab.core.util.Json;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/** Expands a sweep into its trials' values (a cartesian grid or seeded random draws) and names them. */
public final class SweepPlan {
    /** Longest readable part of an id; run names may have 100 characters. */
    private static final int MAX_READABLE = 80;

    private SweepPlan() {
    }

    /** The swept values of every trial, in order (the grid's first key changes slowest); keys in canonical form. */
    public static List<Map<String, Object>> points(SweepSpec s) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (s.random() == null) {
            product(s.grid(), 0, new LinkedHashMap<>(), out);
        } else {
            // One generator drawn in trial order, dimension by dimension: more samples extend the list, keeping the first ones.
            SplittableRandom rng = new SplittableRandom(s.random().seed());
            for (int i = 0; i < s.random().samples(); i++) {
                Map<String, Object> p = new LinkedHashMap<>();
                for (SweepSpec.Dimension d : s.random().space()) {
                    p.put(d.key().canonical(), d.distribution().sample(rng));
                }
                out.add(p);
            }
        }
        return out;
    }

    private static void product(List<SweepSpec.Axis> axes, int i, Map<String, Object> cur, List<Map<String, Object>> out) {
        if (i == axes.size()) {
            out.add(new LinkedHashMap<>(cur));
            return;
        }
        String key = axes.get(i).key().canonical();
        for (Object v : axes.get(i).values()) {
            cur.put(key, v);
            product(axes, i + 1, cur, out);
        }
        cur.remove(key);
    }

    /**
     * A file-name-safe id made of the values: {@code k=5}, {@code units=500,lr=0.001}. Each key is shown by its last
     * name (more of it where two keys would look alike). When the readable form loses anything (rounded numbers,
     * replaced characters, a long id) a short hash of the exact values is appended, so that ids stay distinct and
     * the same values always give the same id.
     */
    public static String id(Map<String, Object> values) {
        List<String> labels = labels(new ArrayList<>(values.keySet()));
        StringBuilder sb = new StringBuilder();
        boolean lossy = false;
        int i = 0;
        for (Object v : values.values()) {
            Text t = text(v);
            lossy |= t.lossy();
            sb.append(sb.length() == 0 ? "" : ",").append(labels.get(i++)).append('=').append(t.text());
        }
        String id = sb.toString();
        if (id.length() > MAX_READABLE) {
            id = id.substring(0, MAX_READABLE);
            lossy = true;
        }
        return lossy ? id + "-h" + hash(values) : id;
    }

    /** The shortest trailing run of names that tells the keys apart; the whole key when nothing shorter does. */
    static List<String> labels(List<String> keys) {
        List<List<String>> names = keys.stream().map(k -> KeyPath.parse(k).names()).toList();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            List<String> mine = names.get(i);
            String label = null;
            for (int n = 1; n <= mine.size() && label == null; n++) {
                List<String> tail = mine.subList(mine.size() - n, mine.size());
                int clashes = 0;
                for (List<String> other : names) {
                    if (other.size() >= n && other.subList(other.size() - n, other.size()).equals(tail)) {
                        clashes++;
                    }
                }
                if (clashes == 1) {
                    label = String.join(".", tail);
                }
            }
            out.add(safe(label != null ? label : keys.get(i).replace("[", ".").replace("]", "")).text());
        }
        return out;
    }

    private record Text(String text, boolean lossy) {
    }

    private static Text text(Object v) {
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (!Double.isFinite(d)) {
                return safe(String.valueOf(d));
            }
            BigDecimal exact = BigDecimal.valueOf(d).stripTrailingZeros();
            for (String s : List.of(exact.toPlainString(), exact.toString().toLowerCase(Locale.ROOT).replace("e+", "e"))) {
                if (s.length() <= 8) {
                    return safe(s);
                }
            }
            String rounded = String.format(Locale.ROOT, "%.4g", d);
            String shown = rounded.contains("e") ? rounded : new BigDecimal(rounded).stripTrailingZeros().toPlainString();
            return new Text(safe(shown.replace("e+", "e")).text(), true);
        }
        if (v instanceof Number || v instanceof Boolean) {
            return safe(String.valueOf(v));
        }
        if (v instanceof String s) {
            return safe(s);
        }
        return safe(Json.line(v));
    }

    private static Text safe(String s) {
        String t = s.replaceAll("[^A-Za-z0-9._+-]", "_");
        return new Text(t, !t.equals(s));
    }

    private static String hash(Map<String, Object> values) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(Json.line(values).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 3);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The base tree with the fixed overrides and one trial's values applied; throws {@link KeyPath.KeyException}. */
    public static ObjectNode apply(JsonNode base, List<SweepSpec.Entry> set, Map<String, Object> values) {
        ObjectNode tree = base.deepCopy();
        for (SweepSpec.Entry e : set) {
            e.key().set(tree, ConfigBinder.mapper().valueToTree(e.value()));
        }
        values.forEach((k, v) -> KeyPath.parse(k).set(tree, ConfigBinder.mapper().valueToTree(v)));
        return tree;
    }
}

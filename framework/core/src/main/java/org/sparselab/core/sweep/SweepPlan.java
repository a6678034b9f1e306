package org.sparselab.core.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.sparselab.api.config.ConfigException;
import org.sparselab.core.config.ConfigBinder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/** Expands a sweep into the values of its trials: a cartesian grid, or seeded random samples. */
public final class SweepPlan {
    private SweepPlan() {
    }

    /** The swept values of every trial, in order (the grid's first key changes slowest). */
    public static List<Map<String, Object>> points(SweepFile s) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (!s.grid().isEmpty()) {
            List<String> keys = new ArrayList<>(s.grid().keySet());
            product(keys, 0, new LinkedHashMap<>(), s.grid(), out);
        } else {
            SweepFile.RandomSpec r = s.random();
            SplittableRandom rng = new SplittableRandom(r.seed());
            for (int i = 0; i < r.samples(); i++) {
                Map<String, Object> p = new LinkedHashMap<>();
                for (Map.Entry<String, Map<String, Object>> e : r.space().entrySet()) {
                    p.put(e.getKey(), sample(e.getKey(), e.getValue(), rng));
                }
                out.add(p);
            }
        }
        return out;
    }

    private static void product(List<String> keys, int i, Map<String, Object> cur, Map<String, List<Object>> grid, List<Map<String, Object>> out) {
        if (i == keys.size()) {
            out.add(new LinkedHashMap<>(cur));
            return;
        }
        for (Object v : grid.get(keys.get(i))) {
            cur.put(keys.get(i), v);
            product(keys, i + 1, cur, grid, out);
        }
        cur.remove(keys.get(i));
    }

    static Object sample(String key, Map<String, Object> dist, SplittableRandom rng) {
        if (dist.size() != 1) {
            throw ConfigException.invalid("random.space." + key, dist, "one of {uniform: [lo, hi]}, {log_uniform: [lo, hi]}, {int_uniform: [lo, hi]}, {choice: [...]}");
        }
        Map.Entry<String, Object> d = dist.entrySet().iterator().next();
        if (!(d.getValue() instanceof List<?> args) || args.isEmpty()) {
            throw ConfigException.invalid("random.space." + key + "." + d.getKey(), d.getValue(), "a list");
        }
        switch (d.getKey()) {
            case "choice":
                return args.get(rng.nextInt(args.size()));
            case "uniform":
            case "log_uniform":
            case "int_uniform": {
                if (args.size() != 2 || !(args.get(0) instanceof Number lo) || !(args.get(1) instanceof Number hi) || hi.doubleValue() < lo.doubleValue()) {
                    throw ConfigException.invalid("random.space." + key + "." + d.getKey(), args, "[lo, hi] with lo <= hi");
                }
                double a = lo.doubleValue();
                double b = hi.doubleValue();
                if (d.getKey().equals("int_uniform")) {
                    return (long) a + rng.nextLong((long) b - (long) a + 1);
                }
                if (d.getKey().equals("log_uniform")) {
                    if (a <= 0) {
                        throw ConfigException.invalid("random.space." + key + ".log_uniform", args, "bounds > 0");
                    }
                    return Math.exp(Math.log(a) + rng.nextDouble() * (Math.log(b) - Math.log(a)));
                }
                return a + rng.nextDouble() * (b - a);
            }
            default:
                throw ConfigException.invalid("random.space." + key, d.getKey(), "uniform, log_uniform, int_uniform or choice");
        }
    }

    /** A readable, file-name-safe id from the values: the last segment of each key, '=' and the value. */
    public static String id(Map<String, Object> values) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Object> e : values.entrySet()) {
            String k = e.getKey().replaceAll("\\[\\d+]", "");
            k = k.substring(k.lastIndexOf('.') + 1);
            Object v = e.getValue();
            String text = v instanceof Double d ? String.format(Locale.ROOT, "%.4g", d) : String.valueOf(v);
            sb.append(sb.length() == 0 ? "" : ",").append(k).append('=').append(text);
        }
        String id = sb.toString().replaceAll("[^A-Za-z0-9._=,-]", "_");
        return id.length() <= 80 ? id : id.substring(0, 60) + "-" + Integer.toHexString(sb.toString().hashCode());
    }

    /** The base tree with the fixed overrides and one trial's values applied. */
    public static ObjectNode apply(JsonNode base, Map<String, Object> set, Map<String, Object> values) {
        ObjectNode tree = base.deepCopy();
        for (Map<String, Object> m : List.of(set, values)) {
            for (Map.Entry<String, Object> e : m.entrySet()) {
                KeyPath.parse(e.getKey()).set(tree, ConfigBinder.mapper().valueToTree(e.getValue()));
            }
        }
        return tree;
    }
}

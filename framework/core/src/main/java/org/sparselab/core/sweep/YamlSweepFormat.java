package org.sparselab.core.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.sparselab.core.UserException;
import org.sparselab.core.config.ConfigBinder;
import org.sparselab.core.config.ConfigError;
import org.sparselab.core.config.ConfigSource;
import org.sparselab.core.sweep.SweepSpec.Distribution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The standard sweep file (YAML, see {@link SweepFile}): a base run file, {@code set} overrides, and a {@code grid}
 * or a {@code random} search over dotted run-file keys.
 */
public final class YamlSweepFormat implements SweepFormat {
    private static final String NAME = "[A-Za-z0-9][A-Za-z0-9._-]{0,99}";

    @Override
    public boolean reads(Path file, String text) {
        String n = file.getFileName().toString();
        return n.endsWith(".yaml") || n.endsWith(".yml");
    }

    @Override
    public SweepSpec read(Path file, String text) {
        ConfigSource src = ConfigSource.of(file.toString(), text);
        JsonNode tree;
        try {
            tree = ConfigBinder.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new UserException(file + (line > 0 ? ":" + line : "") + ": not valid YAML: " + e.getOriginalMessage());
        }
        if (tree == null || !tree.isObject()) {
            throw new UserException(file + ": a sweep file is a map of keys: name, base, grid or random, ...");
        }
        SweepFile sf = ConfigBinder.bind(tree, SweepFile.class, "", src, "a sweep file");
        String name = sf.name() != null ? sf.name() : stem(file);
        if (!name.matches(NAME)) {
            throw new ConfigError(src, "name", "name = " + name + " is not accepted: expected letters, digits, '.', '_' and '-' (at most 100)");
        }
        if (sf.base() == null || sf.base().isBlank()) {
            throw new ConfigError(src, "", "base is required: the run file every trial starts from, relative to the sweep file");
        }
        Path basePath = file.toAbsolutePath().getParent().resolve(sf.base()).normalize();
        String baseText;
        try {
            baseText = Files.readString(basePath);
        } catch (IOException e) {
            throw new ConfigError(src, "base", "base = " + sf.base() + ": cannot read " + basePath
                    + (Files.exists(basePath) ? " (" + e.getMessage() + ")" : " (no such file; base is relative to the sweep file)"));
        }
        List<SweepSpec.Entry> set = new ArrayList<>();
        sf.set().forEach((k, v) -> set.add(new SweepSpec.Entry(key(src, "set", k), v, src.at(located("set", k)))));
        List<SweepSpec.Axis> grid = new ArrayList<>();
        sf.grid().forEach((k, values) -> {
            String at = located("grid", k);
            if (values == null || values.isEmpty()) {
                throw new ConfigError(src, at, "grid key '" + k + "' needs a non-empty list of values");
            }
            grid.add(new SweepSpec.Axis(key(src, "grid", k), values, src.at(at)));
        });
        SweepSpec.Random random = null;
        if (sf.random() != null) {
            List<SweepSpec.Dimension> dims = new ArrayList<>();
            sf.random().space().forEach((k, d) -> {
                String at = located("random.space", k);
                dims.add(new SweepSpec.Dimension(key(src, "random.space", k), distribution(src, at, k, d), src.at(at)));
            });
            random = new SweepSpec.Random(sf.random().samples(), sf.random().seed(), dims);
        }
        SweepSpec.Metric metric = new SweepSpec.Metric(sf.metric().split(), sf.metric().name(), sf.metric().goal());
        SweepSpec spec = new SweepSpec(file, name, new SweepSpec.BaseRun(basePath, baseText), sf.workers(), sf.javaOpts(), sf.output(),
                metric, set, grid, random);
        checkKeys(spec);
        return spec;
    }

    /** A key set twice (in set and grid, or spelled two ways), or a key the sweep itself writes, is an error. */
    static void checkKeys(SweepSpec spec) {
        Map<String, SweepSpec.Located> seen = new HashMap<>();
        for (SweepSpec.Located l : spec.keys()) {
            String c = l.key().canonical();
            if (c.equals("name") || c.equals("output")) {
                throw new UserException(l.at() + ": " + l.part() + " key '" + l.key() + "': the sweep sets each trial's " + c
                        + " itself (" + (c.equals("name") ? "the trial id" : "inside the sweep folder") + ")");
            }
            SweepSpec.Located prev = seen.putIfAbsent(c, l);
            if (prev != null) {
                throw new UserException(l.at() + ": " + l.part() + " key '" + l.key() + "' is already set at " + prev.at()
                        + " (" + prev.part() + " key '" + prev.key() + "')");
            }
        }
    }

    private static KeyPath key(ConfigSource src, String part, String key) {
        try {
            return KeyPath.parse(key);
        } catch (KeyPath.KeyException e) {
            throw new ConfigError(src, located(part, key), part + ": " + e.getMessage());
        }
    }

    private static String located(String part, String key) {
        return part + "." + key;
    }

    private static String stem(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    private static Distribution distribution(ConfigSource src, String at, String key, Map<String, Object> d) {
        String accepted = "one of {uniform: [lo, hi]}, {log_uniform: [lo, hi]}, {int_uniform: [lo, hi]}, {choice: [values]}";
        if (d == null || d.size() != 1) {
            throw new ConfigError(src, at, "random.space." + key + " = " + d + " is not accepted: expected " + accepted);
        }
        Map.Entry<String, Object> e = d.entrySet().iterator().next();
        String where = at + "." + e.getKey();
        if (!(e.getValue() instanceof List<?> args) || args.isEmpty()) {
            throw new ConfigError(src, where, "random.space." + key + "." + e.getKey() + " needs a list, e.g. [1e-4, 1e-2]");
        }
        if (e.getKey().equals("choice")) {
            return new Distribution.Choice(new ArrayList<>(args));
        }
        if (!List.of("uniform", "log_uniform", "int_uniform").contains(e.getKey())) {
            throw new ConfigError(src, where, "random.space." + key + ": unknown distribution '" + e.getKey() + "'; expected " + accepted);
        }
        if (args.size() != 2 || !(args.get(0) instanceof Number lo) || !(args.get(1) instanceof Number hi)
                || !(lo.doubleValue() <= hi.doubleValue())) {
            throw new ConfigError(src, where, "random.space." + key + "." + e.getKey() + " = " + args + " is not accepted: expected [lo, hi] with lo <= hi");
        }
        return switch (e.getKey()) {
            case "uniform" -> new Distribution.Uniform(lo.doubleValue(), hi.doubleValue());
            case "log_uniform" -> {
                if (lo.doubleValue() <= 0) {
                    throw new ConfigError(src, where, "random.space." + key + ".log_uniform = " + args + " is not accepted: expected bounds > 0");
                }
                yield new Distribution.LogUniform(lo.doubleValue(), hi.doubleValue());
            }
            default -> {
                if (lo.doubleValue() != Math.rint(lo.doubleValue()) || hi.doubleValue() != Math.rint(hi.doubleValue())) {
                    throw new ConfigError(src, where, "random.space." + key + ".int_uniform = " + args + " is not accepted: expected integer bounds");
                }
                yield new Distribution.IntUniform(lo.longValue(), hi.longValue());
            }
        };
    }
}

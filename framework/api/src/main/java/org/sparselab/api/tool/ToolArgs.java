package org.sparselab.api.tool;

import org.sparselab.api.config.ConfigException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Arguments of a {@link Tool}: positionals and {@code --name value} / {@code --name=value} / {@code --flag}
 * options. Typed getters raise a {@link ConfigException} that names the option, the value and what is
 * accepted; {@link #finish()} rejects options the tool never asked for, so a misspelt option is an error,
 * not a silently ignored default.
 */
public final class ToolArgs {
    private final String tool;
    private final List<String> positionals;
    private final Map<String, String> options;
    private final Set<String> asked = new LinkedHashSet<>();
    private final Set<String> flagNames;

    private ToolArgs(String tool, List<String> positionals, Map<String, String> options, Set<String> flagNames) {
        this.tool = tool;
        this.positionals = positionals;
        this.options = options;
        this.flagNames = flagNames;
    }

    /**
     * Parses {@code raw}. {@code flags} names the options that take no value (everything else after
     * {@code --name} consumes the next argument unless written {@code --name=value}); {@code --} ends options.
     */
    public static ToolArgs parse(String tool, List<String> raw, Set<String> flags) {
        List<String> pos = new ArrayList<>();
        Map<String, String> opts = new LinkedHashMap<>();
        boolean onlyPositionals = false;
        for (int i = 0; i < raw.size(); i++) {
            String a = raw.get(i);
            if (onlyPositionals || !a.startsWith("--")) {
                pos.add(a);
                continue;
            }
            if (a.equals("--")) {
                onlyPositionals = true;
                continue;
            }
            String body = a.substring(2);
            String name;
            String value;
            int eq = body.indexOf('=');
            if (eq >= 0) {
                name = body.substring(0, eq);
                value = body.substring(eq + 1);
            } else if (flags.contains(body)) {
                name = body;
                value = "true";
            } else {
                name = body;
                if (i + 1 >= raw.size()) {
                    throw new ConfigException(name, tool + ": option --" + name + " needs a value");
                }
                value = raw.get(++i);
            }
            if (opts.put(name, value) != null) {
                throw new ConfigException(name, tool + ": option --" + name + " is given twice");
            }
        }
        return new ToolArgs(tool, Collections.unmodifiableList(pos), opts, flags);
    }

    public String tool() {
        return tool;
    }

    public List<String> positionals() {
        return positionals;
    }

    /** The i-th positional; {@code what} names it in the error when it is missing. */
    public String positional(int i, String what) {
        if (i >= positionals.size()) {
            throw new ConfigException(what, tool + ": missing argument <" + what + ">");
        }
        return positionals.get(i);
    }

    public boolean has(String name) {
        asked.add(name);
        return options.containsKey(name);
    }

    public Optional<String> option(String name) {
        asked.add(name);
        return Optional.ofNullable(options.get(name));
    }

    public String string(String name, String def) {
        return option(name).orElse(def);
    }

    public String requireString(String name, String accepted) {
        return option(name).orElseThrow(() -> ConfigException.missing("--" + name, accepted));
    }

    public boolean flag(String name) {
        String v = option(name).orElse("false");
        if (v.equals("true") || v.equals("false")) {
            return Boolean.parseBoolean(v);
        }
        throw ConfigException.invalid("--" + name, v, "true or false");
    }

    public int intValue(String name, int def) {
        Optional<String> v = option(name);
        if (v.isEmpty()) {
            return def;
        }
        try {
            return Integer.parseInt(v.get().trim());
        } catch (NumberFormatException e) {
            throw ConfigException.invalid("--" + name, v.get(), "an integer");
        }
    }

    public long longValue(String name, long def) {
        Optional<String> v = option(name);
        if (v.isEmpty()) {
            return def;
        }
        try {
            return Long.parseLong(v.get().trim());
        } catch (NumberFormatException e) {
            throw ConfigException.invalid("--" + name, v.get(), "an integer");
        }
    }

    public double doubleValue(String name, double def) {
        Optional<String> v = option(name);
        if (v.isEmpty()) {
            return def;
        }
        return parseDouble(name, v.get());
    }

    /** A comma-separated list of numbers, e.g. {@code --d 0.1,0.2,0.3}. */
    public List<Double> doubles(String name, List<Double> def) {
        Optional<String> v = option(name);
        if (v.isEmpty()) {
            return def;
        }
        List<Double> out = new ArrayList<>();
        for (String s : v.get().split(",")) {
            if (!s.isBlank()) {
                out.add(parseDouble(name, s));
            }
        }
        if (out.isEmpty()) {
            throw ConfigException.invalid("--" + name, v.get(), "a comma-separated list of numbers");
        }
        return out;
    }

    /** A comma-separated list of integers. */
    public List<Integer> ints(String name, List<Integer> def) {
        Optional<String> v = option(name);
        if (v.isEmpty()) {
            return def;
        }
        List<Integer> out = new ArrayList<>();
        for (String s : v.get().split(",")) {
            if (!s.isBlank()) {
                try {
                    out.add(Integer.parseInt(s.trim()));
                } catch (NumberFormatException e) {
                    throw ConfigException.invalid("--" + name, v.get(), "a comma-separated list of integers");
                }
            }
        }
        if (out.isEmpty()) {
            throw ConfigException.invalid("--" + name, v.get(), "a comma-separated list of integers");
        }
        return out;
    }

    public Optional<Path> path(String name) {
        return option(name).map(Path::of);
    }

    /** Rejects options the tool did not ask for, naming them and the options it knows. */
    public void finish() {
        Set<String> unknown = new TreeSet<>(options.keySet());
        unknown.removeAll(asked);
        if (!unknown.isEmpty()) {
            Set<String> known = new TreeSet<>(asked);
            known.addAll(flagNames);
            throw new ConfigException(unknown.iterator().next(), tool + ": unknown option"
                    + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown.stream().map(s -> "--" + s).toList())
                    + "; accepted: " + String.join(", ", known.stream().map(s -> "--" + s).toList()));
        }
    }

    private double parseDouble(String name, String s) {
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            throw ConfigException.invalid("--" + name, s, "a number");
        }
    }
}

package org.sparselab.core.run;

import org.sparselab.core.config.ComponentSpec;
import org.sparselab.core.config.ConfigError;
import org.sparselab.core.config.ConfigSource;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;

/** The evaluation protocols the host provides, found with ServiceLoader in the host's own class path. */
public final class Evaluations {
    private static final Map<String, Evaluation> BY_ID = load();

    private Evaluations() {
    }

    private static Map<String, Evaluation> load() {
        Map<String, Evaluation> m = new LinkedHashMap<>();
        for (Evaluation e : ServiceLoader.load(Evaluation.class, Evaluations.class.getClassLoader())) {
            m.put(e.id(), e);
        }
        return Collections.unmodifiableMap(m);
    }

    public static Map<String, Evaluation> all() {
        return BY_ID;
    }

    public static Evaluation get(ComponentSpec spec, ConfigSource source) {
        Evaluation e = BY_ID.get(spec.id());
        if (e == null) {
            throw new ConfigError(source, spec.path(), "unknown evaluation '" + spec.id() + "'; known evaluations: " + new TreeSet<>(BY_ID.keySet()));
        }
        return e;
    }
}

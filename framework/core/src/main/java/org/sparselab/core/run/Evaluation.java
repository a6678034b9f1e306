package org.sparselab.core.run;

import org.sparselab.core.config.ComponentSpec;
import org.sparselab.core.config.ConfigSource;

import java.util.Map;

/**
 * A protocol run after training, named in a run file's {@code evaluate} list (probe, export, denoise,
 * continual, ...). Framework services, written once, used by every model.
 */
public interface Evaluation {

    String id();

    String description();

    /** The record its parameters bind to, listed by {@code sparselab plugins}; null when it takes none. */
    default Class<? extends Record> configType() {
        return null;
    }

    /** Checks the entry's parameters before anything runs; throws a ConfigError naming the key. */
    void validate(ComponentSpec spec, ConfigSource source);

    /** Runs on a trained model; adds its headline figures to {@code summary}. */
    void run(RunState state, ComponentSpec spec, Map<String, Object> summary) throws Exception;
}

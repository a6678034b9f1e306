package org.sparselab.core.config;

import org.sparselab.core.UserException;

/** A configuration problem, reported as {@code file:line: message}. */
public final class ConfigError extends UserException {
    private static final long serialVersionUID = 1L;
    private final String key;

    public ConfigError(ConfigSource source, String key, String message) {
        super(source.at(key) + ": " + message);
        this.key = key;
    }

    /** The dotted key the error is about. */
    public String key() {
        return key;
    }
}

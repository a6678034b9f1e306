package org.sparselab.core.config;

import org.sparselab.api.config.ConfigException;

/** Turns a ConfigException raised while creating a component into a located ConfigError. */
public final class ConfigErrors {
    private ConfigErrors() {
    }

    public static ConfigError at(ResolvedRun run, String componentPath, ConfigException e) {
        ConfigSource src = ConfigSource.of(run.file().toString(), run.rawText());
        String key = e.key() == null || e.key().isEmpty() ? componentPath : componentPath + "." + e.key();
        return new ConfigError(src, key, componentPath + ": " + e.getMessage());
    }
}

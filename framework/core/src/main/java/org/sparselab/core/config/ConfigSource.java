package org.sparselab.core.config;

/** Where configuration text came from, to point errors at a file and line. */
public record ConfigSource(String file, YamlLocations locations) {
    public static ConfigSource of(String file, String text) {
        return new ConfigSource(file, YamlLocations.of(text));
    }

    public static ConfigSource inline(String what) {
        return new ConfigSource(what, YamlLocations.of(""));
    }

    public String at(String path) {
        int line = locations.line(path == null ? "" : path);
        return line > 0 ? file + ":" + line : file;
    }
}

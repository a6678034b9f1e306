package org.sparselab.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Versions baked in at build time. */
public final class SparselabVersion {
    /** The framework's Maven version. */
    public static final String FRAMEWORK;
    /** The plugin API version the host announces to PF4J; plugins state {@code Plugin-Requires} against it. */
    public static final String API;

    static {
        Properties p = new Properties();
        try (InputStream in = SparselabVersion.class.getResourceAsStream("/sparselab-version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        FRAMEWORK = p.getProperty("framework", "0.0.0");
        API = p.getProperty("api", "0.0.0");
    }

    private SparselabVersion() {
    }
}

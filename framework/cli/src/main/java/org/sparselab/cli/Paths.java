package org.sparselab.cli;

import java.nio.file.Path;

/** Where the CLI looks for plugins, data and outputs: flag, then environment, then the installation. */
final class Paths {
    private Paths() {
    }

    static Path home() {
        String h = System.getenv("SPARSELAB_HOME");
        return Path.of(h == null || h.isBlank() ? "." : h);
    }

    static Path resolve(Path flag, String env, String underHome) {
        if (flag != null) {
            return flag;
        }
        String e = System.getenv(env);
        if (e != null && !e.isBlank()) {
            return Path.of(e);
        }
        return home().resolve(underHome);
    }
}

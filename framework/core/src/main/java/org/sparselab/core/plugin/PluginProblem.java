package org.sparselab.core.plugin;

import java.nio.file.Path;

/** A file in the plugin folder that did not become a working plugin, and why. */
public record PluginProblem(Path file, String reason) {
    @Override
    public String toString() {
        return file.getFileName() + ": " + reason;
    }
}

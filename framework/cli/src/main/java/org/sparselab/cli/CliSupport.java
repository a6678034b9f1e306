package org.sparselab.cli;

import org.sparselab.core.plugin.PluginHost;
import org.sparselab.core.plugin.PluginProblem;

import java.io.PrintWriter;

/** Helpers shared by commands. */
final class CliSupport {
    private CliSupport() {
    }

    /** Loads plugins and prints one line per jar that was skipped. */
    static PluginHost loadPlugins(GlobalOptions g, PrintWriter err) {
        PluginHost host = PluginHost.load(g.pluginsDir());
        for (PluginProblem p : host.problems()) {
            err.println("warning: skipped plugin file " + p.file().getFileName() + " in " + host.folder() + ": " + p.reason());
        }
        if (host.plugins().isEmpty()) {
            err.println("warning: no plugins loaded from " + host.folder()
                    + " (build them with ./mvnw install, or point --plugins / SPARSELAB_PLUGINS at a plugin folder)");
        }
        err.flush();
        return host;
    }
}

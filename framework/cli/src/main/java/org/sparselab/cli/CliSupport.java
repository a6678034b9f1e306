package org.sparselab.cli;

import org.sparselab.api.data.Fetchable;
import org.sparselab.core.UserException;
import org.sparselab.core.config.ResolvedRun;
import org.sparselab.core.plugin.PluginHost;
import org.sparselab.core.plugin.PluginProblem;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

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

    /** Fetches the data a run reads when its dataset plugin knows how (idempotent: quick when present). */
    static void fetchIfNeeded(ResolvedRun run, Path dataDir, PrintWriter out) {
        if (run.dataset().extension() instanceof Fetchable f) {
            String name = f.fetchNameFor(run.dataset().config());
            if (name != null) {
                try {
                    f.fetch(name, dataDir, line -> {
                        out.println(line);
                        out.flush();
                    });
                } catch (IOException e) {
                    throw new UserException("fetching " + name + " failed: " + e.getMessage()
                            + " (fetch it by hand with ./sparselab data fetch " + name + ", or run with --no-fetch)", e);
                }
            }
        }
    }
}

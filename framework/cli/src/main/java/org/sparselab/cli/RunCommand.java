package org.sparselab.cli;

import org.sparselab.core.config.ConfigLoader;
import org.sparselab.core.config.ResolvedRun;
import org.sparselab.core.plugin.PluginHost;
import org.sparselab.core.run.Runner;
import org.sparselab.core.train.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code sparselab run <config>}. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Train and evaluate the run a YAML file describes; outputs go to a new run folder.")
final class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CONFIG", description = "run file (YAML), e.g. runs/quickstart.yaml")
    Path config;

    @Option(names = "--plain", description = "plain progress lines even on a terminal")
    boolean plain;

    @Option(names = "--no-fetch", description = "do not fetch missing data automatically")
    boolean noFetch;

    @Mixin
    GlobalOptions global = new GlobalOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        try (PluginHost host = CliSupport.loadPlugins(global, err)) {
            ParentWatch.start(err);
            ResolvedRun run = new ConfigLoader(host).load(config);
            if (!noFetch) {
                CliSupport.fetchIfNeeded(run, global.dataDir(), out);
            }
            Runner.Outcome o = Runner.run(run, host, new Runner.Settings(global.outputDir(), global.dataDir(), out, !plain && Progress.terminal()));
            out.flush();
            return 0;
        }
    }
}

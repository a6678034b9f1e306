package org.sparselab.cli;

import org.sparselab.core.plugin.PluginHost;
import org.sparselab.core.sweep.LocalProcessExecutor;
import org.sparselab.core.sweep.SweepRunner;
import org.sparselab.core.sweep.Trial;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code sparselab sweep <file>}. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Run a grid or random sweep over run-file keys; resumes where a stopped sweep left off; writes summary.csv and summary.html.")
final class SweepCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SWEEP", description = "sweep file (YAML), e.g. runs/sweeps/sdm-topk-k.yaml")
    Path file;

    @Option(names = "--workers", description = "trials at once (overrides the file's workers)")
    Integer workers;

    @Option(names = "--dry-run", description = "validate every trial and list them, run nothing")
    boolean dryRun;

    @Mixin
    GlobalOptions global = new GlobalOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        try (PluginHost host = CliSupport.loadPlugins(global, spec.commandLine().getErr())) {
            SweepRunner.Settings settings = new SweepRunner.Settings(global.outputDir(), host.folder(), global.dataDir(), out);
            SweepRunner.Plan plan = SweepRunner.plan(file, host, settings, workers);
            if (dryRun) {
                out.println(plan.trials().size() + " trials, all valid:");
                for (Trial t : plan.trials()) {
                    out.println("  " + t.id() + "  " + t.values());
                }
                return 0;
            }
            try (LocalProcessExecutor executor = new LocalProcessExecutor(plan.sweep().workers(), plan.sweep().javaOpts())) {
                int failed = SweepRunner.run(plan, executor, settings);
                return failed == 0 ? 0 : 4;
            }
        }
    }
}

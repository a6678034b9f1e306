package org.sparselab.cli;

import org.sparselab.core.UserException;
import org.sparselab.core.config.ResolvedRun;
import org.sparselab.core.plugin.PluginHost;
import org.sparselab.core.sweep.LocalProcessExecutor;
import org.sparselab.core.sweep.SweepRunner;
import org.sparselab.core.sweep.Trial;
import org.sparselab.core.sweep.TrialRuns;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code sparselab sweep <file>}. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Run a grid or random sweep over run-file keys, each trial in its own process and run folder.",
                "Run it again to resume: finished trials are skipped. Writes summary.csv and summary.html (table and plot)."})
final class SweepCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SWEEP", description = "sweep file (YAML), e.g. runs/sweeps/sdm-topk-k.yaml")
    Path file;

    @Option(names = "--workers", paramLabel = "N", description = "trials at once (overrides the file's workers)")
    Integer workers;

    @Option(names = "--flag-map", paramLabel = "FILE",
            description = "for a method's flag-grid JSON (e.g. hyperparameters_config.json): the YAML mapping its flags to run keys "
                    + "(default: flag-map.yaml beside the JSON)")
    Path flagMap;

    @Option(names = "--dry-run", description = "validate every trial and list them with their state; run nothing")
    boolean dryRun;

    @Option(names = "--no-fetch", description = "do not fetch missing data before the trials start")
    boolean noFetch;

    @Mixin
    GlobalOptions global = new GlobalOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        if (workers != null && workers < 1) {
            throw new UserException("--workers " + workers + " is not accepted: expected an integer >= 1");
        }
        try (PluginHost host = CliSupport.loadPlugins(global, spec.commandLine().getErr())) {
            SweepRunner.Settings settings = new SweepRunner.Settings(global.outputDir(), host.folder(),
                    global.dataDir().toAbsolutePath().normalize(), out);
            List<org.sparselab.core.sweep.SweepFormat> formats = org.sparselab.core.sweep.FlagMapFile.formatFor(file, flagMap)
                    .map(List::of).orElse(List.of());
            SweepRunner.Plan plan = SweepRunner.plan(file, formats, host, settings, workers);
            if (dryRun) {
                Map<String, TrialRuns> runs = plan.scan();
                long todo = runs.values().stream().filter(r -> r.finished().isEmpty()).count();
                out.println(plan.trials().size() + " trials, all valid; " + todo + " to run, " + plan.spec().workers() + " at once -> " + plan.dir());
                for (Trial t : plan.trials()) {
                    out.println("  " + t.id() + "  " + t.values() + "  " + runs.get(t.id()).status());
                }
                return 0;
            }
            if (!noFetch) {
                // once, here: trials fetching the same data in parallel would race
                Set<String> seen = new HashSet<>();
                for (Trial t : plan.trials()) {
                    ResolvedRun r = t.run();
                    if (seen.add(r.dataset().spec().id() + " " + r.dataset().config())) {
                        CliSupport.fetchIfNeeded(r, global.dataDir(), out);
                    }
                }
            }
            try (LocalProcessExecutor executor = new LocalProcessExecutor(plan.spec().workers())) {
                SweepRunner.Outcome o = SweepRunner.run(plan, executor, settings);
                if (o.failed() > 0) {
                    spec.commandLine().getErr().println("error: " + o.failed() + " of " + o.ran() + " trials failed (logs in " + plan.dir().resolve("logs")
                            + "); run the sweep again to retry them");
                    return 4;
                }
                return 0;
            }
        }
    }
}

package org.sparselab.cli;

import org.sparselab.core.plugin.PluginHost;
import org.sparselab.core.report.RunReport;
import org.sparselab.core.run.RunState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code sparselab report <run-folder>}. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Redraw a finished run's plots and report.html (e.g. after sparselab probe or export).")
final class ReportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN_FOLDER", description = "a run folder (results/<name>/<stamp>-<id>)")
    Path folder;

    @Mixin
    GlobalOptions global = new GlobalOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try (PluginHost host = CliSupport.loadPlugins(global, spec.commandLine().getErr());
             RunState state = RunState.reopen(folder, host, global.dataDir())) {
            spec.commandLine().getOut().println("report: " + RunReport.write(state));
            return 0;
        }
    }
}

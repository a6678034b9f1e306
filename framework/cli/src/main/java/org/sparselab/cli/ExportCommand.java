package org.sparselab.cli;

import org.sparselab.core.onnx.ExportConfig;
import org.sparselab.core.onnx.Exporter;
import org.sparselab.core.plugin.PluginHost;
import org.sparselab.core.run.RunState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code sparselab export <run-folder>}. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a finished run's model to ONNX (export/encoder.onnx, export/model.onnx) and verify it with ONNX Runtime.")
final class ExportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN_FOLDER", description = "a run folder (results/<name>/<stamp>-<id>)")
    Path folder;

    @Option(names = "--samples", description = "samples used for verification; 0 = the whole test split (default)")
    int samples;

    @Option(names = "--tolerance", description = "largest accepted |java - onnx| (default 1e-4)")
    Double tolerance;

    @Mixin
    GlobalOptions global = new GlobalOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        try (PluginHost host = CliSupport.loadPlugins(global, spec.commandLine().getErr());
             RunState state = RunState.reopen(folder, host, global.dataDir())) {
            ExportConfig cfg = new ExportConfig(samples, null, tolerance, null, null, null, null);
            Exporter.Result r = Exporter.export(state, cfg);
            r.checks().forEach(c -> out.println(Exporter.line(c)));
            out.println("written to " + state.folder().resolve("export"));
            return 0;
        }
    }
}

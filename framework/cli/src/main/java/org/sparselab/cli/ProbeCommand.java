package org.sparselab.cli;

import org.sparselab.core.plugin.PluginHost;
import org.sparselab.core.probe.ProbeConfig;
import org.sparselab.core.probe.ProbeEvaluation;
import org.sparselab.core.run.RunState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code sparselab probe <run-folder>}. */
@Command(name = "probe", mixinStandardHelpOptions = true,
        description = "Train Tribuo linear probes on a finished run's codes and on raw inputs (K samples per class); writes probe/ and export/pipeline.onnx.")
final class ProbeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN_FOLDER", description = "a run folder (results/<name>/<stamp>-<id>)")
    Path folder;

    @Option(names = "--k", split = ",", description = "samples per class, e.g. 1,2,5,10,20,50,all (default)")
    List<String> k;

    @Option(names = "--seeds", description = "repetitions (default 3)")
    Integer seeds;

    @Option(names = "--trainer", description = "logistic (default) or sgd")
    String trainer;

    @Option(names = "--no-raw", description = "skip the raw-input baseline")
    boolean noRaw;

    @Mixin
    GlobalOptions global = new GlobalOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<Object> ks = null;
        if (k != null) {
            ks = new ArrayList<>();
            for (String s : k) {
                ks.add(s.trim().equals("all") ? "all" : (Object) parse(s.trim()));
            }
        }
        ProbeConfig cfg = new ProbeConfig(ks, seeds, trainer, null, null, null, null, noRaw ? Boolean.FALSE : null, null, null);
        try (PluginHost host = CliSupport.loadPlugins(global, spec.commandLine().getErr());
             RunState state = RunState.reopen(folder, host, global.dataDir())) {
            var head = ProbeEvaluation.runAndWrite(state, cfg);
            var out = spec.commandLine().getOut();
            out.print(Files.readString(state.folder().resolve("probe/probe.md")));
            out.println("pipeline.onnx: " + head.getOrDefault("pipeline_onnx", "not exported"));
            out.println("written to " + state.folder().resolve("probe"));
            return 0;
        }
    }

    private static Integer parse(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new org.sparselab.core.UserException("--k " + s + " is not accepted: expected integers >= 1 or 'all'");
        }
    }
}

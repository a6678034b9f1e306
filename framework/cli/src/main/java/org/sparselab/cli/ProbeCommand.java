package org.sparselab.cli;

import org.sparselab.core.UserException;
import org.sparselab.core.config.ConfigBinder;
import org.sparselab.core.config.ConfigSource;
import org.sparselab.core.plugin.PluginHost;
import org.sparselab.core.probe.ProbeConfig;
import org.sparselab.core.probe.ProbeEvaluation;
import org.sparselab.core.probe.ProbeFiles;
import org.sparselab.core.run.RunState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code sparselab probe <run-folder>}. */
@Command(name = "probe", mixinStandardHelpOptions = true,
        description = "Train Tribuo linear probes on a finished run's codes and on raw inputs (K samples per class, mean ± std over "
                + "seeds); writes probe/ (tables, models, probe-codes.onnx) and export/pipeline.onnx, and prints the table.")
final class ProbeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN_FOLDER", description = "a run folder (results/<name>/<stamp>-<id>)")
    Path folder;

    @Option(names = "--k", split = ",", paramLabel = "K", description = "samples per class, e.g. 1,2,5,10,20,50,all (the default)")
    List<String> k;

    @Option(names = "--seeds", description = "repetitions (default 3)")
    Integer seeds;

    @Option(names = "--trainer", description = "logistic (default) or sgd-linear")
    String trainer;

    @Option(names = "--epochs", description = "trainer epochs (default 5)")
    Integer epochs;

    @Option(names = "--max-test", paramLabel = "N", description = "at most N test samples, a seeded subset (default: all)")
    Integer maxTest;

    @Option(names = "--selection", description = "random (default: K per class drawn per seed) or first (the first K of each class in the train split's order)")
    String selection;

    @Option(names = "--val-split", description = "model selection on this split (e.g. val): the best of --val-epochs by validation log loss")
    String valSplit;

    @Option(names = "--val-epochs", split = ",", paramLabel = "E", description = "candidate trainer epochs with --val-split (default 1,2,5,10,20)")
    List<Integer> valEpochs;

    @Option(names = "--no-raw", description = "skip the raw-input baseline")
    boolean noRaw;

    @Option(names = "--no-pipeline", description = "do not export export/pipeline.onnx")
    boolean noPipeline;

    @Mixin
    GlobalOptions global = new GlobalOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        // The options go through the same binding as `evaluate: probe` in a run file, checks included.
        Map<String, Object> params = new LinkedHashMap<>();
        if (k != null) {
            params.put("k_per_class", k.stream().map(String::trim).map(s -> s.equals(ProbeConfig.ALL) ? s : (Object) parse(s)).toList());
        }
        putIf(params, "seeds", seeds);
        putIf(params, "trainer", trainer);
        putIf(params, "epochs", epochs);
        putIf(params, "max_test", maxTest);
        putIf(params, "selection", selection);
        putIf(params, "val_split", valSplit);
        putIf(params, "val_epochs", valEpochs);
        if (noRaw) {
            params.put("raw_baseline", false);
        }
        if (noPipeline) {
            params.put("export_pipeline", false);
        }
        ProbeConfig cfg = ConfigBinder.bind(params, ProbeConfig.class, "probe", ConfigSource.inline("the command line"), "sparselab probe");
        try (PluginHost host = CliSupport.loadPlugins(global, spec.commandLine().getErr());
             RunState state = RunState.reopen(folder, host, global.dataDir())) {
            Map<String, Object> head = ProbeEvaluation.runAndWrite(state, cfg);
            var out = spec.commandLine().getOut();
            Path dir = state.folder().resolve(ProbeFiles.DIR);
            out.print(Files.readString(dir.resolve(ProbeFiles.MARKDOWN)));
            out.println("probe-codes.onnx: " + head.getOrDefault("probe_codes_onnx", "not exported"));
            out.println("pipeline.onnx: " + head.getOrDefault("pipeline_onnx", "not exported"));
            out.println(String.format(java.util.Locale.ROOT, "written to %s in %.1f s", dir, (Double) head.get("seconds")));
            out.flush();
            return 0;
        }
    }

    private static void putIf(Map<String, Object> m, String key, Object v) {
        if (v != null) {
            m.put(key, v);
        }
    }

    private static Object parse(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new UserException("--k " + s + " is not accepted: expected integers >= 1 or 'all'");
        }
    }
}

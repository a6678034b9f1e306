package org.sparselab.cli;

import org.sparselab.core.config.ConfigBinder;
import org.sparselab.core.config.ConfigSource;
import org.sparselab.core.denoise.DenoiseConfig;
import org.sparselab.core.denoise.DenoiseEvaluation;
import org.sparselab.core.plugin.PluginHost;
import org.sparselab.core.run.RunState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code sparselab denoise <run-folder> --sigma 0.1,0.5,1}. */
@Command(name = "denoise", mixinStandardHelpOptions = true,
        description = "Denoising on a finished run: y + σ·N(0, 1) in input space through encoder and decoder; PSNR (pixel space, per "
                + "image, averaged) of the clean and noisy reconstructions and of the noisy input, code L0. Writes denoise.json, adds it "
                + "to summary.json and prints the table.")
final class DenoiseCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN_FOLDER", description = "a run folder (results/<name>/<stamp>-<id>)")
    Path folder;

    @Option(names = "--sigma", split = ",", paramLabel = "S", description = "noise levels, e.g. 0.1,0.5,1 (default 1)")
    List<Double> sigma;

    @Option(names = "--split", description = "split to evaluate (default test)")
    String split;

    @Option(names = "--batch-size", description = "samples per encoder call (default: the run's eval_batch_size)")
    Integer batchSize;

    @Option(names = "--max-samples", paramLabel = "N", description = "at most the first N samples (default: all)")
    Integer maxSamples;

    @Option(names = "--seed", description = "seed of the noise (default: the run's seed)")
    Long seed;

    @Option(names = "--pixel-scale", description = "x_pix = x * scale + offset (default: the dataset's declaration)")
    Double pixelScale;

    @Option(names = "--pixel-offset", description = "offset of the pixel mapping")
    Double pixelOffset;

    @Mixin
    GlobalOptions global = new GlobalOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> params = new LinkedHashMap<>();
        putIf(params, "sigma", sigma);
        putIf(params, "split", split);
        putIf(params, "batch_size", batchSize);
        putIf(params, "max_samples", maxSamples);
        putIf(params, "seed", seed);
        putIf(params, "pixel_scale", pixelScale);
        putIf(params, "pixel_offset", pixelOffset);
        DenoiseConfig cfg = ConfigBinder.bind(params, DenoiseConfig.class, "denoise", ConfigSource.inline("the command line"), "sparselab denoise");
        try (PluginHost host = CliSupport.loadPlugins(global, spec.commandLine().getErr());
             RunState state = RunState.reopen(folder, host, global.dataDir())) {
            Map<String, Object> head = DenoiseEvaluation.runAndWrite(state, cfg);
            DenoiseEvaluation.updateSummary(state.folder(), head);
            var out = spec.commandLine().getOut();
            out.println("pixel mapping: " + head.get("pixel_mapping") + "; " + head.get("samples") + " samples of '" + head.get("split") + "'");
            out.print(DenoiseEvaluation.table(head));
            if (head.containsKey("baselines")) {
                out.println("baselines (clean): " + head.get("baselines"));
            }
            out.println(String.format(java.util.Locale.ROOT, "written to %s in %.1f s", state.folder().resolve(DenoiseEvaluation.FILE),
                    (Double) head.get("seconds")));
            out.flush();
            return 0;
        }
    }

    private static void putIf(Map<String, Object> m, String key, Object v) {
        if (v != null) {
            m.put(key, v);
        }
    }
}

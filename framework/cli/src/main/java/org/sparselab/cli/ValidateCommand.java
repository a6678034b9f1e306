package org.sparselab.cli;

import org.sparselab.core.UserException;
import org.sparselab.core.config.ConfigLoader;
import org.sparselab.core.config.ResolvedRun;
import org.sparselab.core.plugin.PluginHost;
import org.sparselab.core.run.RunState;
import org.sparselab.core.run.Runner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code sparselab validate <config>}: every check a run makes before it trains, without training or writing. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check a run file: plugins, ids, keys, types and ranges, data present, model buildable, output writable.")
final class ValidateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CONFIG", description = "run file (YAML)")
    Path config;

    @Mixin
    GlobalOptions global = new GlobalOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        try (PluginHost host = CliSupport.loadPlugins(global, err)) {
            ResolvedRun run = new ConfigLoader(host).load(config);
            Runner.validateEvaluations(run);
            checkOutput(run.raw().output() != null ? Path.of(run.raw().output()) : global.outputDir());
            try (RunState state = RunState.open(run, host, null, global.dataDir())) {
                out.println(config + ": ok (dataset " + run.dataset().spec().id() + " " + state.data().spec()
                        + ", model " + run.model().spec().id() + " with " + state.model().codeSize() + " code units)");
            }
            if (!host.problems().isEmpty()) {
                err.println("error: " + host.problems().size() + " file(s) in the plugin folder " + host.folder() + " are not working plugins (see warnings above)");
                return 3;
            }
            return 0;
        }
    }

    /** The output root must exist and be writable, or be creatable. Creates nothing. */
    static void checkOutput(Path root) {
        Path p = root.toAbsolutePath().normalize();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        if (p == null || !Files.isDirectory(p) || !Files.isWritable(p)) {
            throw new UserException("the output folder " + root.toAbsolutePath().normalize() + " cannot be created or written"
                    + (p == null ? "" : " (" + p + " is not a writable folder)")
                    + "; choose another with 'output:' in the run file, --output, or SPARSELAB_OUTPUT");
        }
    }
}

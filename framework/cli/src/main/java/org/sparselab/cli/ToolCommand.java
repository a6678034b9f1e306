package org.sparselab.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import org.sparselab.api.config.ConfigException;
import org.sparselab.api.tool.Tool;
import org.sparselab.api.tool.ToolArgs;
import org.sparselab.api.tool.ToolContext;
import org.sparselab.core.UserException;
import org.sparselab.core.plugin.PluginHost;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import org.sparselab.api.Dataset;
import org.sparselab.api.data.DataContext;
import org.sparselab.api.data.DataSource;
import org.sparselab.core.config.ConfigBinder;
import org.sparselab.core.config.ConfigSource;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code sparselab tool [ID [ARGS...]]}: runs a command-line tool a plugin provides (also reachable as
 * {@code sparselab ID ARGS...}); without an id, lists the tools. Everything after the id belongs to the tool.
 */
@Command(name = "tool", mixinStandardHelpOptions = true,
        description = "Run a plugin's command-line tool (sparselab tool ID ARGS..., or sparselab ID ARGS...); without ID, list the tools.")
final class ToolCommand implements Callable<Integer> {
    @Mixin
    GlobalOptions global = new GlobalOptions();

    @Option(names = "--device", paramLabel = "DEVICE", defaultValue = "cpu",
            description = "engine device for the tool's arrays: cpu or gpu (default: ${DEFAULT-VALUE})")
    String device;

    @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "tool id")
    String id;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "ARGS", description = "the tool's own arguments")
    List<String> args = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (PluginHost host = CliSupport.loadPlugins(global, err)) {
            if (id == null) {
                out.println("tools in " + host.folder() + ":");
                if (host.tools().isEmpty()) {
                    out.println("  none");
                }
                host.tools().forEach((k, e) -> out.println(String.format("  %-14s %s  (plugin %s)", k, e.tool().description(), e.pluginId())));
                out.flush();
                return 0;
            }
            PluginHost.ToolEntry entry = host.tools().get(id);
            if (entry == null) {
                throw new UserException("unknown tool or command '" + id + "'; tools in " + host.folder() + ": "
                        + (host.tools().isEmpty() ? "none" : String.join(", ", host.tools().keySet()))
                        + "; commands: run, validate, plugins, data, export, predict, probe, report, sweep, tool");
            }
            Tool tool = entry.tool();
            if (args.contains("--help") || args.contains("-h")) {
                out.println(tool.usage());
                out.flush();
                return 0;
            }
            Device dev = parseDevice(device);
            try (NDManager manager = NDManager.newBaseManager(dev)) {
                ToolContext ctx = new Context(out, err, global.dataDir(), global.outputDir(), manager, dev, host, id);
                try {
                    int rc = tool.run(ToolArgs.parse(id, args, tool.flags()), ctx);
                    out.flush();
                    return rc;
                } catch (ConfigException e) {
                    out.flush();
                    throw new UserException(e.getMessage() + "\n\nusage: " + tool.usage());
                } catch (IllegalArgumentException e) {
                    out.flush();
                    throw new UserException(id + ": " + e.getMessage());
                }
            }
        }
    }

    private static Device parseDevice(String s) {
        return switch (s) {
            case "cpu" -> Device.cpu();
            case "gpu" -> {
                if (Engine.getInstance().getGpuCount() == 0) {
                    throw new UserException("--device gpu: the engine sees no GPU (set PYTORCH_LIBRARY_PATH to a CUDA libtorch); use --device cpu");
                }
                yield Device.gpu();
            }
            default -> throw new UserException("--device = " + s + " is not accepted: expected cpu or gpu");
        };
    }

    private record Context(PrintWriter out, PrintWriter err, Path dataDir, Path outputDir, NDManager manager, Device device,
                           PluginHost host, String toolId) implements ToolContext {

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        public DataSource openDataset(String datasetId, Map<String, Object> params, long seed) throws IOException {
            Dataset dataset = host.datasets().get(datasetId).extension();
            String where = "tool " + toolId + ", dataset '" + datasetId + "'";
            Record config;
            try {
                config = (Record) ConfigBinder.bind(params == null ? Map.of() : params, dataset.configType(), "dataset",
                        ConfigSource.inline(where), "dataset '" + datasetId + "'");
            } catch (RuntimeException e) {
                throw new ConfigException("dataset", where + ": " + e.getMessage());
            }
            return dataset.open(config, new DataContext(dataDir, seed));
        }

        @Override
        public org.sparselab.api.tool.RunHandle openRun(Path runDir) {
            org.sparselab.core.run.RunState state = org.sparselab.core.run.RunState.reopen(runDir, host, dataDir);
            return new org.sparselab.api.tool.RunHandle() {
                @Override
                public Path folder() {
                    return runDir;
                }

                @Override
                public String modelId() {
                    return state.run().model().spec().id();
                }

                @Override
                public org.sparselab.api.model.TrainableModel model() {
                    return state.model();
                }

                @Override
                public DataSource data() {
                    return state.data();
                }

                @Override
                public String datasetId() {
                    return state.run().dataset().spec().id();
                }

                @Override
                public Map<String, Object> datasetParams() {
                    return state.run().dataset().spec().params();
                }

                @Override
                public long seed() {
                    return state.run().seed();
                }

                @Override
                public void close() {
                    state.close();
                }
            };
        }

        @Override
        public org.sparselab.api.plot.Figures figures(Path dir) {
            return new org.sparselab.core.report.PngFigures(dir);
        }
    }
}

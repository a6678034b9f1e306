package org.sparselab.cli;

import org.pf4j.PluginWrapper;
import org.sparselab.api.Configurable;
import org.sparselab.core.config.ParamInfo;
import org.sparselab.core.plugin.PluginHost;
import org.sparselab.core.plugin.Registry;
import org.sparselab.core.run.Evaluation;
import org.sparselab.core.run.Evaluations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code sparselab plugins}: every plugin, its version, its extensions and their parameters with defaults. */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = "List the plugins in the plugin folder, their extensions and every parameter with its default.")
final class PluginsCommand implements Callable<Integer> {
    @Mixin
    GlobalOptions global = new GlobalOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (PluginHost host = CliSupport.loadPlugins(global, spec.commandLine().getErr())) {
            out.println("plugin folder: " + host.folder());
            List<PluginWrapper> plugins = new ArrayList<>(host.plugins());
            plugins.sort(Comparator.comparing(PluginWrapper::getPluginId));
            for (PluginWrapper w : plugins) {
                out.println();
                out.println("plugin " + w.getPluginId() + " " + w.getDescriptor().getVersion()
                        + "  (" + w.getPluginPath().getFileName() + ")");
                String d = w.getDescriptor().getPluginDescription();
                if (d != null && !d.isBlank()) {
                    out.println("  " + d);
                }
                list(out, w.getPluginId(), host.datasets());
                list(out, w.getPluginId(), host.models());
                list(out, w.getPluginId(), host.sparsifiers());
                list(out, w.getPluginId(), host.metrics());
                host.tools().forEach((id, e) -> {
                    if (e.pluginId().equals(w.getPluginId())) {
                        out.println("  tool '" + id + "': " + e.tool().description() + "  (sparselab " + id + " --help)");
                    }
                });
            }
            out.println();
            out.println("evaluations (built into the host):");
            for (Evaluation e : Evaluations.all().values()) {
                out.println("  " + e.id() + ": " + e.description());
                if (e.configType() != null) {
                    params(out, e.configType());
                }
            }
            if (!host.problems().isEmpty()) {
                out.println();
                out.println("skipped files:");
                host.problems().forEach(p -> out.println("  " + p));
            }
            out.flush();
            return host.problems().isEmpty() ? 0 : 3;
        }
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static <T extends Configurable> void list(PrintWriter out, String pluginId, Registry<T> reg) {
        List<Registry.Entry<T>> sorted = new ArrayList<>(reg.entries());
        sorted.sort(Comparator.comparing(e -> e.extension().id()));
        for (Registry.Entry<T> e : sorted) {
            if (!e.pluginId().equals(pluginId)) {
                continue;
            }
            Configurable<?> ext = e.extension();
            out.println("  " + reg.kind() + " '" + ext.id() + "': " + ext.description());
            params(out, (Class<? extends Record>) ext.configType());
        }
    }

    private static void params(PrintWriter out, Class<? extends Record> type) {
        for (ParamInfo p : ParamInfo.describe(type)) {
            out.println(String.format("      %-22s %-9s default %-12s %s", p.key(), p.type(), p.defaultValue(), p.description()));
        }
    }
}

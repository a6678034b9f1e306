package org.sparselab.core.plugin;

import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginManager;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparselab.api.Configurable;
import org.sparselab.api.Dataset;
import org.sparselab.api.Metric;
import org.sparselab.api.Model;
import org.sparselab.api.Sparsifier;
import org.sparselab.api.tool.Tool;
import org.sparselab.core.SparselabVersion;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Loads plugin jars from one folder with PF4J and indexes their extensions by id. A jar that is not a
 * plugin, needs another API version or fails to start is recorded as a {@link PluginProblem} and skipped;
 * the others load.
 */
public final class PluginHost implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PluginHost.class);

    /** Environment variable naming the plugin folder. */
    public static final String ENV = "SPARSELAB_PLUGINS";

    private final Path folder;
    private final PluginManager manager;
    private final List<PluginProblem> problems = new ArrayList<>();
    private final Registry<Dataset> datasets;
    private final Registry<Model> models;
    private final Registry<Sparsifier> sparsifiers;
    private final Registry<Metric> metrics;
    private final Map<String, ToolEntry> tools;

    /** A command-line tool and the plugin that provides it. */
    public record ToolEntry(Tool tool, String pluginId, String pluginVersion) {
    }

    private PluginHost(Path folder, PluginManager manager) {
        this.folder = folder;
        this.manager = manager;
        this.datasets = new Registry<>("dataset", collect(Dataset.class));
        this.models = new Registry<>("model", collect(Model.class));
        this.sparsifiers = new Registry<>("sparsifier", collect(Sparsifier.class));
        this.metrics = new Registry<>("metric", collect(Metric.class));
        this.tools = collectTools();
    }

    /** Loads and starts every plugin in {@code folder} (which may be missing or empty). */
    public static PluginHost load(Path folder) {
        Path root = folder.toAbsolutePath().normalize();
        List<PluginProblem> problems = new ArrayList<>();
        DefaultPluginManager pm = new DefaultPluginManager(root) {
            @Override
            protected PluginWrapper loadPluginFromPath(Path pluginPath) {
                try {
                    return super.loadPluginFromPath(pluginPath);
                } catch (RuntimeException e) {
                    problems.add(new PluginProblem(pluginPath, describe(e)));
                    return null;
                }
            }
        };
        pm.setSystemVersion(SparselabVersion.API);
        if (Files.isDirectory(root)) {
            pm.loadPlugins();
            pm.startPlugins();
        }
        PluginHost host = new PluginHost(root, pm);
        host.problems.addAll(problems);
        host.checkStates();
        host.checkUnloadedFiles();
        for (PluginProblem p : host.problems) {
            LOG.warn("skipped plugin {}", p);
        }
        return host;
    }

    private void checkStates() {
        for (PluginWrapper w : manager.getPlugins()) {
            PluginState s = w.getPluginState();
            if (s != PluginState.STARTED) {
                String why = switch (s) {
                    case DISABLED -> requiresMismatch(w.getDescriptor())
                            ? "requires sparselab API " + w.getDescriptor().getRequires() + " but this host provides " + SparselabVersion.API
                            : "disabled";
                    case FAILED -> w.getFailedException() == null ? "failed to start" : "failed to start: " + describe(w.getFailedException());
                    default -> "not started (state " + s + ")";
                };
                problems.add(new PluginProblem(w.getPluginPath(), "plugin '" + w.getPluginId() + "' " + why));
            }
        }
    }

    private boolean requiresMismatch(PluginDescriptor d) {
        String req = d.getRequires();
        return req != null && !req.isBlank() && !"*".equals(req.trim())
                && !manager.getVersionManager().checkVersionConstraint(SparselabVersion.API, req);
    }

    /** Jars PF4J silently ignored (no descriptor at all) are reported too. */
    private void checkUnloadedFiles() {
        if (!Files.isDirectory(folder)) {
            return;
        }
        Set<Path> known = new HashSet<>();
        for (PluginWrapper w : manager.getPlugins()) {
            known.add(w.getPluginPath().toAbsolutePath().normalize());
        }
        for (PluginProblem p : problems) {
            known.add(p.file().toAbsolutePath().normalize());
        }
        try (Stream<Path> files = Files.list(folder)) {
            files.filter(f -> f.getFileName().toString().endsWith(".jar"))
                    .map(f -> f.toAbsolutePath().normalize())
                    .filter(f -> !known.contains(f))
                    .sorted()
                    .forEach(f -> problems.add(new PluginProblem(f, "not a sparselab plugin (no PF4J descriptor, or a duplicate plugin id)")));
        } catch (IOException e) {
            problems.add(new PluginProblem(folder, "cannot list the plugin folder: " + e.getMessage()));
        }
    }

    private static String describe(Throwable e) {
        Throwable t = e;
        StringBuilder sb = new StringBuilder();
        Set<Throwable> seen = new HashSet<>();
        while (t != null && seen.add(t)) {
            String m = t.getMessage();
            if (m != null && !m.isBlank() && sb.indexOf(m) < 0) {
                sb.append(sb.length() == 0 ? "" : ": ").append(m);
            }
            t = t.getCause();
        }
        return sb.length() == 0 ? e.getClass().getSimpleName() : sb.toString();
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private <T extends Configurable> Map<String, Registry.Entry<T>> collect(Class<T> type) {
        Map<String, Registry.Entry<T>> byId = new LinkedHashMap<>();
        List<T> all = new ArrayList<>();
        all.addAll(manager.getExtensions(type));
        for (T ext : all) {
            PluginWrapper w = manager.whichPlugin(ext.getClass());
            String pluginId = w == null ? "(host)" : w.getPluginId();
            String version = w == null ? SparselabVersion.FRAMEWORK : w.getDescriptor().getVersion();
            Registry.Entry<T> prev = byId.putIfAbsent(ext.id(), new Registry.Entry<>(ext, pluginId, version));
            if (prev != null) {
                problems.add(new PluginProblem(w == null ? folder : w.getPluginPath(),
                        type.getSimpleName().toLowerCase() + " id '" + ext.id() + "' is already provided by plugin '" + prev.pluginId() + "'; this one is ignored"));
            }
        }
        return byId;
    }

    private Map<String, ToolEntry> collectTools() {
        Map<String, ToolEntry> byId = new java.util.TreeMap<>();
        for (Tool t : manager.getExtensions(Tool.class)) {
            PluginWrapper w = manager.whichPlugin(t.getClass());
            String pluginId = w == null ? "(host)" : w.getPluginId();
            String version = w == null ? SparselabVersion.FRAMEWORK : w.getDescriptor().getVersion();
            ToolEntry prev = byId.putIfAbsent(t.id(), new ToolEntry(t, pluginId, version));
            if (prev != null) {
                problems.add(new PluginProblem(w == null ? folder : w.getPluginPath(),
                        "tool id '" + t.id() + "' is already provided by plugin '" + prev.pluginId() + "'; this one is ignored"));
            }
        }
        return Collections.unmodifiableMap(byId);
    }

    /** Command-line tools by id, sorted. */
    public Map<String, ToolEntry> tools() {
        return tools;
    }

    public Path folder() {
        return folder;
    }

    public List<PluginProblem> problems() {
        return Collections.unmodifiableList(problems);
    }

    public List<PluginWrapper> plugins() {
        return manager.getStartedPlugins();
    }

    public Registry<Dataset> datasets() {
        return datasets;
    }

    public Registry<Model> models() {
        return models;
    }

    public Registry<Sparsifier> sparsifiers() {
        return sparsifiers;
    }

    public Registry<Metric> metrics() {
        return metrics;
    }

    /** Plugin id to version for every started plugin, for provenance. */
    public Map<String, String> pluginVersions() {
        Map<String, String> v = new LinkedHashMap<>();
        for (PluginWrapper w : manager.getStartedPlugins()) {
            v.put(w.getPluginId(), w.getDescriptor().getVersion());
        }
        return v;
    }

    @Override
    public void close() {
        // PF4J 3.15's stopPlugins() iterates the started list while removing from it; stop one by one instead.
        for (PluginWrapper w : new ArrayList<>(manager.getPlugins())) {
            try {
                manager.unloadPlugin(w.getPluginId());
            } catch (RuntimeException e) {
                LOG.debug("unloading plugin {} failed: {}", w.getPluginId(), e.toString());
            }
        }
    }
}

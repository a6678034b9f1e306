package org.sparselab.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.sparselab.api.Configurable;
import org.sparselab.api.Dataset;
import org.sparselab.api.Metric;
import org.sparselab.api.Model;
import org.sparselab.api.Sparsifier;
import org.sparselab.api.config.ConfigException;
import org.sparselab.core.UserException;
import org.sparselab.core.plugin.PluginHost;
import org.sparselab.core.plugin.Registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads a run file, rejects what it cannot accept (naming file, line and key) and resolves its components. */
public final class ConfigLoader {

    // Sweeps name trials by their values (k=5,lr=0.01), hence "=", "," and "+".
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._=,+-]{0,99}");
    private final PluginHost plugins;

    public ConfigLoader(PluginHost plugins) {
        this.plugins = plugins;
    }

    /** Reads and resolves {@code file}. */
    public ResolvedRun load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UserException("run file not found: " + file);
        } catch (IOException e) {
            throw new UserException("cannot read run file " + file + ": " + e.getMessage());
        }
        return resolve(file, text, parse(file.toString(), text));
    }

    /** Parses YAML text into a tree, reporting syntax errors with their line. */
    public static JsonNode parse(String fileName, String text) {
        try {
            JsonNode node = ConfigBinder.mapper().readTree(text);
            if (node == null || node.isMissingNode() || node.isNull()) {
                throw new UserException(fileName + ": the run file is empty; it needs at least name, dataset and model");
            }
            if (!node.isObject()) {
                throw new UserException(fileName + ": the run file must be a map of keys (name, dataset, model, ...)");
            }
            return node;
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new UserException(fileName + (line > 0 ? ":" + line : "") + ": not valid YAML: " + e.getOriginalMessage());
        }
    }

    /** Resolves an already parsed tree (used by sweeps, which edit the tree before resolving). */
    public ResolvedRun resolve(Path file, String text, JsonNode tree) {
        ConfigSource src = ConfigSource.of(file.toString(), text);
        ObjectMapper m = ConfigBinder.mapper();
        RunFile raw;
        try {
            raw = m.treeToValue(tree, RunFile.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw ConfigBinder.translate(e, RunFile.class, "", src, "a run file");
        }
        if (raw.name() == null || raw.name().isBlank()) {
            throw new ConfigError(src, "name", "name is required: a run name made of letters, digits, '.', '_' and '-'");
        }
        if (!NAME.matcher(raw.name()).matches()) {
            throw new ConfigError(src, "name", "name = " + raw.name() + " is not accepted: expected letters, digits and . _ - = , + (at most 100, starting with a letter or digit)");
        }
        if (raw.dataset() == null) {
            throw new ConfigError(src, "", "dataset is required, e.g. dataset: {id: mnist}");
        }
        if (raw.model() == null) {
            throw new ConfigError(src, "", "model is required, e.g. model: {id: sdm-topk}");
        }
        Bound<Dataset> dataset = bind(plugins.datasets(), component("dataset", raw.dataset(), src), src, Set.of());
        Bound<Model> model = bind(plugins.models(), component("model", raw.model(), src), src, Set.of());
        List<Bound<Sparsifier>> sparsifiers = new ArrayList<>();
        for (int i = 0; i < raw.sparsifiers().size(); i++) {
            ComponentSpec c = component("sparsifiers[" + i + "]", raw.sparsifiers().get(i), src);
            sparsifiers.add(bind(plugins.sparsifiers(), c, src, Set.of("site")));
        }
        List<Bound<Metric>> metrics = new ArrayList<>();
        for (int i = 0; i < raw.metrics().size(); i++) {
            metrics.add(bind(plugins.metrics(), component("metrics[" + i + "]", raw.metrics().get(i), src), src, Set.of()));
        }
        List<ComponentSpec> evaluate = new ArrayList<>();
        for (int i = 0; i < raw.evaluate().size(); i++) {
            evaluate.add(component("evaluate[" + i + "]", raw.evaluate().get(i), src));
        }
        return new ResolvedRun(file, raw, dataset, model, List.copyOf(sparsifiers), List.copyOf(metrics), List.copyOf(evaluate), text);
    }

    /** A list entry may be a bare id ({@code - accuracy}) or a map with an id. */
    @SuppressWarnings("unchecked")
    static ComponentSpec component(String path, Object value, ConfigSource src) {
        if (value instanceof String s) {
            return new ComponentSpec(path, s, Map.of());
        }
        if (!(value instanceof Map)) {
            throw new ConfigError(src, path, path + " must be an id or a map with an 'id' key, got " + value);
        }
        Map<String, Object> map = new LinkedHashMap<>((Map<String, Object>) value);
        Object id = map.remove("id");
        if (!(id instanceof String idText) || idText.isBlank()) {
            throw new ConfigError(src, path, path + ".id is required: the id of the extension to use");
        }
        return new ComponentSpec(path, idText, map);
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private <E extends Configurable> Bound<E> bind(Registry<E> registry, ComponentSpec spec, ConfigSource src, Set<String> frameworkKeys) {
        Registry.Entry<E> entry;
        try {
            entry = registry.get(spec.id());
        } catch (ConfigException e) {
            throw new ConfigError(src, spec.path() + ".id", spec.path() + ": " + e.getMessage());
        }
        Map<String, Object> params = new LinkedHashMap<>(spec.params());
        String site = "";
        for (String k : frameworkKeys) {
            Object v = params.remove(k);
            if (v != null) {
                site = String.valueOf(v);
            }
        }
        E ext = entry.extension();
        Record config = (Record) ConfigBinder.bind(params, ext.configType(), spec.path(), src,
                registry.kind() + " '" + spec.id() + "'");
        return new Bound<>(spec, ext, entry.pluginId(), entry.pluginVersion(), config, site);
    }

    /** The run with every default filled in, as YAML: what {@code config.resolved.yaml} holds. */
    public static String resolvedYaml(ResolvedRun run) {
        ObjectMapper m = ConfigBinder.mapper();
        ObjectNode root = m.createObjectNode();
        root.put("name", run.name());
        root.put("seed", run.seed());
        root.put("device", run.raw().device());
        root.set("dataset", componentNode(m, run.dataset(), null));
        root.set("model", componentNode(m, run.model(), null));
        var sp = root.putArray("sparsifiers");
        run.sparsifiers().forEach(b -> sp.add(componentNode(m, b, b.site())));
        var me = root.putArray("metrics");
        run.metrics().forEach(b -> me.add(componentNode(m, b, null)));
        root.set("training", m.valueToTree(run.training()));
        var ev = root.putArray("evaluate");
        for (ComponentSpec c : run.evaluate()) {
            ObjectNode n = m.createObjectNode();
            n.put("id", c.id());
            n.setAll((ObjectNode) m.valueToTree(c.params()));
            ev.add(n);
        }
        if (run.raw().continual() != null) {
            root.set("continual", m.valueToTree(run.raw().continual()));
        }
        if (run.raw().output() != null) {
            root.put("output", run.raw().output());
        }
        try {
            return m.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("rawtypes")
    private static ObjectNode componentNode(ObjectMapper m, Bound b, String site) {
        ObjectNode n = m.createObjectNode();
        n.put("id", b.spec().id());
        if (site != null && !site.isEmpty()) {
            n.put("site", site);
        }
        JsonNode params = m.valueToTree(b.config());
        if (params instanceof ObjectNode o) {
            n.setAll(o);
        }
        return n;
    }
}

package org.sparselab.core.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.sparselab.core.UserException;
import org.sparselab.core.config.ConfigError;
import org.sparselab.core.config.ConfigSource;
import org.sparselab.core.util.Json;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A method's own tuning file: a JSON object mapping command-line flags to lists of values, run as their cartesian
 * product with the last flag changing fastest (Python's {@code itertools.product} order, which is the grid order of
 * a YAML sweep). The MSA repository's {@code hyperparameters_config.json} is one. The method's plugin supplies the
 * mapping (flag to run-file key, the base run holding the defaults, flags that no longer mean anything); a flag
 * with one value becomes a fixed override, a flag with several a grid axis, so the expansion, ids, validation and
 * everything after are those of a YAML sweep.
 *
 * @param fileName the file name this format reads, e.g. {@code hyperparameters_config.json}
 * @param base the run every trial starts from (the method's defaults)
 * @param keys flag to dotted run-file key, e.g. {@code num_active_neurons -> model.num_active_neurons}
 * @param ignored flags accepted and dropped (obsolete ones, or ones the framework handles itself)
 * @param metric what the summary ranks by
 * @param workers trials at once
 */
public record FlagGridFormat(String fileName, SweepSpec.BaseRun base, Map<String, String> keys, Set<String> ignored,
                             SweepSpec.Metric metric, int workers) implements SweepFormat {

    @Override
    public boolean reads(Path file, String text) {
        return file.getFileName().toString().equals(fileName);
    }

    @Override
    public SweepSpec read(Path file, String text) {
        ConfigSource src = ConfigSource.of(file.toString(), text);
        JsonNode tree;
        try {
            tree = Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new UserException(file + (line > 0 ? ":" + line : "") + ": not valid JSON: " + e.getOriginalMessage());
        }
        if (tree == null || !tree.isObject()) {
            throw new UserException(file + ": expected a JSON object mapping flags to lists of values");
        }
        List<SweepSpec.Entry> set = new ArrayList<>();
        List<SweepSpec.Axis> grid = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = tree.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String flag = f.getKey();
            if (ignored.contains(flag)) {
                continue;
            }
            String key = keys.get(flag);
            if (key == null) {
                throw new ConfigError(src, flag, "unknown flag '" + flag + "'; " + fileName + " accepts: " + new TreeSet<>(keys.keySet()));
            }
            List<Object> values = new ArrayList<>();
            for (JsonNode v : f.getValue().isArray() ? f.getValue() : Json.mapper().createArrayNode().add(f.getValue())) {
                values.add(Json.mapper().convertValue(v, Object.class));
            }
            if (values.isEmpty()) {
                throw new ConfigError(src, flag, "flag '" + flag + "' has an empty list of values");
            }
            KeyPath path = KeyPath.parse(key);
            if (values.size() == 1) {
                set.add(new SweepSpec.Entry(path, values.get(0), src.at(flag)));
            } else {
                grid.add(new SweepSpec.Axis(path, values, src.at(flag)));
            }
        }
        if (grid.isEmpty()) {
            throw new UserException(file + ": no flag has more than one value, so there is nothing to sweep");
        }
        String name = fileName.replaceFirst("\\.json$", "");
        Path dir = file.toAbsolutePath().getParent();
        name = (dir == null || dir.getFileName() == null ? "" : dir.getFileName() + "-") + name;
        SweepSpec spec = new SweepSpec(file, name.replaceAll("[^A-Za-z0-9._-]", "_"), base, workers, SweepFile.DEFAULT_JAVA_OPTS, null,
                metric, set, grid, null);
        YamlSweepFormat.checkKeys(spec);
        return spec;
    }
}

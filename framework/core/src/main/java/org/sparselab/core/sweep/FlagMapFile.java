package org.sparselab.core.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import org.sparselab.api.config.Check;
import org.sparselab.api.config.Param;
import org.sparselab.core.UserException;
import org.sparselab.core.config.ConfigBinder;
import org.sparselab.core.config.ConfigError;
import org.sparselab.core.config.ConfigSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * How a method's own flag-grid file (a JSON map of command-line flags to value lists, such as the MSA repository's
 * {@code hyperparameters_config.json}) becomes a sweep: the run every trial starts from (holding the method's
 * defaults), the run-file key of each flag, and the flags to accept and drop. It lives beside the JSON as
 * {@code flag-map.yaml}, so that {@code sparselab sweep hyperparameters_config.json} runs the original's grid.
 */
public record FlagMapFile(
        @Param("base run file (the method's defaults), relative to this file") String base,
        @Param("flag -> dotted run-file key, e.g. num_active_neurons: model.num_active_neurons") Map<String, String> keys,
        @Param("flags accepted and dropped (obsolete ones, or ones the framework handles itself)") List<String> ignored,
        @Param("the metric to rank and plot: {split, name, goal: max|min}") SweepFile.MetricSpec metric,
        @Param("trials run at once") Integer workers) {

    /** The name of the sidecar file next to a flag-grid JSON. */
    public static final String FILE_NAME = "flag-map.yaml";

    public FlagMapFile {
        keys = keys == null ? Map.of() : Map.copyOf(keys);
        ignored = ignored == null ? List.of() : List.copyOf(ignored);
        metric = Check.orDefault(metric, new SweepFile.MetricSpec(null, null, null));
        workers = Check.atLeast("workers", Check.orDefault(workers, 1), 1);
    }

    /** The flag-map beside {@code json} (or {@code explicit}), as a format that reads that JSON; empty when none applies. */
    public static java.util.Optional<SweepFormat> formatFor(Path json, Path explicit) {
        Path map = explicit != null ? explicit : json.toAbsolutePath().getParent().resolve(FILE_NAME);
        if (explicit == null && (!json.getFileName().toString().endsWith(".json") || !Files.isRegularFile(map))) {
            if (json.getFileName().toString().endsWith(".json")) {
                throw new UserException(json + " is a flag-grid file, but there is no " + FILE_NAME + " beside it to say how its flags map to "
                        + "run-file keys (see runs/modular-stripes/sweeps/" + FILE_NAME + "), and no --flag-map was given");
            }
            return java.util.Optional.empty();
        }
        String text;
        try {
            text = Files.readString(map);
        } catch (IOException e) {
            throw new UserException("cannot read the flag map " + map + ": " + e.getMessage(), e);
        }
        ConfigSource src = ConfigSource.of(map.toString(), text);
        JsonNode tree;
        try {
            tree = ConfigBinder.mapper().readTree(text);
        } catch (IOException e) {
            throw new UserException(map + ": not valid YAML: " + e.getMessage());
        }
        FlagMapFile f = ConfigBinder.bind(tree, FlagMapFile.class, "", src, "a flag map");
        if (f.base() == null || f.base().isBlank()) {
            throw new ConfigError(src, "", "base is required: the run file with the method's defaults, relative to " + map.getFileName());
        }
        if (f.keys().isEmpty()) {
            throw new ConfigError(src, "keys", "keys is required: {flag: dotted.run.key}");
        }
        Path basePath = map.toAbsolutePath().getParent().resolve(f.base()).normalize();
        String baseText;
        try {
            baseText = Files.readString(basePath);
        } catch (IOException e) {
            throw new ConfigError(src, "base", "base = " + f.base() + ": cannot read " + basePath);
        }
        SweepFile.MetricSpec m = f.metric();
        return java.util.Optional.of(new FlagGridFormat(json.getFileName().toString(), new SweepSpec.BaseRun(basePath, baseText), f.keys(),
                new HashSet<>(f.ignored()), new SweepSpec.Metric(m.split(), m.name(), m.goal()), f.workers()));
    }
}

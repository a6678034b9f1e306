package org.sparselab.core.sweep;

import org.sparselab.api.config.Check;
import org.sparselab.api.config.ConfigException;
import org.sparselab.api.config.Param;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A YAML sweep file as written (snake_case keys, unknown keys rejected); {@link YamlSweepFormat} reads it. */
public record SweepFile(
        @Param("sweep name (default: the file name); outputs go to <output>/sweeps/<name>/") String name,
        @Param("base run file, relative to the sweep file") String base,
        @Param("trials run at once (each is its own JVM process)") Integer workers,
        @Param("overrides applied to every trial: {dotted.key: value}") Map<String, Object> set,
        @Param("grid: {dotted.key: [values]}; the trials are the cartesian product, first key slowest") Map<String, List<Object>> grid,
        @Param("random search: {samples, seed, space: {dotted.key: {uniform|log_uniform|int_uniform: [lo, hi]} | {choice: [...]}}}") RandomSpec random,
        @Param("the metric to rank and plot: {split, name, goal: max|min}") MetricSpec metric,
        @Param("output root (default: --output, $SPARSELAB_OUTPUT or results/)") String output,
        @Param("JVM options of each trial process (default -Xmx4g)") String javaOpts) {

    /** Per-trial heap when the file does not say: 4 GiB leaves room for 2-4 trials and their native memory on 24 GiB. */
    public static final String DEFAULT_JAVA_OPTS = "-Xmx4g";

    public SweepFile {
        workers = Check.atLeast("workers", Check.orDefault(workers, 1), 1);
        set = set == null ? Map.of() : new LinkedHashMap<>(set);
        grid = grid == null ? Map.of() : new LinkedHashMap<>(grid);
        metric = Check.orDefault(metric, new MetricSpec(null, null, null));
        javaOpts = Check.orDefault(javaOpts, DEFAULT_JAVA_OPTS);
        if (grid.isEmpty() && random == null) {
            throw new ConfigException("grid", "a sweep needs grid: {dotted.key: [values]} or random: {samples, seed, space}");
        }
        if (!grid.isEmpty() && random != null) {
            throw new ConfigException("random", "give either grid or random, not both");
        }
    }

    /** Random search. */
    public record RandomSpec(
            @Param("number of trials") Integer samples,
            @Param("seed of the draws") Long seed,
            @Param("{dotted.key: {distribution: arguments}}") Map<String, Map<String, Object>> space) {
        public RandomSpec {
            samples = Check.atLeast("samples", Check.orDefault(samples, 8), 1);
            seed = Check.orDefault(seed, 1L);
            if (space == null || space.isEmpty()) {
                throw new ConfigException("space", "random.space is required: {dotted.key: {log_uniform: [1e-4, 1e-2]}, ...}");
            }
        }
    }

    /** The metric a sweep ranks by. */
    public record MetricSpec(
            @Param("split of the run's final metrics: train, val, test, continual") String split,
            @Param("metric name, e.g. accuracy") String name,
            @Param("max or min") String goal) {
        public MetricSpec {
            split = Check.orDefault(split, "test");
            name = Check.orDefault(name, "accuracy");
            goal = Check.oneOf("goal", Check.orDefault(goal, "max"), List.of("max", "min"));
        }
    }
}

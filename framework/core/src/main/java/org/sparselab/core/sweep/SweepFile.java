package org.sparselab.core.sweep;

import org.sparselab.api.config.Check;
import org.sparselab.api.config.ConfigException;
import org.sparselab.api.config.Param;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A sweep file as written (YAML, snake_case keys, unknown keys rejected). */
public record SweepFile(
        @Param("sweep name; outputs go to <output>/sweeps/<name>/") String name,
        @Param("base run file, relative to the sweep file") String base,
        @Param("trials run at once (each is its own JVM process)") Integer workers,
        @Param("overrides applied to every trial: {dotted.key: value}") Map<String, Object> set,
        @Param("grid: {dotted.key: [values]}; the trials are the cartesian product, first key slowest") Map<String, List<Object>> grid,
        @Param("random search: {samples, seed, space: {dotted.key: {uniform|log_uniform: [lo, hi]} | {choice: [...]} | {int_uniform: [lo, hi]}}}") RandomSpec random,
        @Param("the metric to rank and plot: {split, name, goal: max|min}") MetricSpec metric,
        @Param("output root (default: the run output root)") String output,
        @Param("JVM options of each trial process") String javaOpts) {

    public SweepFile {
        workers = Check.atLeast("workers", Check.orDefault(workers, 1), 1);
        set = set == null ? Map.of() : new LinkedHashMap<>(set);
        grid = grid == null ? Map.of() : new LinkedHashMap<>(grid);
        metric = Check.orDefault(metric, new MetricSpec(null, null, null));
        javaOpts = Check.orDefault(javaOpts, "-Xmx4g");
        if (grid.isEmpty() && random == null) {
            throw new ConfigException("grid", "a sweep needs a grid: {key: [values]} or random: {samples, space}");
        }
        if (!grid.isEmpty() && random != null) {
            throw new ConfigException("random", "give either grid or random, not both");
        }
        for (Map.Entry<String, List<Object>> e : grid.entrySet()) {
            if (e.getValue() == null || e.getValue().isEmpty()) {
                throw ConfigException.invalid("grid." + e.getKey(), e.getValue(), "a non-empty list of values");
            }
        }
    }

    /** Random search. */
    public record RandomSpec(Integer samples, Long seed, Map<String, Map<String, Object>> space) {
        public RandomSpec {
            samples = Check.atLeast("random.samples", Check.orDefault(samples, 8), 1);
            seed = Check.orDefault(seed, 1L);
            if (space == null || space.isEmpty()) {
                throw new ConfigException("random.space", "random.space is required: {dotted.key: {uniform: [lo, hi]}}");
            }
        }
    }

    /** The metric a sweep ranks by. */
    public record MetricSpec(String split, String name, String goal) {
        public MetricSpec {
            split = Check.orDefault(split, "test");
            name = Check.orDefault(name, "accuracy");
            goal = Check.oneOf("metric.goal", Check.orDefault(goal, "max"), List.of("max", "min"));
        }
    }
}

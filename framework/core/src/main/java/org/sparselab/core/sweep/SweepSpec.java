package org.sparselab.core.sweep;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A sweep as the planner sees it, whatever file it was read from ({@link SweepFormat}): a base run, fixed
 * overrides, and either grid axes or random dimensions, all as dotted run-file keys. Each entry carries where it
 * was written ({@code file:line}) so that a key the plugins reject is reported at its place in the sweep file.
 *
 * @param file the sweep file (copied into the sweep folder)
 * @param name sweep name: the folder {@code <output>/sweeps/<name>/}
 * @param base the run every trial starts from
 * @param workers trials at once
 * @param javaOpts JVM options of each trial process (e.g. {@code -Xmx4g})
 * @param output output root, or null for the command's
 * @param metric what the summary ranks and plots
 * @param set overrides applied to every trial, before the trial's own values
 * @param grid grid axes; the trials are their cartesian product, the first axis changing slowest
 * @param random random search, or null
 */
public record SweepSpec(Path file, String name, BaseRun base, int workers, String javaOpts, String output, Metric metric,
                        List<Entry> set, List<Axis> grid, Random random) {

    public SweepSpec {
        set = List.copyOf(set);
        grid = List.copyOf(grid);
        if (grid.isEmpty() == (random == null)) {
            throw new IllegalArgumentException("a sweep has either grid axes or a random search");
        }
    }

    /** The same sweep with another worker count (the command line's --workers). */
    public SweepSpec withWorkers(int n) {
        return new SweepSpec(file, name, base, n, javaOpts, output, metric, set, grid, random);
    }

    /** Every key the sweep sets, with where it was written. */
    public List<Located> keys() {
        List<Located> all = new ArrayList<>();
        set.forEach(e -> all.add(new Located(e.key(), "set", e.at())));
        grid.forEach(a -> all.add(new Located(a.key(), "grid", a.at())));
        if (random != null) {
            random.space().forEach(d -> all.add(new Located(d.key(), "random", d.at())));
        }
        return all;
    }

    /** The swept keys (grid axes or random dimensions), in order: the columns of the summary. */
    public List<KeyPath> swept() {
        return random == null ? grid.stream().map(Axis::key).toList() : random.space().stream().map(Dimension::key).toList();
    }

    /**
     * The run file trials start from.
     *
     * @param file its path (errors name it; relative paths inside it are the run's business)
     * @param text its YAML text
     */
    public record BaseRun(Path file, String text) {
    }

    /** A key, the part of the sweep it comes from (set, grid, random) and where it was written. */
    public record Located(KeyPath key, String part, String at) {
    }

    /** A fixed override. */
    public record Entry(KeyPath key, Object value, String at) {
    }

    /** A grid axis: its values in order. */
    public record Axis(KeyPath key, List<Object> values, String at) {
        public Axis {
            values = new ArrayList<>(values);
        }
    }

    /** Random search: {@code samples} draws from one seeded generator, dimension by dimension. */
    public record Random(int samples, long seed, List<Dimension> space) {
        public Random {
            space = List.copyOf(space);
        }
    }

    /** One dimension of a random search. */
    public record Dimension(KeyPath key, Distribution distribution, String at) {
    }

    /** The ranking metric: {@code split} and {@code name} as in a run's summary, {@code max} or {@code min}. */
    public record Metric(String split, String name, String goal) {
        public boolean better(double a, double b) {
            return "min".equals(goal) ? a < b : a > b;
        }
    }

    /** A distribution a random dimension draws from. */
    public sealed interface Distribution {
        Object sample(SplittableRandom rng);

        /** Uniform on [lo, hi). */
        record Uniform(double lo, double hi) implements Distribution {
            @Override
            public Object sample(SplittableRandom rng) {
                return lo + rng.nextDouble() * (hi - lo);
            }
        }

        /** Log-uniform on [lo, hi), lo > 0: learning rates, regularisation strengths. */
        record LogUniform(double lo, double hi) implements Distribution {
            @Override
            public Object sample(SplittableRandom rng) {
                return Math.exp(Math.log(lo) + rng.nextDouble() * (Math.log(hi) - Math.log(lo)));
            }
        }

        /** An integer uniform on [lo, hi], both included. */
        record IntUniform(long lo, long hi) implements Distribution {
            @Override
            public Object sample(SplittableRandom rng) {
                return lo + rng.nextLong(hi - lo + 1);
            }
        }

        /** One of the values, each equally likely. */
        record Choice(List<Object> values) implements Distribution {
            public Choice {
                values = new ArrayList<>(values);
            }

            @Override
            public Object sample(SplittableRandom rng) {
                return values.get(rng.nextInt(values.size()));
            }
        }
    }
}

package org.sparselab.core.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparselab.core.UserException;
import org.sparselab.core.config.ConfigBinder;
import org.sparselab.core.config.ConfigError;
import org.sparselab.core.config.ConfigLoader;
import org.sparselab.core.config.ConfigSource;
import org.sparselab.core.plugin.PluginHost;
import org.sparselab.core.run.RunFolder;
import org.sparselab.core.util.AtomicFiles;
import org.sparselab.core.util.Json;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * Runs a sweep: expands the trials, validates every one of them against the plugins before anything runs,
 * skips trials whose run already finished (resume), runs the rest through a {@link TrialExecutor}, and keeps
 * {@code sweep.json}, {@code summary.csv} and {@code summary.html} up to date after every trial.
 */
public final class SweepRunner {
    private static final Logger LOG = LoggerFactory.getLogger(SweepRunner.class);

    /** Where the sweep reads and writes. */
    public record Settings(Path outputRoot, Path plugins, Path data, PrintWriter console) {
    }

    /** A loaded, validated sweep. */
    public record Plan(Path file, SweepFile sweep, Path dir, List<Trial> trials) {
    }

    private SweepRunner() {
    }

    public static Plan plan(Path file, PluginHost host, Settings settings, Integer workersOverride) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new UserException("sweep file not found: " + file);
        } catch (IOException e) {
            throw new UserException("cannot read sweep file " + file + ": " + e.getMessage());
        }
        ConfigSource src = ConfigSource.of(file.toString(), text);
        JsonNode tree = ConfigLoader.parse(file.toString(), text);
        SweepFile sweep = ConfigBinder.bind(ConfigBinder.mapper().convertValue(tree, Map.class), SweepFile.class, "", src, "a sweep file");
        if (sweep.name() == null || !sweep.name().matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
            throw new ConfigError(src, "name", "name is required: letters, digits, '.', '_' and '-'");
        }
        if (sweep.base() == null) {
            throw new ConfigError(src, "base", "base is required: the run file the trials start from");
        }
        if (workersOverride != null) {
            sweep = new SweepFile(sweep.name(), sweep.base(), workersOverride, sweep.set(), sweep.grid(), sweep.random(), sweep.metric(),
                    sweep.output(), sweep.javaOpts());
        }
        Path basePath = file.toAbsolutePath().getParent().resolve(sweep.base()).normalize();
        String baseText;
        try {
            baseText = Files.readString(basePath);
        } catch (IOException e) {
            throw new ConfigError(src, "base", "base = " + sweep.base() + ": cannot read " + basePath);
        }
        JsonNode base = ConfigLoader.parse(basePath.toString(), baseText);
        Path root = sweep.output() != null ? Path.of(sweep.output()) : settings.outputRoot();
        Path dir = root.resolve("sweeps").resolve(sweep.name()).toAbsolutePath().normalize();
        ConfigLoader loader = new ConfigLoader(host);
        List<Trial> trials = new ArrayList<>();
        for (Map<String, Object> values : SweepPlan.points(sweep)) {
            String id = SweepPlan.id(values);
            ObjectNode t;
            try {
                t = SweepPlan.apply(base, sweep.set(), values);
            } catch (IllegalArgumentException e) {
                String key = firstBadKey(base, sweep.set(), values);
                throw new ConfigError(src, key.isEmpty() ? "grid" : (sweep.set().containsKey(key) ? "set." : sweep.grid().isEmpty() ? "random.space." : "grid.") + key,
                        "key '" + key + "': " + e.getMessage());
            }
            t.put("name", id);
            t.put("output", dir.resolve("runs").toString());
            Path runFile = dir.resolve("trials").resolve(id + ".yaml");
            String yaml = yaml(t);
            try {
                loader.resolve(runFile, yaml, t);
            } catch (ConfigError e) {
                throw new UserException(file + ": trial " + id + " is not a valid run: " + e.getMessage().replace(runFile.toString(), "(trial)")
                        + " — check the sweep keys " + values.keySet() + (sweep.set().isEmpty() ? "" : " and set " + sweep.set().keySet()), e);
            }
            trials.add(new Trial(id, values, runFile, yaml));
        }
        long distinct = trials.stream().map(Trial::id).distinct().count();
        if (distinct != trials.size()) {
            throw new UserException(file + ": two trials have the same id (repeated values in the grid, or random samples that coincide)");
        }
        return new Plan(file, sweep, dir, trials);
    }

    private static String firstBadKey(JsonNode base, Map<String, Object> set, Map<String, Object> values) {
        for (Map<String, Object> m : List.of(set, values)) {
            for (String k : m.keySet()) {
                try {
                    KeyPath.parse(k).set(base.deepCopy(), ConfigBinder.mapper().valueToTree(m.get(k)));
                } catch (IllegalArgumentException e) {
                    return k;
                }
            }
        }
        return "";
    }

    private static String yaml(JsonNode t) {
        try {
            return ConfigBinder.mapper().writeValueAsString(t);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs the plan's unfinished trials; returns the number that failed. */
    public static int run(Plan plan, TrialExecutor executor, Settings settings) throws IOException {
        Files.createDirectories(plan.dir().resolve("trials"));
        AtomicFiles.writeString(plan.dir().resolve("sweep.yaml"), Files.readString(plan.file()));
        for (Trial t : plan.trials()) {
            AtomicFiles.writeString(t.runFile(), t.yaml());
        }
        List<Trial> pending = new ArrayList<>();
        for (Trial t : plan.trials()) {
            if (finishedRun(plan, t).isPresent()) {
                settings.console().println("trial " + t.id() + ": finished earlier, skipped");
            } else {
                pending.add(t);
            }
        }
        settings.console().println(String.format("sweep %s: %d trials, %d to run, %d at once -> %s", plan.sweep().name(), plan.trials().size(),
                pending.size(), plan.sweep().workers(), plan.dir()));
        settings.console().flush();
        SweepSummary.write(plan);
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        int[] failed = {0};
        for (Trial t : pending) {
            Path log = plan.dir().resolve("logs").resolve(t.id() + ".log");
            futures.add(executor.submit(new TrialExecutor.Task(t, log, settings.plugins(), settings.data())).thenAccept(code -> {
                synchronized (failed) {
                    if (code != 0) {
                        failed[0]++;
                    }
                    settings.console().println("trial " + t.id() + ": " + (code == 0 ? "finished" : "FAILED (exit " + code + ", log " + log + ")"));
                    settings.console().flush();
                    try {
                        SweepSummary.write(plan);
                    } catch (IOException e) {
                        LOG.warn("cannot update the sweep summary: {}", e.toString());
                    }
                }
            }));
        }
        for (CompletableFuture<Void> f : futures) {
            f.join();
        }
        SweepSummary.write(plan);
        SweepSummary.print(plan, settings.console());
        return failed[0];
    }

    /** The newest run folder of the trial that has a summary.json (run folders are the truth about progress). */
    static Optional<Path> finishedRun(Plan plan, Trial t) throws IOException {
        return runs(plan, t).stream().filter(p -> Files.exists(p.resolve(RunFolder.SUMMARY))).reduce((a, b) -> b);
    }

    static List<Path> runs(Plan plan, Trial t) throws IOException {
        Path d = plan.dir().resolve("runs").resolve(t.id());
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.filter(Files::isDirectory).sorted().toList();
        }
    }

    static Map<String, Object> status(Plan plan, Trial t) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        Optional<Path> done = finishedRun(plan, t);
        List<Path> all = runs(plan, t);
        String status = done.isPresent() ? "finished" : all.isEmpty() ? "pending"
                : Files.exists(all.get(all.size() - 1).resolve(RunFolder.FAILED)) ? "failed" : "running or stopped";
        m.put("id", t.id());
        m.put("values", t.values());
        m.put("status", status);
        m.put("run_folder", done.orElse(all.isEmpty() ? null : all.get(all.size() - 1)) == null ? null
                : done.orElse(all.get(all.size() - 1)).toString());
        m.put("attempts", all.size());
        if (done.isPresent()) {
            m.put("summary", Json.mapper().readTree(done.get().resolve(RunFolder.SUMMARY).toFile()));
        }
        return m;
    }
}

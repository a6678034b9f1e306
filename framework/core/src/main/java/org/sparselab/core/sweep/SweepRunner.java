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
import org.sparselab.core.config.ResolvedRun;
import org.sparselab.core.plugin.PluginHost;
import org.sparselab.core.run.RunFolder;
import org.sparselab.core.run.Runner;
import org.sparselab.core.util.AtomicFiles;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a sweep: expands the trials, validates every one of them against the plugins before anything runs, skips
 * trials that already finished (resume), runs the rest through a {@link TrialExecutor}, and rewrites
 * {@code sweep.json}, {@code summary.csv} and {@code summary.html} after every trial.
 *
 * <pre>
 * &lt;output&gt;/sweeps/&lt;name&gt;/
 *   sweep.yaml, base.yaml        the sweep file and its base run file as read
 *   trials/&lt;trial&gt;.yaml        each trial's run file
 *   runs/&lt;trial&gt;/&lt;stamp&gt;-&lt;id&gt;/  each attempt's run folder (the ordinary run layout)
 *   logs/&lt;trial&gt;.log           each trial's console output, every attempt appended
 *   sweep.json                   trials, status and run folders (rebuilt from the run folders)
 *   summary.csv, summary.html, comparison.png
 * </pre>
 */
public final class SweepRunner {
    private static final Logger LOG = LoggerFactory.getLogger(SweepRunner.class);
    /** Variables a trial's engine depends on, handed to the executor so that a remote one can set them too. */
    private static final long REFRESH_SECONDS = 30;
    private static final long STOP_WAIT_SECONDS = 20;
    private static final Pattern PASSED_ENV = Pattern.compile("LD_PRELOAD|LD_LIBRARY_PATH|PYTORCH_.*|DJL_.*|ENGINE_CACHE_DIR|OMP_NUM_THREADS|SPARSELAB_DEBUG");

    /** Where the sweep reads and writes. */
    public record Settings(Path outputRoot, Path plugins, Path data, PrintWriter console) {
    }

    /** A loaded, validated sweep. */
    public record Plan(SweepSpec spec, Path dir, List<Trial> trials) {
        public Path runParent(Trial t) {
            return dir.resolve("runs").resolve(t.id());
        }

        public Path log(Trial t) {
            return dir.resolve("logs").resolve(t.id() + ".log");
        }

        /** What the run folders say about each trial now. */
        public Map<String, TrialRuns> scan() throws IOException {
            Map<String, TrialRuns> m = new LinkedHashMap<>();
            for (Trial t : trials) {
                m.put(t.id(), TrialRuns.scan(runParent(t), t.run() == null ? null : ConfigLoader.resolvedYaml(t.run())));
            }
            return m;
        }
    }

    /** How a call to {@link #run} went. */
    public record Outcome(int trials, int skipped, int ran, int failed) {
    }

    private SweepRunner() {
    }

    /** Reads {@code file} (with the first of {@code formats} that reads it, else as YAML) and plans it. */
    public static Plan plan(Path file, List<SweepFormat> formats, PluginHost host, Settings settings, Integer workers) {
        SweepSpec spec = SweepFormat.read(file, formats);
        return plan(workers == null ? spec : spec.withWorkers(workers), host, settings);
    }

    /** Expands the sweep and validates every trial's run file against the plugins; nothing is written. */
    public static Plan plan(SweepSpec spec, PluginHost host, Settings settings) {
        JsonNode base = ConfigLoader.parse(spec.base().file().toString(), spec.base().text());
        Path root = spec.output() != null ? Path.of(spec.output()) : settings.outputRoot();
        Path dir = root.resolve("sweeps").resolve(spec.name()).toAbsolutePath().normalize();
        ConfigLoader loader = new ConfigLoader(host);
        List<Trial> trials = new ArrayList<>();
        Map<String, Map<String, Object>> ids = new HashMap<>();
        for (Map<String, Object> values : SweepPlan.points(spec)) {
            String id = SweepPlan.id(values);
            Map<String, Object> same = ids.putIfAbsent(id, values);
            if (same != null) {
                throw new UserException(spec.file() + ": two trials have the same values " + values
                        + (same.equals(values) ? " (a value repeated in the grid, or random draws that coincide)" : " and " + same));
            }
            ObjectNode tree;
            try {
                tree = SweepPlan.apply(base, spec.set(), values);
            } catch (KeyPath.KeyException e) {
                throw keyError(spec, base, values);
            }
            tree.put("name", id);
            tree.put("output", dir.resolve("runs").toString());
            Path runFile = dir.resolve("trials").resolve(id + ".yaml");
            String yaml = yaml(tree);
            ResolvedRun run;
            try {
                run = loader.resolve(runFile, yaml, tree);
                Runner.validateEvaluations(run);
            } catch (ConfigError e) {
                throw attribute(e, spec, id, values, runFile, yaml, loader);
            }
            trials.add(new Trial(id, values, runFile, yaml, run));
        }
        return new Plan(spec, dir, List.copyOf(trials));
    }

    /** Names the first key that cannot be set, where the sweep file wrote it. */
    private static UserException keyError(SweepSpec spec, JsonNode base, Map<String, Object> values) {
        ObjectNode tree = base.deepCopy();
        List<Object> order = new ArrayList<>();
        List<SweepSpec.Located> where = new ArrayList<>();
        spec.set().forEach(e -> {
            order.add(e.value());
            where.add(new SweepSpec.Located(e.key(), "set", e.at()));
        });
        spec.keys().stream().filter(l -> !l.part().equals("set")).forEach(l -> {
            order.add(values.get(l.key().canonical()));
            where.add(l);
        });
        for (int i = 0; i < where.size(); i++) {
            SweepSpec.Located l = where.get(i);
            try {
                l.key().set(tree, ConfigBinder.mapper().valueToTree(order.get(i)));
            } catch (KeyPath.KeyException e) {
                return new UserException(l.at() + ": " + l.part() + " key '" + l.key() + "' cannot be set in the base run file "
                        + spec.base().file().getFileName() + ": " + e.getMessage());
            }
        }
        return new UserException(spec.file() + ": the keys " + where.stream().map(l -> l.key().text()).toList() + " cannot be set");
    }

    /**
     * Blames the sweep key an invalid trial comes from (the loader's message names the run-file key), or the base
     * run file when it is invalid by itself.
     */
    private static UserException attribute(ConfigError e, SweepSpec spec, String id, Map<String, Object> values, Path runFile, String yaml,
                                           ConfigLoader loader) {
        String prefix = ConfigSource.of(runFile.toString(), yaml).at(e.key()) + ": ";
        String msg = e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length()) : e.getMessage();
        KeyPath at;
        try {
            at = KeyPath.parse(e.key());
        } catch (KeyPath.KeyException bad) {
            at = null;
        }
        SweepSpec.Located best = null;
        for (SweepSpec.Located l : spec.keys()) {
            boolean related = at != null && (l.key().covers(at) || at.covers(l.key()));
            if (related && (best == null || l.key().segments().size() > best.key().segments().size())) {
                best = l;
            }
        }
        Optional<ConfigError> baseError = baseError(spec, loader, e.key());
        if (baseError.isPresent()) {
            return baseError.get();
        }
        if (best == null) {
            return new UserException(spec.file() + ": trial " + id + " is not a valid run: " + msg, e);
        }
        Object value = values.get(best.key().canonical());
        return new UserException(best.at() + ": " + best.part() + " key '" + best.key() + "'" + (value == null ? "" : " = " + value)
                + ": " + msg + " (trial " + id + ")", e);
    }

    /** The base run file's own error at {@code key}, if it has one without any sweep key applied. */
    private static Optional<ConfigError> baseError(SweepSpec spec, ConfigLoader loader, String key) {
        try {
            ResolvedRun r = loader.resolve(spec.base().file(), spec.base().text(), ConfigLoader.parse(spec.base().file().toString(), spec.base().text()));
            Runner.validateEvaluations(r);
            return Optional.empty();
        } catch (ConfigError be) {
            return be.key().equals(key) ? Optional.of(be) : Optional.empty();
        } catch (UserException other) {
            return Optional.empty();
        }
    }

    private static String yaml(JsonNode t) {
        try {
            return ConfigBinder.mapper().writeValueAsString(t);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs the plan's unfinished trials; returns counts. A second sweep on the same folder at once is refused. */
    public static Outcome run(Plan plan, TrialExecutor executor, Settings settings) throws IOException {
        PrintWriter out = settings.console();
        Files.createDirectories(plan.dir());
        try (FileChannel ch = FileChannel.open(plan.dir().resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = lock(ch, plan)) {
            writeInputs(plan);
            Map<String, TrialRuns> before = plan.scan();
            List<Trial> pending = plan.trials().stream().filter(t -> before.get(t.id()).finished().isEmpty()).toList();
            int skipped = plan.trials().size() - pending.size();
            out.println(String.format(Locale.ROOT, "sweep %s: %d trials, %d finished earlier, %d to run, %d at once -> %s", plan.spec().name(),
                    plan.trials().size(), skipped, pending.size(), executor.workers(), plan.dir()));
            for (Trial t : plan.trials()) {
                TrialRuns r = before.get(t.id());
                if (r.finished().isPresent()) {
                    out.println("  " + t.id() + ": finished earlier (" + plan.dir().relativize(r.finished().get()) + ")");
                } else if (!r.outdated().isEmpty()) {
                    out.println("  " + t.id() + ": its finished run was made from another configuration (base or overrides changed); running it again");
                }
            }
            memoryCheck(plan.spec(), executor.workers(), out);
            out.flush();
            Map<String, TrialExecutor.Handle> live = new ConcurrentHashMap<>();
            Runnable refresh = () -> {
                synchronized (live) {
                    try {
                        SweepSummary.write(plan, live);
                    } catch (IOException | RuntimeException e) {
                        LOG.warn("cannot update the sweep summary: {}", e.toString());
                    }
                }
            };
            refresh.run();
            AtomicInteger ended = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            List<CompletableFuture<TrialExecutor.Handle>> all = new ArrayList<>();
            for (Trial t : pending) {
                TrialExecutor.Handle h = executor.submit(task(plan, t, settings));
                live.put(t.id(), h);
                all.add(h.done().whenComplete((done, err) -> {
                    synchronized (live) {
                        int n = ended.incrementAndGet();
                        if (!SweepSummary.succeeded(done)) {
                            failed.incrementAndGet();
                        }
                        out.println(String.format(Locale.ROOT, "[%d/%d] %s", n, pending.size(), SweepSummary.ended(plan, t, done)));
                        out.flush();
                        refresh.run();
                    }
                }));
            }
            CompletableFuture<Void> allDone = CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).exceptionally(x -> null);
            // running trials show up as running, with their latest metrics, between the trials' ends too
            ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread th = new Thread(r, "sweep-summary");
                th.setDaemon(true);
                return th;
            });
            ticker.scheduleWithFixedDelay(refresh, REFRESH_SECONDS, REFRESH_SECONDS, TimeUnit.SECONDS);
            Thread stopped = new Thread(() -> {
                // Ctrl-C: the executor stops the trials; once they have ended, the summary says where each one stands
                try {
                    allDone.get(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
                } catch (Exception ignored) {
                    // summarise what is known
                }
                refresh.run();
                out.println("sweep " + plan.spec().name() + " stopped; the same command resumes it (finished trials are kept)");
                out.flush();
            }, "sweep-stopped");
            Runtime.getRuntime().addShutdownHook(stopped);
            try {
                allDone.join();
            } finally {
                ticker.shutdownNow();
                try {
                    Runtime.getRuntime().removeShutdownHook(stopped);
                } catch (IllegalStateException ignored) {
                    // the JVM is shutting down: the hook reports
                }
            }
            live.clear();
            SweepSummary.write(plan, live);
            SweepSummary.print(plan, out);
            return new Outcome(plan.trials().size(), skipped, pending.size(), failed.get());
        }
    }

    private static FileLock lock(FileChannel ch, Plan plan) throws IOException {
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            throw new UserException("sweep " + plan.spec().name() + " is already running in another process (" + plan.dir()
                    + "); wait for it or stop it first");
        }
        return l;
    }

    private static void writeInputs(Plan plan) throws IOException {
        Path src = plan.spec().file();
        String name = src.getFileName().toString();
        String ext = name.contains(".") ? name.substring(name.lastIndexOf('.')) : ".yaml";
        AtomicFiles.writeString(plan.dir().resolve("sweep" + ext), Files.readString(src));
        AtomicFiles.writeString(plan.dir().resolve("base.yaml"), plan.spec().base().text());
        for (Trial t : plan.trials()) {
            AtomicFiles.writeString(t.runFile(), t.yaml());
        }
    }

    private static TrialExecutor.Task task(Plan plan, Trial t, Settings settings) {
        Map<String, String> env = new LinkedHashMap<>();
        System.getenv().forEach((k, v) -> {
            if (PASSED_ENV.matcher(k).matches()) {
                env.put(k, v);
            }
        });
        List<String> jvm = plan.spec().javaOpts() == null || plan.spec().javaOpts().isBlank() ? List.of()
                : List.of(plan.spec().javaOpts().trim().split("\\s+"));
        return new TrialExecutor.Task(t.id(), t.runFile(), plan.runParent(t), plan.log(t), settings.plugins(), settings.data(), jvm, env);
    }

    /** Warns when the trials' heaps alone would not fit in this machine's memory (the engine's native memory comes on top). */
    private static void memoryCheck(SweepSpec spec, int workers, PrintWriter out) {
        long heap = heapBytes(spec.javaOpts());
        long total = physicalMemory();
        if (heap > 0 && total > 0 && heap * workers > total * 0.8) {
            out.println(String.format(Locale.ROOT, "warning: %d trials at once with %s each need %.1f GiB of heap, and this machine has %.1f GiB;"
                            + " lower workers or java_opts (the engine's native memory comes on top)", workers, "-Xmx" + gib(heap), heap * (double) workers / (1L << 30),
                    total / (double) (1L << 30)));
        }
    }

    /** The -Xmx of {@code javaOpts} in bytes, or -1. */
    static long heapBytes(String javaOpts) {
        if (javaOpts == null) {
            return -1;
        }
        Matcher m = Pattern.compile("-Xmx(\\d+)([kKmMgGtT]?)").matcher(javaOpts);
        long v = -1;
        while (m.find()) {
            long n = Long.parseLong(m.group(1));
            v = switch (m.group(2).toLowerCase(Locale.ROOT)) {
                case "k" -> n << 10;
                case "m" -> n << 20;
                case "g" -> n << 30;
                case "t" -> n << 40;
                default -> n;
            };
        }
        return v;
    }

    private static String gib(long bytes) {
        return bytes % (1L << 30) == 0 ? (bytes >> 30) + "g" : (bytes >> 20) + "m";
    }

    private static long physicalMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return -1;
    }

    /** The FAILED reason of a run folder, first line, or null. */
    static String failure(Path runFolder) {
        try {
            Path f = runFolder.resolve(RunFolder.FAILED);
            if (Files.exists(f)) {
                String s = Files.readString(f).strip();
                int nl = s.indexOf('\n');
                return nl < 0 ? s : s.substring(0, nl);
            }
        } catch (IOException ignored) {
            // no reason to show
        }
        return null;
    }
}

package org.sparselab.core.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Runs each trial as its own JVM ({@code sparselab run}) on this machine, up to {@code workers} at once.
 * Separate processes, not threads: DJL's PyTorch engine allows one open gradient collector per process, and a crash
 * stays in its trial. Stopping the sweep (Ctrl-C, SIGTERM) stops the trial processes through a shutdown hook; a
 * trial process also stops by itself when the sweep's process is gone (killed outright), see {@link #PARENT_PID}.
 */
public final class LocalProcessExecutor implements TrialExecutor {
    /** System property telling a trial process which process started it; the run stops when that one is gone. */
    public static final String PARENT_PID = "sparselab.parent.pid";
    private static final long STOP_GRACE_SECONDS = 10;

    /** Builds the command line of a task, given the compute threads it may use. */
    @FunctionalInterface
    public interface Launcher {
        List<String> command(Task task, int threads);
    }

    private final int workers;
    private final int threadsPerTrial;
    private final Launcher launcher;
    private final ExecutorService pool;
    private final Set<LocalHandle> live = ConcurrentHashMap.newKeySet();
    private final Thread hook;

    public LocalProcessExecutor(int workers) {
        this(workers, LocalProcessExecutor::cli);
    }

    public LocalProcessExecutor(int workers, Launcher launcher) {
        this.workers = workers;
        this.launcher = launcher;
        // Share the cores: parallel trials each using every core would oversubscribe the machine.
        this.threadsPerTrial = Math.max(1, Runtime.getRuntime().availableProcessors() / workers);
        this.pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "sweep-trial");
            t.setDaemon(true);
            return t;
        });
        this.hook = new Thread(this::stopAll, "sweep-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * The CLI in a new JVM with this JVM's class path (the host jars; plugins come from the plugin folder):
     * {@code java <options> -cp <class path> org.sparselab.cli.Main run --plain --no-fetch --plugins P --data D <run file>}.
     */
    public static List<String> cli(Task task, int threads) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(task.jvmOptions());
        if (task.jvmOptions().stream().noneMatch(o -> o.startsWith("-Dai.djl.offline"))) {
            cmd.add("-Dai.djl.offline=true");
        }
        if (task.jvmOptions().stream().noneMatch(o -> o.startsWith("-Dai.djl.pytorch.num_threads"))) {
            cmd.add("-Dai.djl.pytorch.num_threads=" + threads);
        }
        cmd.add("-D" + PARENT_PID + "=" + ProcessHandle.current().pid());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("org.sparselab.cli.Main");
        cmd.addAll(List.of("run", "--plain", "--no-fetch", "--plugins", task.plugins().toString(), "--data", task.data().toString(),
                task.runFile().toString()));
        return cmd;
    }

    @Override
    public Handle submit(Task task) {
        LocalHandle h = new LocalHandle(task);
        live.add(h);
        pool.execute(h::run);
        return h;
    }

    @Override
    public int workers() {
        return workers;
    }

    /** Stops every trial and waits a little for the processes to end, so that none outlives the sweep. */
    private void stopAll() {
        List<LocalHandle> all = new ArrayList<>(live);
        all.forEach(LocalHandle::cancel);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STOP_GRACE_SECONDS);
        for (LocalHandle h : all) {
            Process p = h.process;
            if (p == null) {
                continue;
            }
            try {
                if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        stopAll();
        pool.shutdownNow();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // the JVM is already shutting down and runs the hook itself
        }
    }

    private final class LocalHandle implements Handle {
        private final Task task;
        private final CompletableFuture<Handle> done = new CompletableFuture<>();
        private volatile Status status = Status.QUEUED;
        private volatile Process process;
        private volatile Integer exit;
        private volatile boolean cancelled;
        private volatile Set<Path> before = Set.of();

        LocalHandle(Task task) {
            this.task = task;
        }

        void run() {
            try {
                List<String> cmd = launcher.command(task, threadsPerTrial);
                synchronized (this) {
                    if (cancelled) {
                        return;
                    }
                    before = Set.copyOf(task.runFolders());
                    status = Status.RUNNING;
                    process = start(cmd);
                }
                int code = process.waitFor();
                exit = code;
                status = cancelled ? Status.CANCELLED : code == 0 ? Status.SUCCEEDED : Status.FAILED;
            } catch (IOException | UncheckedIOException e) {
                note("cannot start the trial: " + e.getMessage());
                status = cancelled ? Status.CANCELLED : Status.FAILED;
            } catch (InterruptedException e) {
                cancel();
                status = Status.CANCELLED;
                Thread.currentThread().interrupt();
            } finally {
                if (cancelled && !status.ended()) {
                    status = Status.CANCELLED;
                }
                live.remove(this);
                done.complete(this);
            }
        }

        private Process start(List<String> cmd) throws IOException {
            Files.createDirectories(task.log().toAbsolutePath().getParent());
            note("trial " + task.trialId() + ": " + String.join(" ", cmd));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(task.log().toFile()));
            pb.environment().putAll(task.environment());
            // the engine's OpenMP pool follows the same share of the cores as its intra-op threads
            pb.environment().putIfAbsent("OMP_NUM_THREADS", Integer.toString(threadsPerTrial));
            return pb.start();
        }

        /** A line of our own in the trial's log, between its attempts. */
        private void note(String line) {
            try {
                Files.createDirectories(task.log().toAbsolutePath().getParent());
                Files.writeString(task.log(), "=== " + LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME) + " " + line + "\n",
                        StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException ignored) {
                // the log is a convenience; the run folder holds the outcome
            }
        }

        @Override
        public Task task() {
            return task;
        }

        @Override
        public Status status() {
            return status;
        }

        @Override
        public OptionalInt exitCode() {
            Integer e = exit;
            return e == null ? OptionalInt.empty() : OptionalInt.of(e);
        }

        @Override
        public Optional<Path> runFolder() {
            return status == Status.QUEUED ? Optional.empty() : task.newRunFolder(before);
        }

        @Override
        public CompletableFuture<Handle> done() {
            return done;
        }

        @Override
        public void cancel() {
            Process p;
            synchronized (this) {
                if (status.ended() || cancelled) {
                    return;
                }
                cancelled = true;
                p = process;
                if (p == null) {
                    // still queued: the worker that picks it up returns at once
                    status = Status.CANCELLED;
                    live.remove(this);
                    done.complete(this);
                    return;
                }
            }
            // SIGTERM first (the trial's JVM runs its shutdown hooks), then a hard kill if it lingers.
            p.destroy();
            p.onExit().completeOnTimeout(null, STOP_GRACE_SECONDS, TimeUnit.SECONDS).thenRun(() -> {
                if (p.isAlive()) {
                    p.destroyForcibly();
                }
            });
        }
    }
}

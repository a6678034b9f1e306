package org.sparselab.core.sweep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs each trial as its own JVM ({@code sparselab run}), up to {@code workers} at once. Separate processes,
 * not threads: the PyTorch engine allows one open gradient collector per process, and a crash stays in its trial.
 */
public final class LocalProcessExecutor implements TrialExecutor {
    private final ExecutorService pool;
    private final List<String> javaOpts;
    private final int threadsPerTrial;
    private final Set<Process> running = ConcurrentHashMap.newKeySet();
    private final Thread hook;

    public LocalProcessExecutor(int workers, String javaOpts) {
        this.pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "sweep-trial");
            t.setDaemon(true);
            return t;
        });
        this.javaOpts = javaOpts == null || javaOpts.isBlank() ? List.of() : List.of(javaOpts.trim().split("\\s+"));
        // Share the cores: parallel trials each using every core would oversubscribe the machine.
        this.threadsPerTrial = Math.max(1, Runtime.getRuntime().availableProcessors() / workers);
        this.hook = new Thread(this::destroyAll, "sweep-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    @Override
    public CompletableFuture<Integer> submit(Task task) {
        return CompletableFuture.supplyAsync(() -> run(task), pool);
    }

    private int run(Task task) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(javaOpts);
        cmd.add("-Dai.djl.offline=true");
        if (javaOpts.stream().noneMatch(o -> o.startsWith("-Dai.djl.pytorch.num_threads"))) {
            cmd.add("-Dai.djl.pytorch.num_threads=" + threadsPerTrial);
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("org.sparselab.cli.Main");
        cmd.addAll(List.of("run", "--plain", "--no-fetch", "--plugins", task.plugins().toString(), "--data", task.data().toString(),
                task.trial().runFile().toString()));
        try {
            Files.createDirectories(task.log().getParent());
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(task.log().toFile());
            pb.environment().putIfAbsent("OMP_NUM_THREADS", Integer.toString(threadsPerTrial));
            Process p = pb.start();
            running.add(p);
            try {
                return p.waitFor();
            } finally {
                running.remove(p);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot start trial " + task.trial().id() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private void destroyAll() {
        for (Process p : running) {
            p.destroy();
        }
    }

    @Override
    public void close() {
        destroyAll();
        pool.shutdownNow();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // the JVM is already shutting down
        }
    }
}

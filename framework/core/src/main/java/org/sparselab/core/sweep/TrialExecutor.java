package org.sparselab.core.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * Runs trials somewhere. A trial is a run file plus the folders and environment its run needs; whoever runs it, the
 * run writes its own run folder under {@link Task#runParent()}, which is how the sweep knows what happened (a
 * cluster engine needs a file system both sides see). The local executor starts processes on this machine; a cluster
 * executor would submit the same task to a scheduler. Sweep files never name the executor.
 */
public interface TrialExecutor extends AutoCloseable {

    /**
     * What a trial needs.
     *
     * @param trialId the trial's id, also its run name
     * @param runFile its run file ({@code name} and {@code output} already point into the sweep folder)
     * @param runParent where its run folders appear: {@code <output>/<trialId>/}
     * @param log where its console output goes (appended: one file holds every attempt)
     * @param plugins the plugin folder
     * @param data the data folder
     * @param jvmOptions JVM options of the trial (heap size, system properties)
     * @param environment variables the trial needs on top of an ordinary environment (LD_PRELOAD, ...)
     */
    record Task(String trialId, Path runFile, Path runParent, Path log, Path plugins, Path data, List<String> jvmOptions,
                Map<String, String> environment) {
        public Task {
            jvmOptions = List.copyOf(jvmOptions);
            environment = Map.copyOf(environment);
        }

        /** The run folders now under {@link #runParent()}, oldest first (their names start with a time stamp). */
        public List<Path> runFolders() {
            if (!Files.isDirectory(runParent)) {
                return List.of();
            }
            try (Stream<Path> s = Files.list(runParent)) {
                return s.filter(Files::isDirectory).sorted().toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The newest run folder that is not among {@code before}: the one this attempt made. */
        public Optional<Path> newRunFolder(Set<Path> before) {
            return runFolders().stream().filter(p -> !before.contains(p)).reduce((a, b) -> b);
        }
    }

    /** Where a submitted trial stands. */
    enum Status {
        QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

        public boolean ended() {
            return this == SUCCEEDED || this == FAILED || this == CANCELLED;
        }
    }

    /** A submitted trial. */
    interface Handle {
        Task task();

        Status status();

        /** The exit code once it ended (none for a trial cancelled before it started). */
        OptionalInt exitCode();

        /** The run folder this attempt created, once there is one. */
        Optional<Path> runFolder();

        default Path log() {
            return task().log();
        }

        /** Completes when the trial has ended, whatever the outcome. */
        CompletableFuture<Handle> done();

        /** Stops the trial (or takes it off the queue); its run folder stays RUNNING or FAILED, so a resumed sweep reruns it. */
        void cancel();
    }

    /** Starts the trial, or queues it until a worker is free. */
    Handle submit(Task task);

    /** Trials run at once. */
    int workers();

    /** Cancels whatever is still queued or running. */
    @Override
    void close();
}

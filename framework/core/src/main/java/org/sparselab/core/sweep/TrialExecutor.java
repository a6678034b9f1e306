package org.sparselab.core.sweep;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * Runs trials. The local executor starts processes on this machine; a cluster executor would submit the same
 * task (a run file plus the folders it needs) to a scheduler. Sweep files do not name the executor.
 */
public interface TrialExecutor extends AutoCloseable {

    /**
     * What a trial needs.
     *
     * @param trial the trial
     * @param log where its output goes
     * @param plugins the plugin folder
     * @param data the data folder
     */
    record Task(Trial trial, Path log, Path plugins, Path data) {
    }

    /** Starts the trial (or queues it); completes with the process's exit code. */
    CompletableFuture<Integer> submit(Task task);

    /** Stops running trials; their run folders stay marked RUNNING or FAILED, so a resumed sweep redoes them. */
    @Override
    void close();
}

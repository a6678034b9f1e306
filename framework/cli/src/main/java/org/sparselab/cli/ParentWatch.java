package org.sparselab.cli;

import org.sparselab.core.sweep.LocalProcessExecutor;

import java.io.PrintWriter;
import java.util.Optional;

/**
 * A sweep trial stops when the sweep that started it is gone. A stopped sweep stops its trials itself (shutdown
 * hook), but one killed outright cannot; without this its trials would train on as orphans beside the resumed sweep.
 */
final class ParentWatch {
    /** Exit code of a trial stopped this way (as for SIGTERM). */
    static final int STOPPED = 143;

    private ParentWatch() {
    }

    static void start(PrintWriter err) {
        String pid = System.getProperty(LocalProcessExecutor.PARENT_PID);
        if (pid == null || pid.isBlank()) {
            return;
        }
        Optional<ProcessHandle> parent;
        try {
            parent = ProcessHandle.of(Long.parseLong(pid.trim()));
        } catch (NumberFormatException e) {
            return;
        }
        Runnable stop = () -> {
            err.println("sparselab: the sweep that started this run (process " + pid + ") has ended; stopping");
            err.flush();
            System.exit(STOPPED);
        };
        if (parent.isEmpty() || !parent.get().isAlive()) {
            stop.run();
        }
        parent.get().onExit().thenRun(stop);
    }
}

package org.sparselab.core.sweep;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The local executor with shell commands standing in for trial JVMs. */
class LocalProcessExecutorTest {
    @TempDir
    Path dir;

    private TrialExecutor.Task task(String id, String script) {
        return new TrialExecutor.Task(id, dir.resolve(id + ".yaml"), dir.resolve("runs").resolve(id), dir.resolve("logs").resolve(id + ".log"),
                dir, dir, List.of(script), Map.of("SWEEP_TEST", "from-task"));
    }

    /** The script travels in jvmOptions: the launcher runs it with sh. */
    private static LocalProcessExecutor executor(int workers) {
        return new LocalProcessExecutor(workers, (task, threads) -> List.of("sh", "-c", task.jvmOptions().get(0)));
    }

    @Test
    void runsTrialsReportsExitCodesFoldersAndLogs() throws Exception {
        try (LocalProcessExecutor ex = executor(2)) {
            TrialExecutor.Task ok = task("a", "mkdir -p " + dir.resolve("runs/a/20260101-000000-aaaaaa") + " && echo hello $SWEEP_TEST $OMP_NUM_THREADS");
            TrialExecutor.Task bad = task("b", "echo oops >&2; exit 3");
            TrialExecutor.Handle a = ex.submit(ok);
            TrialExecutor.Handle b = ex.submit(bad);
            a.done().get(30, TimeUnit.SECONDS);
            b.done().get(30, TimeUnit.SECONDS);
            assertEquals(TrialExecutor.Status.SUCCEEDED, a.status());
            assertEquals(OptionalInt.of(0), a.exitCode());
            assertEquals(dir.resolve("runs/a/20260101-000000-aaaaaa"), a.runFolder().orElseThrow());
            String log = Files.readString(a.log());
            assertTrue(log.startsWith("=== ") && log.contains("trial a: sh -c"), log);
            assertTrue(log.contains("hello from-task " + Math.max(1, Runtime.getRuntime().availableProcessors() / 2)), log);
            assertEquals(TrialExecutor.Status.FAILED, b.status());
            assertEquals(OptionalInt.of(3), b.exitCode());
            assertTrue(b.runFolder().isEmpty());
            assertTrue(Files.readString(b.log()).contains("oops"), "stderr goes to the log too");
            // a second attempt appends to the same log
            ex.submit(bad).done().get(30, TimeUnit.SECONDS);
            assertEquals(2, Files.readString(b.log()).lines().filter(l -> l.startsWith("=== ")).count());
        }
    }

    @Test
    void runsAtMostWorkersAtOnceAndCancels() throws Exception {
        LocalProcessExecutor ex = executor(2);
        TrialExecutor.Handle a = ex.submit(task("a", "sleep 60"));
        TrialExecutor.Handle b = ex.submit(task("b", "sleep 60"));
        TrialExecutor.Handle c = ex.submit(task("c", "sleep 60"));
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while ((a.status() != TrialExecutor.Status.RUNNING || b.status() != TrialExecutor.Status.RUNNING) && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertEquals(TrialExecutor.Status.RUNNING, a.status());
        assertEquals(TrialExecutor.Status.RUNNING, b.status());
        assertEquals(TrialExecutor.Status.QUEUED, c.status(), "two workers, two at once");

        c.cancel();
        assertEquals(TrialExecutor.Status.CANCELLED, c.status());
        assertTrue(c.done().isDone() && c.exitCode().isEmpty(), "a queued trial is dropped without starting");

        a.cancel();
        a.done().get(30, TimeUnit.SECONDS);
        assertEquals(TrialExecutor.Status.CANCELLED, a.status());
        assertEquals(OptionalInt.of(143), a.exitCode(), "SIGTERM");

        ex.close();
        b.done().get(30, TimeUnit.SECONDS);
        assertEquals(TrialExecutor.Status.CANCELLED, b.status(), "closing stops what still runs");
    }
}

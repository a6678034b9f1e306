package org.sparselab.core.sweep;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparselab.core.run.RunFolder;
import org.sparselab.core.util.Json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The runner's resume logic with an executor that fakes runs by writing run folders. */
class SweepRunnerTest {
    @TempDir
    Path dir;

    /** "Runs" a trial by making the folder a real run would leave: finished, or FAILED for the ids in {@code failing}. */
    private static final class FakeExecutor implements TrialExecutor {
        final List<String> submitted = new ArrayList<>();
        final Set<String> failing;
        final SweepRunner.Plan plan;

        FakeExecutor(SweepRunner.Plan plan, Set<String> failing) {
            this.plan = plan;
            this.failing = failing;
        }

        @Override
        public Handle submit(Task task) {
            submitted.add(task.trialId());
            Trial t = plan.trials().stream().filter(x -> x.id().equals(task.trialId())).findFirst().orElseThrow();
            boolean fail = failing.contains(t.id());
            Path folder;
            try {
                assertTrue(Files.exists(task.runFile()), "the trial's run file is written before it runs");
                folder = fail ? SweepFixtures.failed(plan, t, "boom") : SweepFixtures.finished(plan, t, 0.5 + t.id().length() / 100.0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new Handle() {
                @Override
                public Task task() {
                    return task;
                }

                @Override
                public Status status() {
                    return fail ? Status.FAILED : Status.SUCCEEDED;
                }

                @Override
                public OptionalInt exitCode() {
                    return OptionalInt.of(fail ? 2 : 0);
                }

                @Override
                public Optional<Path> runFolder() {
                    return Optional.of(folder);
                }

                @Override
                public CompletableFuture<Handle> done() {
                    return CompletableFuture.completedFuture(this);
                }

                @Override
                public void cancel() {
                }
            };
        }

        @Override
        public int workers() {
            return 2;
        }

        @Override
        public void close() {
        }
    }

    private static SweepRunner.Settings settings(ByteArrayOutputStream out) {
        return new SweepRunner.Settings(Path.of("unused"), Path.of("plugins"), Path.of("data"), new PrintWriter(out, true, StandardCharsets.UTF_8));
    }

    @Test
    void runsWhatIsMissingAndResumes() throws IOException {
        SweepRunner.Plan plan = SweepFixtures.plan(dir, "sparsifiers[0].k", 5, 10, 20, 50);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FakeExecutor first = new FakeExecutor(plan, Set.of("k=20"));
        SweepRunner.Outcome o = SweepRunner.run(plan, first, settings(out));
        assertEquals(List.of("k=5", "k=10", "k=20", "k=50"), first.submitted);
        assertEquals(new SweepRunner.Outcome(4, 0, 4, 1), o);
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("4 trials, 0 finished earlier, 4 to run, 2 at once"), text);
        assertTrue(text.contains("k=20: FAILED (exit 2): boom"), text);
        assertTrue(Files.exists(plan.dir().resolve("trials/k=5.yaml")) && Files.exists(plan.dir().resolve("sweep.yaml")));
        assertTrue(Files.exists(plan.dir().resolve("base.yaml")));

        // resume: only the failed trial runs again, into a new folder
        FakeExecutor second = new FakeExecutor(plan, Set.of());
        o = SweepRunner.run(plan, second, settings(new ByteArrayOutputStream()));
        assertEquals(List.of("k=20"), second.submitted);
        assertEquals(new SweepRunner.Outcome(4, 3, 1, 0), o);
        assertEquals(2, TrialRuns.scan(plan.runParent(plan.trials().get(2)), null).attempts().size());

        // an interrupted trial: its summary is gone, as if the sweep had been stopped during it
        Path k10 = TrialRuns.scan(plan.runParent(plan.trials().get(1)), null).finished().orElseThrow();
        Files.delete(k10.resolve(RunFolder.SUMMARY));
        FakeExecutor third = new FakeExecutor(plan, Set.of());
        SweepRunner.run(plan, third, settings(new ByteArrayOutputStream()));
        assertEquals(List.of("k=10"), third.submitted);

        // nothing left: nothing runs, the summary is still written
        FakeExecutor fourth = new FakeExecutor(plan, Set.of());
        SweepRunner.run(plan, fourth, settings(new ByteArrayOutputStream()));
        assertEquals(List.of(), fourth.submitted);
        var state = Json.mapper().readTree(plan.dir().resolve("sweep.json").toFile());
        assertEquals(4, state.path("counts").path("finished").asInt());
        assertEquals(5, Files.readAllLines(plan.dir().resolve("summary.csv")).size());
    }

    @Test
    void heapSizesAreRead() {
        assertEquals(4L << 30, SweepRunner.heapBytes("-Xms1g -Xmx4g"));
        assertEquals(512L << 20, SweepRunner.heapBytes("-Xmx512m"));
        assertEquals(-1, SweepRunner.heapBytes("-Dx=1"));
    }
}

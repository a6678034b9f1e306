package org.sparselab.core.sweep;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Resume decisions come from the run folders alone. */
class TrialRunsTest {
    @TempDir
    Path dir;

    private TrialRuns scan(SweepRunner.Plan plan, Trial t, String config) throws IOException {
        return TrialRuns.scan(plan.runParent(t), config);
    }

    @Test
    void statusFollowsTheNewestAttempt() throws IOException {
        SweepRunner.Plan plan = SweepFixtures.plan(dir, "sparsifiers[0].k", 5, 10, 20, 50);
        Trial none = plan.trials().get(0);
        Trial failed = plan.trials().get(1);
        Trial stopped = plan.trials().get(2);
        Trial retried = plan.trials().get(3);
        assertEquals("pending", scan(plan, none, null).status());
        assertEquals(Optional.empty(), scan(plan, none, null).folder());

        Path f = SweepFixtures.failed(plan, failed, "out of memory");
        assertEquals("failed", scan(plan, failed, null).status());
        assertEquals(Optional.of(f), scan(plan, failed, null).folder());

        SweepFixtures.stopped(plan, stopped);
        assertEquals("interrupted", scan(plan, stopped, null).status());

        // a failed attempt, then a stopped one, then a finished one: finished, three attempts
        SweepFixtures.failed(plan, retried, "x");
        SweepFixtures.stopped(plan, retried);
        Path done = SweepFixtures.finished(plan, retried, 0.9);
        TrialRuns r = scan(plan, retried, null);
        assertEquals("finished", r.status());
        assertEquals(Optional.of(done), r.finished());
        assertEquals(3, r.attempts().size());
        // an attempt after the finished one (rerun by hand) does not hide the finished run
        SweepFixtures.stopped(plan, retried);
        assertEquals(Optional.of(done), scan(plan, retried, null).finished());
    }

    @Test
    void aFinishedRunCountsOnlyForTheSameConfiguration() throws IOException {
        SweepRunner.Plan plan = SweepFixtures.plan(dir, "seed", 1);
        Trial t = plan.trials().get(0);
        Path p = SweepFixtures.finished(plan, t, 0.9);
        Files.writeString(p.resolve(TrialRuns.CONFIG), "name: seed=1\nseed: 1\ntraining: {epochs: 2}\noutput: /old/place\n");
        // same configuration, written differently and in another output folder: finished
        TrialRuns same = scan(plan, t, "name: seed=1\nseed: 1\ntraining:\n  epochs: 2\noutput: /new/place\n");
        assertEquals("finished", same.status());
        // a parameter added to the framework since (with its default) does not make the run outdated
        assertEquals("finished", scan(plan, t, "name: seed=1\nseed: 1\ntraining: {epochs: 2.0, clip: 0}\nregularizer: {id: none}\n").status());
        // the base file changed since: the old run is outdated, the trial is pending again
        TrialRuns changed = scan(plan, t, "name: seed=1\nseed: 1\ntraining: {epochs: 3}\n");
        assertEquals("pending", changed.status());
        assertEquals(List.of(p), changed.outdated());
        assertEquals(Optional.empty(), changed.finished());
        assertEquals("pending", scan(plan, t, "name: seed=1\nseed: [1]\ntraining: {epochs: 2}\n").status(), "a value of another kind");
    }
}

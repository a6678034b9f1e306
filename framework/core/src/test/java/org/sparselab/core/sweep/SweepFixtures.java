package org.sparselab.core.sweep;

import org.sparselab.core.run.RunFolder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Sweeps and run folders made by hand, for tests that need no plugins and no engine. */
final class SweepFixtures {
    private static final AtomicInteger STAMP = new AtomicInteger();

    private SweepFixtures() {
    }

    /** A plan over {@code key} with {@code values}, its sweep folder under {@code dir}; trials carry no resolved run. */
    static SweepRunner.Plan plan(Path dir, String key, Object... values) throws IOException {
        Path file = Files.writeString(dir.resolve("s.yaml"), "name: s\nbase: base.yaml\ngrid: {" + key + ": []}\n");
        SweepSpec spec = new SweepSpec(file, "s", new SweepSpec.BaseRun(dir.resolve("base.yaml"), "name: b\n"), 2, "-Xmx1g", null,
                new SweepSpec.Metric("test", "accuracy", "max"), List.of(), List.of(new SweepSpec.Axis(KeyPath.parse(key), List.of(values), "s.yaml:3")), null);
        return plan(dir, spec);
    }

    static SweepRunner.Plan plan(Path dir, SweepSpec spec) {
        Path sweepDir = dir.resolve("out/sweeps").resolve(spec.name());
        List<Trial> trials = new ArrayList<>();
        for (Map<String, Object> v : SweepPlan.points(spec)) {
            String id = SweepPlan.id(v);
            trials.add(new Trial(id, v, sweepDir.resolve("trials").resolve(id + ".yaml"), "name: " + id + "\n", null));
        }
        return new SweepRunner.Plan(spec, sweepDir, trials);
    }

    /** A new run folder of the trial (names sort in creation order, like real time stamps). */
    static Path runFolder(SweepRunner.Plan plan, Trial t) throws IOException {
        Path p = plan.runParent(t).resolve(String.format(Locale.ROOT, "20260101-%06d-abcdef", STAMP.incrementAndGet()));
        Files.createDirectories(p);
        return p;
    }

    /** A finished run: metrics.jsonl and summary.json with final train/val/test rows of accuracy and loss. */
    static Path finished(SweepRunner.Plan plan, Trial t, double accuracy) throws IOException {
        Path p = runFolder(plan, t);
        Files.writeString(p.resolve("metrics.jsonl"), row(1, "train", accuracy) + row(1, "val", accuracy - 0.01) + row(1, "test", accuracy - 0.02));
        Files.writeString(p.resolve(RunFolder.SUMMARY), String.format(Locale.ROOT, """
                {"final": {"train": {"accuracy": %s, "epoch": 1, "loss": 0.5, "split": "train"},
                           "val": {"accuracy": %s, "epoch": 1, "loss": 0.6, "split": "val"},
                           "test": {"accuracy": %s, "epoch": 1, "loss": 0.7, "split": "test"}},
                 "train_samples_per_second": 1234.5, "seconds": 61.2}
                """, accuracy, accuracy - 0.01, accuracy - 0.02));
        return p;
    }

    /** An attempt that failed after one epoch. */
    static Path failed(SweepRunner.Plan plan, Trial t, String reason) throws IOException {
        Path p = runFolder(plan, t);
        Files.writeString(p.resolve("metrics.jsonl"), row(1, "train", 0.3));
        Files.writeString(p.resolve(RunFolder.FAILED), reason + "\n");
        return p;
    }

    /** An attempt stopped while it ran. */
    static Path stopped(SweepRunner.Plan plan, Trial t) throws IOException {
        Path p = runFolder(plan, t);
        Files.writeString(p.resolve(RunFolder.RUNNING), "pid 1\n");
        return p;
    }

    private static String row(int epoch, String split, double accuracy) {
        return String.format(Locale.ROOT, "{\"accuracy\":%s,\"epoch\":%d,\"loss\":0.5,\"split\":\"%s\"}%n", accuracy, epoch, split);
    }
}

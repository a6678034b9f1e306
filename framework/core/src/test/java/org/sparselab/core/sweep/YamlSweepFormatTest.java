package org.sparselab.core.sweep;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparselab.core.UserException;
import org.sparselab.core.sweep.SweepSpec.Distribution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class YamlSweepFormatTest {
    @TempDir
    Path dir;

    private SweepSpec read(String name, String yaml) throws IOException {
        Files.createDirectories(dir.resolve("runs"));
        Files.writeString(dir.resolve("runs/base.yaml"), "name: b\nmodel: {id: m}\n");
        Path f = Files.writeString(dir.resolve("runs/sweeps").resolve(name), yaml);
        return SweepFormat.read(f, List.of());
    }

    private String error(String name, String yaml) throws IOException {
        Files.createDirectories(dir.resolve("runs/sweeps"));
        return assertThrows(UserException.class, () -> read(name, yaml)).getMessage();
    }

    @Test
    void readsAGridSweep() throws IOException {
        Files.createDirectories(dir.resolve("runs/sweeps"));
        SweepSpec s = read("k.yaml", """
                base: ../base.yaml
                workers: 2
                set: {training.epochs: 2, training.optimizer: {id: sgd, lr: 0.1}}
                grid:
                  sparsifiers[0].k: [5, 10]
                  model.units: 64
                metric: {split: val, name: loss, goal: min}
                """);
        assertEquals("k", s.name(), "the name defaults to the file name");
        assertEquals(dir.resolve("runs/base.yaml").toAbsolutePath().normalize(), s.base().file());
        assertEquals(2, s.workers());
        assertEquals("-Xmx4g", s.javaOpts());
        assertEquals(List.of("training.epochs", "training.optimizer"), s.set().stream().map(e -> e.key().text()).toList());
        assertEquals(List.of(5, 10), s.grid().get(0).values());
        assertEquals(List.of(64), s.grid().get(1).values(), "a single value is a one-value axis");
        assertTrue(s.grid().get(0).at().endsWith("k.yaml:5"), s.grid().get(0).at());
        assertEquals(new SweepSpec.Metric("val", "loss", "min"), s.metric());
        assertNull(s.random());
    }

    @Test
    void readsARandomSweep() throws IOException {
        Files.createDirectories(dir.resolve("runs/sweeps"));
        SweepSpec s = read("r.yaml", """
                name: r
                base: ../base.yaml
                random:
                  samples: 4
                  seed: 9
                  space:
                    training.optimizer.lr: {log_uniform: [1e-4, 1e-2]}
                    model.units: {choice: [500, 1000]}
                    model.noise: {uniform: [0, 1]}
                    sparsifiers[0].k: {int_uniform: [5, 50]}
                """);
        assertEquals(4, s.random().samples());
        assertEquals(9, s.random().seed());
        assertEquals(new Distribution.LogUniform(1e-4, 1e-2), s.random().space().get(0).distribution());
        assertInstanceOf(Distribution.Choice.class, s.random().space().get(1).distribution());
        assertEquals(new Distribution.Uniform(0, 1), s.random().space().get(2).distribution());
        assertEquals(new Distribution.IntUniform(5, 50), s.random().space().get(3).distribution());
        assertEquals(List.of("training.optimizer.lr", "model.units", "model.noise", "sparsifiers[0].k"),
                s.swept().stream().map(KeyPath::canonical).toList());
    }

    @Test
    void mistakesAreNamedWithFileAndLine() throws IOException {
        String unknown = error("a.yaml", "base: ../base.yaml\nworkerz: 2\ngrid: {model.units: [8]}\n");
        assertTrue(unknown.contains("a.yaml:2") && unknown.contains("unknown key 'workerz'") && unknown.contains("grid"), unknown);
        String noGrid = error("b.yaml", "base: ../base.yaml\n");
        assertTrue(noGrid.contains("a sweep needs grid"), noGrid);
        String both = error("c.yaml", "base: ../base.yaml\ngrid: {seed: [1]}\nrandom: {space: {seed: {choice: [1]}}}\n");
        assertTrue(both.contains("either grid or random"), both);
        String badKey = error("d.yaml", "base: ../base.yaml\ngrid:\n  model..units: [1]\n");
        assertTrue(badKey.contains("d.yaml:3") && badKey.contains("empty part"), badKey);
        String emptyAxis = error("e.yaml", "base: ../base.yaml\ngrid:\n  seed: []\n");
        assertTrue(emptyAxis.contains("e.yaml:3") && emptyAxis.contains("non-empty list"), emptyAxis);
        String dist = error("f.yaml", "base: ../base.yaml\nrandom:\n  space:\n    model.lr: {log_uniform: [0, 1]}\n");
        assertTrue(dist.contains("f.yaml:4") && dist.contains("bounds > 0"), dist);
        String kind = error("g.yaml", "base: ../base.yaml\nrandom:\n  space:\n    model.lr: {normal: [0, 1]}\n");
        assertTrue(kind.contains("g.yaml:4") && kind.contains("unknown distribution 'normal'"), kind);
        String twice = error("h.yaml", "base: ../base.yaml\nset: {sparsifiers.0.k: 3}\ngrid:\n  sparsifiers[0].k: [1, 2]\n");
        assertTrue(twice.contains("h.yaml:4") && twice.contains("already set at") && twice.contains("h.yaml:2"), twice);
        String name = error("i.yaml", "base: ../base.yaml\ngrid: {name: [a, b]}\n");
        assertTrue(name.contains("the sweep sets each trial's name"), name);
        String base = error("j.yaml", "base: ../nothere.yaml\ngrid: {seed: [1]}\n");
        assertTrue(base.contains("j.yaml:1") && base.contains("nothere.yaml") && base.contains("relative to the sweep file"), base);
        String goal = error("k.yaml", "base: ../base.yaml\ngrid: {seed: [1]}\nmetric: {goal: best}\n");
        assertTrue(goal.contains("k.yaml:3") && goal.contains("goal"), goal);
        String yaml = error("l.yaml", "base: ../base.yaml\ngrid: {seed: [1\n");
        assertTrue(yaml.contains("l.yaml") && yaml.contains("not valid YAML"), yaml);
    }
}

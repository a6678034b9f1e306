package org.sparselab.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A 4-trial sweep over k with 2 workers (separate JVMs), its summary, and resuming after an interruption. */
class SweepIT {

    @Test
    void sweepRunsResumesAndSummarises(@TempDir Path tmp) throws IOException {
        Path idx = tmp.resolve("idx");
        TestKit.writeIdx(idx, 300, 100);
        Path base = TestKit.runFile(tmp, "base", idx, tmp.resolve("unused"), "");
        Path sweep = Files.writeString(tmp.resolve("sweep.yaml"), """
                name: k-sweep
                base: base.yaml
                workers: 2
                set: {training.epochs: 1}
                grid:
                  sparsifiers[0].k: [2, 4, 8, 16]
                metric: {split: test, name: accuracy}
                output: %s
                java_opts: -Xmx1g
                """.formatted(tmp.resolve("out")));
        String plugins = TestKit.pluginFolder().toString();
        TestKit.Cli dry = TestKit.cli("sweep", "--dry-run", "--plugins", plugins, sweep.toString());
        assertEquals(0, dry.exit(), dry.all());
        assertTrue(dry.out().contains("4 trials, all valid") && dry.out().contains("k=16"), dry.out());

        TestKit.Cli first = TestKit.cli("sweep", "--plugins", plugins, sweep.toString());
        assertEquals(0, first.exit(), first.all());
        Path dir = tmp.resolve("out/sweeps/k-sweep");
        for (String k : List.of("2", "4", "8", "16")) {
            List<Path> runs = TestKit.runFolders(dir.resolve("runs"), "k=" + k);
            assertEquals(1, runs.size(), "k=" + k);
            assertTrue(Files.exists(runs.get(0).resolve("summary.json")));
        }
        List<String> csv = Files.readAllLines(dir.resolve("summary.csv"));
        assertEquals(5, csv.size(), String.join("\n", csv));
        assertTrue(csv.get(0).startsWith("trial,sparsifiers[0].k,status,") && csv.get(0).contains("test.accuracy"), csv.get(0));
        assertTrue(Files.readString(dir.resolve("summary.html")).contains("data:image/png;base64,"));
        assertTrue(first.out().contains("k=8") && first.out().contains("finished"), first.out());

        // Interrupt one trial after the fact: its summary disappears, as if the sweep had been stopped during it.
        Path k8 = TestKit.runFolders(dir.resolve("runs"), "k=8").get(0);
        Files.delete(k8.resolve("summary.json"));
        TestKit.Cli second = TestKit.cli("sweep", "--plugins", plugins, sweep.toString());
        assertEquals(0, second.exit(), second.all());
        assertTrue(second.out().contains("4 trials, 1 to run"), second.out());
        assertEquals(2, TestKit.runFolders(dir.resolve("runs"), "k=8").size(), "only the interrupted trial ran again, in a new folder");
        assertEquals(1, TestKit.runFolders(dir.resolve("runs"), "k=2").size());
    }

    @Test
    void badSweepKeysAreNamed(@TempDir Path tmp) throws IOException {
        Path idx = tmp.resolve("idx");
        TestKit.writeIdx(idx, 100, 50);
        TestKit.runFile(tmp, "base", idx, tmp.resolve("unused"), "");
        String plugins = TestKit.pluginFolder().toString();
        Path unknown = Files.writeString(tmp.resolve("unknown.yaml"), "name: s\nbase: base.yaml\ngrid: {model.kk: [1, 2]}\n");
        TestKit.Cli a = TestKit.cli("sweep", "--dry-run", "--plugins", plugins, unknown.toString());
        assertNotEquals(0, a.exit());
        assertTrue(a.err().contains("unknown key 'model.kk'") && a.err().contains("unknown.yaml"), a.err());
        Path list = Files.writeString(tmp.resolve("list.yaml"), "name: s\nbase: base.yaml\ngrid:\n  sparsifiers[2].k: [1]\n");
        TestKit.Cli b = TestKit.cli("sweep", "--dry-run", "--plugins", plugins, list.toString());
        assertNotEquals(0, b.exit());
        assertTrue(b.err().contains("list.yaml:4") && b.err().contains("no [2]"), b.err());
        Path typo = Files.writeString(tmp.resolve("typo.yaml"), "name: s\nbase: base.yaml\nworkerz: 2\ngrid: {model.units: [8]}\n");
        TestKit.Cli c = TestKit.cli("sweep", "--dry-run", "--plugins", plugins, typo.toString());
        assertNotEquals(0, c.exit());
        assertTrue(c.err().contains("typo.yaml:3") && c.err().contains("unknown key 'workerz'"), c.err());
    }
}

package org.sparselab.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A 4-trial sweep over k with 2 workers (each trial its own JVM, started with this JVM's class path and the plugin
 * folder), its summary, and resuming after an interruption; then sweep files with mistakes.
 */
class SweepIT {

    @Test
    void sweepRunsResumesAndSummarises(@TempDir Path tmp) throws IOException {
        Path idx = tmp.resolve("idx");
        TestKit.writeIdx(idx, 300, 100);
        TestKit.runFile(tmp, "base", idx, tmp.resolve("unused"), "");
        // model.positive_weights is not in the base file: a valid parameter the sweep adds
        Path sweep = Files.writeString(tmp.resolve("sweep.yaml"), """
                name: k-sweep
                base: base.yaml
                workers: 2
                set: {training.epochs: 1, model.positive_weights: true}
                grid:
                  sparsifiers[0].k: [2, 4, 8, 16]
                metric: {split: test, name: accuracy}
                output: %s
                java_opts: -Xmx1g
                """.formatted(tmp.resolve("out")));
        String plugins = TestKit.pluginFolder().toString();
        Path dir = tmp.resolve("out/sweeps/k-sweep");
        TestKit.Cli dry = TestKit.cli("sweep", "--dry-run", "--plugins", plugins, sweep.toString());
        assertEquals(0, dry.exit(), dry.all());
        assertTrue(dry.out().contains("4 trials, all valid; 4 to run, 2 at once") && dry.out().contains("k=16"), dry.out());
        assertFalse(Files.exists(dir), "a dry run writes nothing");

        TestKit.Cli first = TestKit.cli("sweep", "--plugins", plugins, sweep.toString());
        assertEquals(0, first.exit(), first.all());
        for (String k : List.of("2", "4", "8", "16")) {
            List<Path> runs = TestKit.runFolders(dir.resolve("runs"), "k=" + k);
            assertEquals(1, runs.size(), "k=" + k);
            assertTrue(Files.exists(runs.get(0).resolve("summary.json")));
            String resolved = Files.readString(runs.get(0).resolve("config.resolved.yaml"));
            assertTrue(resolved.contains("k: " + k) && resolved.contains("positive_weights: true") && resolved.contains("epochs: 1"), resolved);
            assertTrue(Files.readString(dir.resolve("logs/k=" + k + ".log")).contains("run k=" + k + " finished"), "the trial's console output is in its log");
        }
        assertTrue(Files.readString(dir.resolve("trials/k=8.yaml")).contains("name: k=8"));
        List<String> csv = Files.readAllLines(dir.resolve("summary.csv"));
        assertEquals(5, csv.size(), String.join("\n", csv));
        assertTrue(csv.get(0).startsWith("trial,sparsifiers[0].k,status,rank,") && csv.get(0).contains("test.accuracy")
                && csv.get(0).contains("train_samples_per_second"), csv.get(0));
        assertTrue(csv.get(3).startsWith("k=8,8,finished,"), csv.get(3));
        String html = Files.readString(dir.resolve("summary.html"));
        assertTrue(html.contains("data:image/png;base64,") && html.contains("4 finished"), html);
        JsonNode state = new ObjectMapper().readTree(dir.resolve("sweep.json").toFile());
        assertEquals(4, state.path("counts").path("finished").asInt(), state.toString());
        assertTrue(first.out().contains("[4/4]") && first.out().contains("k=8: finished in"), first.out());
        assertTrue(first.out().contains("test accuracy") && first.out().contains("best: k="), first.out());

        // Interrupt one trial after the fact: its summary disappears, as if the sweep had been stopped during it.
        Path k8 = TestKit.runFolders(dir.resolve("runs"), "k=8").get(0);
        Files.delete(k8.resolve("summary.json"));
        TestKit.Cli status = TestKit.cli("sweep", "--dry-run", "--plugins", plugins, sweep.toString());
        assertTrue(status.out().contains("1 to run") && status.out().contains("interrupted"), status.out());
        TestKit.Cli second = TestKit.cli("sweep", "--plugins", plugins, sweep.toString());
        assertEquals(0, second.exit(), second.all());
        assertTrue(second.out().contains("4 trials, 3 finished earlier, 1 to run"), second.out());
        assertTrue(second.out().contains("k=2: finished earlier"), second.out());
        assertEquals(2, TestKit.runFolders(dir.resolve("runs"), "k=8").size(), "only the interrupted trial ran again, in a new folder");
        for (String k : List.of("2", "4", "16")) {
            assertEquals(1, TestKit.runFolders(dir.resolve("runs"), "k=" + k).size(), "k=" + k);
        }
        assertTrue(Files.readAllLines(dir.resolve("summary.csv")).get(3).startsWith("k=8,8,finished,"));
    }

    @Test
    void mistakesAreNamedBeforeAnythingRuns(@TempDir Path tmp) throws IOException {
        Path idx = tmp.resolve("idx");
        TestKit.writeIdx(idx, 100, 50);
        TestKit.runFile(tmp, "base", idx, tmp.resolve("unused"), "");
        String plugins = TestKit.pluginFolder().toString();
        String out = "output: " + tmp.resolve("out") + "\n";

        TestKit.Cli unknown = sweep(tmp, plugins, "unknown.yaml", "name: s\nbase: base.yaml\ngrid: {model.kk: [1, 2]}\n" + out);
        assertTrue(unknown.err().contains("unknown.yaml:3: grid key 'model.kk' = 1: unknown key 'model.kk'"), unknown.err());
        assertTrue(unknown.err().contains("accepts: [") && unknown.err().contains("units"), "the loader's list of parameters: " + unknown.err());

        TestKit.Cli list = sweep(tmp, plugins, "list.yaml", "name: s\nbase: base.yaml\ngrid:\n  sparsifiers[2].k: [1]\n" + out);
        assertTrue(list.err().contains("list.yaml:4: grid key 'sparsifiers[2].k' cannot be set in the base run file base.yaml")
                && list.err().contains("has 1 element in the base run file, so it has no element [2]"), list.err());

        TestKit.Cli scalar = sweep(tmp, plugins, "scalar.yaml", "name: s\nbase: base.yaml\nset:\n  model.units.x: 1\ngrid: {seed: [1]}\n" + out);
        assertTrue(scalar.err().contains("scalar.yaml:4: set key 'model.units.x'") && scalar.err().contains("not a map of keys"), scalar.err());

        TestKit.Cli typo = sweep(tmp, plugins, "typo.yaml", "name: s\nbase: base.yaml\nworkerz: 2\ngrid: {model.units: [8]}\n" + out);
        assertTrue(typo.err().contains("typo.yaml:3") && typo.err().contains("unknown key 'workerz'"), typo.err());

        TestKit.Cli range = sweep(tmp, plugins, "range.yaml", "name: s\nbase: base.yaml\ngrid:\n  sparsifiers[0].k: [8, 0]\n" + out);
        assertTrue(range.err().contains("range.yaml:4: grid key 'sparsifiers[0].k' = 0:") && range.err().contains("(trial k=0)"), range.err());

        // a mistake in the base run file itself is reported there
        Files.writeString(tmp.resolve("bad-base.yaml"), Files.readString(tmp.resolve("base.yaml"))
                .replace("units: 64", "unitz: 64"));
        TestKit.Cli base = sweep(tmp, plugins, "base-error.yaml", "name: s\nbase: bad-base.yaml\ngrid: {seed: [1, 2]}\n" + out);
        assertTrue(base.err().contains("bad-base.yaml:6") && base.err().contains("unknown key 'model.unitz'"), base.err());

        assertFalse(Files.exists(tmp.resolve("out")), "nothing was written");
    }

    private static TestKit.Cli sweep(Path dir, String plugins, String name, String yaml) throws IOException {
        Path f = Files.writeString(dir.resolve(name), yaml);
        TestKit.Cli c = TestKit.cli("sweep", "--plugins", plugins, f.toString());
        assertNotEquals(0, c.exit(), c.all());
        return c;
    }
}

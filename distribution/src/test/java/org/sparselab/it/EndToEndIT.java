package org.sparselab.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Run files through the CLI, in-process, against the plugin folder. */
class EndToEndIT {
    @TempDir
    static Path tmp;
    static Path idx;

    @BeforeAll
    static void data() throws IOException {
        idx = tmp.resolve("idx");
        TestKit.writeIdx(idx, 600, 200);
    }

    @Test
    void runWritesEveryFileAndTheSameSeedGivesTheSameMetricsBytes() throws IOException {
        Path out = tmp.resolve("out");
        Path cfg = TestKit.runFile(tmp, "twice", idx, out, "");
        TestKit.Cli first = TestKit.cli("run", "--plain", "--plugins", TestKit.pluginFolder().toString(), cfg.toString());
        assertEquals(0, first.exit(), first.all());
        TestKit.Cli second = TestKit.cli("run", "--plain", "--plugins", TestKit.pluginFolder().toString(), cfg.toString());
        assertEquals(0, second.exit(), second.all());
        List<Path> runs = TestKit.runFolders(out, "twice");
        assertEquals(2, runs.size(), "each run gets its own folder");
        assertNotEquals(runs.get(0), runs.get(1));
        for (Path r : runs) {
            for (String f : List.of("config.resolved.yaml", "provenance.json", "metrics.jsonl", "metrics.csv", "run.log",
                    "model/parameters.npz", "checkpoints/epoch-0001.npz", "checkpoints/epoch-0002.npz", "summary.json")) {
                assertTrue(Files.isRegularFile(r.resolve(f)), r + " lacks " + f);
            }
            assertFalse(Files.exists(r.resolve("RUNNING")));
        }
        assertArrayEquals(Files.readAllBytes(runs.get(0).resolve("metrics.jsonl")), Files.readAllBytes(runs.get(1).resolve("metrics.jsonl")),
                "same seed and config must give identical metrics");
        ObjectMapper m = new ObjectMapper();
        List<String> lines = Files.readAllLines(runs.get(0).resolve("metrics.jsonl"));
        assertEquals(5, lines.size(), "train+val for 2 epochs, then test: " + lines);
        JsonNode test = m.readTree(lines.get(4));
        assertEquals("test", test.get("split").asText());
        assertTrue(test.get("accuracy").asDouble() > 0.5, "tiny bar data is easy: " + test);
        assertTrue(test.get("active_fraction").asDouble() <= 8.0 / 64 + 1e-9);
        assertTrue(test.has("dead_units"));
        JsonNode summary = m.readTree(runs.get(0).resolve("summary.json").toFile());
        JsonNode arrays = summary.get("native_arrays_per_epoch");
        assertEquals(2, arrays.size());
        assertEquals(arrays.get(0).asInt(), arrays.get(1).asInt(), "native arrays held by the run stay flat across epochs: " + arrays);
        JsonNode prov = m.readTree(runs.get(0).resolve("provenance.json").toFile());
        assertEquals("PyTorch", prov.at("/engine/name").asText());
        assertTrue(prov.at("/plugins").has("sdm-topk"));
        assertEquals(64, prov.at("/data_fingerprint").asText().length());
        assertTrue(first.out().contains("accuracy"), first.out());
        String resolved = Files.readString(runs.get(0).resolve("config.resolved.yaml"));
        assertTrue(resolved.contains("norm_addresses: true"), "defaults are written out: " + resolved);
    }

    @Test
    void aDifferentSeedGivesDifferentMetrics() throws IOException {
        Path out = tmp.resolve("seeds");
        Path a = TestKit.runFile(tmp, "seed-a", idx, out, "");
        Files.writeString(a, Files.readString(a).replace("seed: 7", "seed: 8").replace("epochs: 2", "epochs: 1"));
        Path b = TestKit.runFile(tmp, "seed-b", idx, out, "");
        Files.writeString(b, Files.readString(b).replace("epochs: 2", "epochs: 1"));
        assertEquals(0, TestKit.cli("run", "--plain", "--plugins", TestKit.pluginFolder().toString(), a.toString()).exit());
        assertEquals(0, TestKit.cli("run", "--plain", "--plugins", TestKit.pluginFolder().toString(), b.toString()).exit());
        byte[] ma = Files.readAllBytes(TestKit.runFolders(out, "seed-a").get(0).resolve("metrics.jsonl"));
        byte[] mb = Files.readAllBytes(TestKit.runFolders(out, "seed-b").get(0).resolve("metrics.jsonl"));
        assertFalse(java.util.Arrays.equals(ma, mb));
    }

    @Test
    void pluginsCommandListsEveryPluginWithParametersAndDefaults() {
        TestKit.Cli c = TestKit.cli("plugins", "--plugins", TestKit.pluginFolder().toString());
        assertEquals(0, c.exit(), c.all());
        for (String s : List.of("plugin sdm-topk", "plugin topk", "plugin mnist", "plugin synthetic-sparse", "plugin metrics-core",
                "model 'sdm-topk'", "sparsifier 'topk'", "dataset 'mnist'", "metric 'dead_units'", "norm_addresses", "val_size")) {
            assertTrue(c.out().contains(s), "missing '" + s + "' in\n" + c.out());
        }
        assertTrue(c.out().matches("(?s).*units\\s+Integer\\s+default 1000.*"), c.out());
    }

    @Test
    void helpWorksOnEveryCommand() {
        for (String[] args : List.of(new String[]{"--help"}, new String[]{"run", "--help"}, new String[]{"validate", "--help"},
                new String[]{"plugins", "--help"}, new String[]{"data", "--help"}, new String[]{"data", "fetch", "--help"})) {
            TestKit.Cli c = TestKit.cli(args);
            assertEquals(0, c.exit(), String.join(" ", args) + ": " + c.all());
            assertTrue(c.out().contains("Usage:"), c.out());
        }
    }
}

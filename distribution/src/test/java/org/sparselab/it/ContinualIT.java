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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A class-incremental run (5 tasks of 2 classes) on tiny data, through the CLI. */
class ContinualIT {
    @Test
    void splitTasksAreTrainedInTurnAndBookkept(@TempDir Path tmp) throws IOException {
        Path idx = tmp.resolve("idx");
        TestKit.writeIdx(idx, 500, 200);
        Path cfg = TestKit.runFile(tmp, "cl", idx, tmp.resolve("out"), "continual: {split: 5, epochs_per_task: 2}");
        TestKit.Cli c = TestKit.cli("run", "--plain", "--plugins", TestKit.pluginFolder().toString(), cfg.toString());
        assertEquals(0, c.exit(), c.all());
        Path run = TestKit.runFolders(tmp.resolve("out"), "cl").get(0);
        JsonNode cl = new ObjectMapper().readTree(run.resolve("continual.json").toFile());
        assertEquals(5, cl.get("accuracy_matrix").size());
        assertEquals(2, cl.get("epochs_per_task").asInt());
        assertTrue(cl.get("accuracy_matrix").get(0).get(1).isNull() || cl.get("accuracy_matrix").get(0).get(1).asText().equals("NaN"),
                "task 1 is unseen after task 0");
        double fin = cl.get("final_cl_accuracy").asDouble();
        assertTrue(fin > 0 && fin <= 1, cl.toString());
        List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
        long continualRows = lines.stream().filter(l -> l.contains("\"split\":\"continual\"")).count();
        assertEquals(10, continualRows, "one continual row per epoch: 5 tasks x 2 epochs");
        assertTrue(lines.stream().anyMatch(l -> l.contains("task4_accuracy")));
        JsonNode summary = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
        assertTrue(summary.has("continual"));
    }

    @Test
    void ewcConsolidatesBetweenTasks(@TempDir Path tmp) throws IOException {
        Path idx = tmp.resolve("idx");
        TestKit.writeIdx(idx, 500, 200);
        Path cfg = TestKit.runFile(tmp, "ewc", idx, tmp.resolve("out"),
                "continual: {split: 5, epochs_per_task: 1, regularizer: {id: ewc, importance: 100, fisher_batches: 2, fisher_batch_size: 64}}");
        TestKit.Cli c = TestKit.cli("run", "--plain", "--plugins", TestKit.pluginFolder().toString(), cfg.toString());
        assertEquals(0, c.exit(), c.all());
        Path run = TestKit.runFolders(tmp.resolve("out"), "ewc").get(0);
        JsonNode cl = new ObjectMapper().readTree(run.resolve("continual.json").toFile());
        assertEquals("ewc", cl.get("regularizer").asText());
        assertTrue(Files.readString(run.resolve("run.log")).contains("ewc consolidated"));
    }

    @Test
    void startsFromAPretrainedRunWithAFreshHead(@TempDir Path tmp) throws IOException {
        Path idx = tmp.resolve("idx");
        TestKit.writeIdx(idx, 300, 100);
        Path pre = TestKit.runFile(tmp, "pre", idx, tmp.resolve("out"), "");
        assertEquals(0, TestKit.cli("run", "--plain", "--plugins", TestKit.pluginFolder().toString(), pre.toString()).exit());
        Path preRun = TestKit.runFolders(tmp.resolve("out"), "pre").get(0);
        Path cfg = TestKit.runFile(tmp, "from-pre", idx, tmp.resolve("out"),
                "continual: {split: 2, epochs_per_task: 1, pretrained: " + preRun + "}");
        TestKit.Cli c = TestKit.cli("run", "--plain", "--plugins", TestKit.pluginFolder().toString(), cfg.toString());
        assertEquals(0, c.exit(), c.all());
        Path run = TestKit.runFolders(tmp.resolve("out"), "from-pre").get(0);
        assertTrue(Files.readString(run.resolve("run.log")).contains("started from " + preRun), "pretrained parameters loaded");
        Path bad = TestKit.runFile(tmp, "bad-pre", idx, tmp.resolve("out"), "continual: {split: 2, pretrained: " + tmp.resolve("nothing") + "}");
        TestKit.Cli b = TestKit.cli("run", "--plain", "--plugins", TestKit.pluginFolder().toString(), bad.toString());
        assertTrue(b.exit() != 0 && b.err().contains("no model/parameters.npz"), b.all());
    }
}

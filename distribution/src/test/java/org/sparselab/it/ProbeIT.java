package org.sparselab.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tribuo probes at the end of a run and on a finished run, with the verified encoder → probe pipeline. */
class ProbeIT {
    @Test
    void probeTablesModelsAndPipeline(@TempDir Path tmp) throws IOException {
        Path idx = tmp.resolve("idx");
        TestKit.writeIdx(idx, 400, 100);
        Path cfg = TestKit.runFile(tmp, "probe", idx, tmp.resolve("out"),
                "evaluate: [{id: probe, k_per_class: [1, 5, all], seeds: 2}]");
        TestKit.Cli c = TestKit.cli("run", "--plain", "--plugins", TestKit.pluginFolder().toString(), cfg.toString());
        assertEquals(0, c.exit(), c.all());
        Path run = TestKit.runFolders(tmp.resolve("out"), "probe").get(0);
        for (String f : new String[]{"probe/probe.json", "probe/probe.csv", "probe/probe.md", "probe/probe-codes.tribuo",
                "probe/probe-raw.tribuo", "probe/confusion-codes.txt", "probe/confusion-codes.json", "probe/probe-codes.onnx",
                "export/pipeline.onnx", "export/check.json"}) {
            assertTrue(Files.isRegularFile(run.resolve(f)), "missing " + f);
        }
        JsonNode probe = new ObjectMapper().readTree(run.resolve("probe/probe.json").toFile());
        assertEquals(6, probe.get("cells").size(), "3 K values x (codes, raw)");
        JsonNode all = probe.get("cells").get(2);
        assertEquals("codes", all.get("features").asText());
        assertEquals("all", all.get("k").asText());
        assertEquals(300, all.get("train_samples").asInt());
        assertTrue(all.get("mean").asDouble() > 0.5, all.toString());
        assertEquals(50, probe.get("cells").get(1).get("train_samples").asInt(), "K = 5 of each of 10 classes");
        JsonNode check = new ObjectMapper().readTree(run.resolve("export/check.json").toFile());
        JsonNode pipe = check.get("checks").get(check.get("checks").size() - 1);
        assertEquals("pipeline.onnx", pipe.get("file").asText());
        assertTrue(pipe.get("passed").asBoolean(), pipe.toString());
        assertTrue(pipe.get("class_agreement").asDouble() >= 0.999);

        TestKit.Cli again = TestKit.cli("probe", "--plugins", TestKit.pluginFolder().toString(), "--k", "2,all", "--seeds", "1", run.toString());
        assertEquals(0, again.exit(), again.all());
        assertTrue(again.out().contains("| 2 |") && again.out().contains("| all |") && again.out().contains("passed"), again.out());
    }
}

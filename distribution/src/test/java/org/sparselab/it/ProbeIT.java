package org.sparselab.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tribuo probes at the end of a run and on a finished run, with the verified probe-codes.onnx and encoder → probe pipeline. */
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
                "probe/probe-raw.tribuo", "probe/confusion-codes.txt", "probe/confusion-codes.json", "probe/confusion-raw.json",
                "probe/probe-codes.onnx", "export/pipeline.onnx", "export/check.json"}) {
            assertTrue(Files.isRegularFile(run.resolve(f)), "missing " + f);
        }
        ObjectMapper json = new ObjectMapper();
        JsonNode probe = json.readTree(run.resolve("probe/probe.json").toFile());
        assertEquals(6, probe.get("cells").size(), "3 K values x (codes, raw)");
        JsonNode all = probe.get("cells").get(2);
        assertEquals("codes", all.get("features").asText());
        assertEquals("all", all.get("k").asText());
        assertEquals(300, all.get("train_samples").asInt());
        assertEquals(2, all.get("accuracies").size());
        assertTrue(all.get("mean").asDouble() > 0.5, all.toString());
        assertEquals(50, probe.get("cells").get(1).get("train_samples").asInt(), "K = 5 of each of 10 classes");
        assertEquals(64, probe.at("/feature_widths/codes").asInt());
        assertEquals(784, probe.at("/feature_widths/raw").asInt());
        assertEquals("all", probe.at("/models/codes/k").asText());
        assertTrue(probe.at("/onnx_check/passed").asBoolean(), probe.get("onnx_check").toString());
        assertEquals("CPU", probe.at("/onnx_check/provider").asText());
        assertEquals("logistic", probe.get("trainer").asText());
        assertTrue(probe.at("/trainer_provenance/class-name").asText().endsWith("LinearSGDTrainer"), probe.get("trainer_provenance").toString());

        JsonNode summary = json.readTree(run.resolve("summary.json").toFile());
        assertEquals(all.get("mean").asDouble(), summary.at("/probe/codes_kall").asDouble(), 1e-12);
        assertTrue(summary.at("/probe").has("raw_kall"));
        assertEquals("passed", summary.at("/probe/probe_codes_onnx").asText());
        assertEquals("passed", summary.at("/probe/pipeline_onnx").asText());

        JsonNode check = json.readTree(run.resolve("export/check.json").toFile());
        JsonNode pipe = check.get("checks").get(check.get("checks").size() - 1);
        assertEquals("pipeline.onnx", pipe.get("file").asText());
        assertTrue(pipe.get("passed").asBoolean(), pipe.toString());
        assertTrue(pipe.get("class_agreement").asDouble() >= 0.999);
        assertTrue(check.toString().contains("\"probe-codes.onnx\""), "the probe's own ONNX check sits beside the pipeline's: " + check);
        assertTrue(Files.readString(run.resolve("report.html")).contains("Downstream classification"), "the report shows the table");

        // The command on the finished run: other options, the table printed, files rewritten.
        TestKit.Cli again = TestKit.cli("probe", "--plugins", TestKit.pluginFolder().toString(), "--k", "2,all", "--seeds", "1",
                "--trainer", "sgd-linear", "--no-raw", run.toString());
        assertEquals(0, again.exit(), again.all());
        assertTrue(again.out().contains("| K per class | codes (mean ± std, 1 seed) |"), again.out());
        assertTrue(again.out().contains("| 2 |") && again.out().contains("| all |"), again.out());
        assertTrue(again.out().contains("probe-codes.onnx: passed") && again.out().contains("pipeline.onnx: passed"), again.out());
        JsonNode second = json.readTree(run.resolve("probe/probe.json").toFile());
        assertEquals("sgd-linear", second.get("trainer").asText());
        assertEquals(2, second.get("cells").size());
        assertNotEquals(probe.at("/trainer_provenance/objective/class-name"), second.at("/trainer_provenance/objective/class-name"));

        TestKit.Cli bad = TestKit.cli("probe", "--plugins", TestKit.pluginFolder().toString(), "--k", "0", run.toString());
        assertNotEquals(0, bad.exit());
        assertTrue(bad.err().contains("k_per_class"), bad.all());

        TestKit.Cli plugins = TestKit.cli("plugins", "--plugins", TestKit.pluginFolder().toString());
        assertTrue(plugins.out().contains("k_per_class") && plugins.out().contains("max_train_all"), plugins.out());
    }
}

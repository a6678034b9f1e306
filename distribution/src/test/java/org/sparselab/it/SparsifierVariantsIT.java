package org.sparselab.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every Top-K variant of the topk plugin, on both gradient models of the sdm-topk plugin, trains through the
 * CLI and exports to ONNX in its inference form, verified with ONNX Runtime (issue 4, acceptance 3).
 */
class SparsifierVariantsIT {
    @TempDir
    static Path tmp;
    static Path idx;

    @BeforeAll
    static void data() throws IOException {
        idx = tmp.resolve("idx");
        TestKit.writeIdx(idx, 300, 100);
    }

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource(delimiter = '|', value = {
            "{id: topk, k: 8, mode: mask, schedule: linear_decay}|sdm-topk",
            "{id: topk, k: 8, mode: subtract}|relu-ffn",
            "{id: gaba-switch, k: 8, threshold: 500}|sdm-topk",
            "{id: gaba-switch, k: 8, threshold: 50, counting: summed}|relu-ffn",
            "{id: learned-bias, init: -0.1}|relu-ffn",
            "{id: learned-k-sigmoid, init: 10}|sdm-topk",
            "{id: learned-k-reinforce, mu: 2.5, sigma: 0.5}|sdm-topk",
            "{id: learned-k-reinforce, mu: 2.0, baseline: true}|relu-ffn"})
    void trainsAndExportsVerified(String sparsifier, String model) throws IOException {
        String name = (model + "-" + sparsifier.replaceAll("[^a-z0-9]+", "-")).replaceAll("-+$", "");
        Path cfg = tmp.resolve(name + ".yaml");
        String modelLine = model.equals("sdm-topk")
                ? "{id: sdm-topk, units: 64, task: classification}"
                : "{id: relu-ffn, hidden: [64], task: classification}";
        Files.writeString(cfg, """
                name: %s
                seed: 3
                output: %s
                dataset: {id: mnist, root: %s, val_size: 50}
                model: %s
                sparsifiers: [%s]
                metrics: [accuracy, active_fraction]
                training: {epochs: 2, batch_size: 32, optimizer: {id: adam, lr: 0.003}}
                evaluate: [export]
                """.formatted(name, tmp.resolve("out"), idx, modelLine, sparsifier));
        TestKit.Cli c = TestKit.cli("run", "--plain", "--plugins", TestKit.pluginFolder().toString(), cfg.toString());
        assertEquals(0, c.exit(), c.all());
        Path run = TestKit.runFolders(tmp.resolve("out"), name).get(0);
        JsonNode check = new ObjectMapper().readTree(run.resolve("export/check.json").toFile());
        assertTrue(check.get("passed").asBoolean(), check.toString());
        for (JsonNode ch : check.get("checks")) {
            assertTrue(ch.get("max_abs_diff").asDouble() <= 1e-4, ch.toString());
        }
    }
}

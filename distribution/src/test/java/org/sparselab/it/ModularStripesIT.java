package org.sparselab.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The modular stripes autoencoder from the real plugin jars (issue 5): every layer and stripe mode in both
 * behaviours trains through the CLI, logs the repository's scalars and, where an inference form exists, exports a
 * verified encoder; the repository's hyperparameters_config.json expands to its 45 trials.
 */
class ModularStripesIT {
    @TempDir
    static Path tmp;
    static Path idx;

    @BeforeAll
    static void data() throws IOException {
        idx = tmp.resolve("idx");
        TestKit.writeIdx(idx, 240, 80);
    }

    @ParameterizedTest(name = "{0}/{1} {2}")
    @CsvSource({
            "none, routing, corrected, true",
            "none, routing, faithful, false",
            "ordinary, ordinary, corrected, true",
            "lifetime, routing, corrected, true",
            "boosted, ordinary, corrected, true",
            "boosted, none, faithful, false"})
    void trainsLogsAndExports(String layer, String stripes, String behaviour, boolean exportable) throws IOException {
        String name = "msa-" + layer + "-" + stripes + "-" + behaviour;
        Path cfg = tmp.resolve(name + ".yaml");
        Files.writeString(cfg, """
                name: %s
                seed: 5
                output: %s
                dataset: {id: mnist, root: %s, val_size: 40, normalize: scale}
                model: {id: modular-stripes, intermediate_dim: 32, stripe_dim: 3, num_stripes: 8, num_active_neurons: 6,
                        num_active_stripes: 2, layer_sparsity_mode: %s, stripe_sparsity_mode: %s, behaviour: %s,
                        routing_l1_regularization: 0.001, active_stripes_per_batch: 0.5}
                metrics: [mse, dead_units, {id: stripe_usage, stripes: 8, per_class: true}]
                training: {epochs: 2, batch_size: 8, optimizer: {id: sgdm, lr: 0.01, momentum: 0.9}}
                evaluate: [%s]
                """.formatted(name, tmp.resolve("out"), idx, layer, stripes, behaviour, exportable ? "export" : ""));
        TestKit.Cli c = TestKit.cli("run", "--plain", "--plugins", TestKit.pluginFolder().toString(), cfg.toString());
        assertEquals(0, c.exit(), c.all());
        Path run = TestKit.runFolders(tmp.resolve("out"), name).get(0);
        String metrics = Files.readString(run.resolve("metrics.jsonl"));
        assertTrue(metrics.contains("\"train_loss_repo\"") && metrics.contains("\"active_stripes\"")
                && metrics.contains("\"stripe_diversity\"") && metrics.contains("\"stripe7.class9\""), metrics);
        assertTrue(Files.isRegularFile(run.resolve("plots/average_activations.csv")), "the class x stripe x unit tensor is saved");
        if (exportable) {
            JsonNode check = new ObjectMapper().readTree(run.resolve("export/check.json").toFile());
            assertTrue(check.get("passed").asBoolean(), check.toString());
        }
    }

    @Test
    void aFaithfulRandomEvaluationCannotBeExportedAndSaysWhy() throws IOException {
        Path cfg = tmp.resolve("msa-noexport.yaml");
        Files.writeString(cfg, """
                name: msa-noexport
                output: %s
                dataset: {id: mnist, root: %s, val_size: 40}
                model: {id: modular-stripes, intermediate_dim: 16, stripe_dim: 2, num_stripes: 4, num_active_stripes: 1, behaviour: faithful}
                training: {epochs: 1, batch_size: 8}
                evaluate: [export]
                """.formatted(tmp.resolve("out"), idx));
        TestKit.Cli c = TestKit.cli("run", "--plain", "--plugins", TestKit.pluginFolder().toString(), cfg.toString());
        assertTrue(c.exit() != 0, c.all());
        assertTrue(c.err().contains("has no ONNX form"), c.all());

        // A probe of such a model still runs; only its deployment pipeline (encoder -> probe) is skipped, with a reason.
        Path probe = tmp.resolve("msa-probe.yaml");
        Files.writeString(probe, Files.readString(cfg).replace("name: msa-noexport", "name: msa-probe").replace("evaluate: [export]", "evaluate: [probe]"));
        TestKit.Cli p = TestKit.cli("run", "--plain", "--plugins", TestKit.pluginFolder().toString(), probe.toString());
        assertEquals(0, p.exit(), p.all());
        Path run = TestKit.runFolders(tmp.resolve("out"), "msa-probe").get(0);
        String summary = Files.readString(run.resolve("summary.json"));
        assertTrue(summary.contains("skipped: the model (or one of its sparsifiers) has no ONNX encoder"), summary);
    }

    @Test
    void theRepositorysTuningGridExpandsToItsFortyFiveTrials() {
        Path grid = TestKit.repo().resolve("runs/modular-stripes/sweeps/original/hyperparameters_config.json");
        TestKit.Cli c = TestKit.cli("sweep", "--dry-run", "--plugins", TestKit.pluginFolder().toString(), "--output", tmp.resolve("sw").toString(),
                grid.toString());
        assertEquals(0, c.exit(), c.all());
        assertTrue(c.out().startsWith("45 trials, all valid"), c.all());
        assertTrue(c.out().contains("stripe_dim=12,num_active_neurons=45,num_active_stripes=9"), c.all());
    }
}

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
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Net fragments end to end from the plugin jars: the shipped configs validate, the published config (2 epochs on
 * fewer lines) trains through `sparselab run` with a verified ONNX export, `sparselab fragments sweep` writes
 * results, table, plots and baselines, and `fragments evaluate` on a stored baseline reproduces a sweep line.
 */
class NetFragmentsIT {
    @TempDir
    static Path tmp;
    static Path run;

    @BeforeAll
    static void train() throws IOException {
        String text = Files.readString(TestKit.repo().resolve("runs/net-fragments/net-fragments.yaml"))
                .replace("epochs: 100", "epochs: 2")
                .replace("train_size: 300", "train_size: 60")
                .replace("test_size: 60", "test_size: 20")
                .replace("name: net-fragments", "name: nf-it\noutput: " + tmp.resolve("out"))
                + "\nevaluate: [export]\n";
        Path cfg = tmp.resolve("nf.yaml");
        Files.writeString(cfg, text);
        TestKit.Cli c = TestKit.cli("run", "--plain", "--plugins", TestKit.pluginFolder().toString(), cfg.toString());
        assertEquals(0, c.exit(), c.all());
        run = TestKit.runFolders(tmp.resolve("out"), "nf-it").get(0);
    }

    @Test
    void shippedConfigsValidate() throws IOException {
        try (Stream<Path> s = Files.list(TestKit.repo().resolve("runs/net-fragments"))) {
            List<Path> configs = s.filter(p -> p.getFileName().toString().matches("(train_v\\d|net-fragments)\\.yaml")).sorted().toList();
            assertEquals(6, configs.size(), configs.toString());
            for (Path p : configs) {
                TestKit.Cli c = TestKit.cli("validate", "--plugins", TestKit.pluginFolder().toString(), p.toString());
                assertEquals(0, c.exit(), p + ": " + c.all());
            }
        }
    }

    @Test
    void trainsWithoutGradientsAndExportsAVerifiedGraph() throws IOException {
        JsonNode check = new ObjectMapper().readTree(run.resolve("export/check.json").toFile());
        assertTrue(check.get("passed").asBoolean(), check.toString());
        assertTrue(Files.isRegularFile(run.resolve("model/parameters.npz")));
        assertTrue(Files.isRegularFile(run.resolve("plots/lateral-weights.png")));
        assertTrue(Files.isRegularFile(run.resolve("plots/frames-test-0.png")));
        String metrics = Files.readString(run.resolve("metrics.jsonl"));
        assertTrue(metrics.contains("S2/weight_above_0.9") && metrics.contains("S2/avg_support_active"), metrics);
    }

    @Test
    void sweepThenEvaluateOnTheStoredBaseline() throws IOException {
        Path grid = tmp.resolve("grid.yaml");
        Files.writeString(grid, """
                samples: 20
                act_thresholds: [0.3, 0.5]
                square_factors:
                  - [1.2, 1.4, 1.6, 1.8, 2.0, 2.2]
                noise: [0.0, 0.1]
                line_interrupt: [3]
                """);
        Path out = tmp.resolve("sweep");
        TestKit.Cli c = TestKit.cli("fragments", "--plugins", TestKit.pluginFolder().toString(), "sweep", run.toString(),
                "--grid", grid.toString(), "--out", out.toString(), "--frames", "1");
        assertEquals(0, c.exit(), c.all());
        List<String> lines = Files.readAllLines(out.resolve("results.jsonl"));
        assertEquals(6, lines.size(), lines.toString());
        ObjectMapper json = new ObjectMapper();
        JsonNode noisy = null;
        for (String l : lines) {
            JsonNode r = json.readTree(l);
            if (r.get("line_interrupt").asInt() == 3) {
                double gap = r.get("avg_line_recon_accuracy_meter").asDouble();
                assertTrue(gap >= 0 && gap <= 1, l);
            }
            if (r.get("noise").asDouble() == 0.1 && r.get("act_threshold").asDouble() == 0.5) {
                noisy = r;
                assertTrue(r.get("noise_reduction").asDouble() > 0.5, l);
            }
        }
        try (Stream<Path> s = Files.list(out.resolve("plots"))) {
            assertEquals(6, s.filter(p -> p.toString().endsWith(".png")).count(), "six figures for the one γ schedule");
        }
        assertTrue(Files.readString(out.resolve("table.md")).contains("| 0.5 | 1.2+0.2t |"));
        Path baseline = out.resolve("baselines/th-0.5_sf-1.2-2.2");
        assertTrue(Files.isRegularFile(baseline.resolve("outputs.npy")));
        assertTrue(Files.isDirectory(out.resolve("frames")));

        Path again = tmp.resolve("again");
        TestKit.Cli e = TestKit.cli("fragments", "--plugins", TestKit.pluginFolder().toString(), "evaluate", run.toString(),
                "--load-baseline", baseline.toString(), "--act-threshold", "0.5", "--square-factor", "1.2,1.4,1.6,1.8,2.0,2.2",
                "--noise", "0.1", "--samples", "20", "--out", again.toString());
        assertEquals(0, e.exit(), e.all());
        JsonNode single = json.readTree(Files.readAllLines(again.resolve("results.jsonl")).get(0));
        assertEquals(noisy.toString(), single.toString(), "same seeds, same baseline: the same result");

        TestKit.Cli other = TestKit.cli("fragments", "--plugins", TestKit.pluginFolder().toString(), "evaluate", run.toString(),
                "--load-baseline", baseline.toString(), "--act-threshold", "0.3", "--square-factor", "1.2,1.4,1.6,1.8,2.0,2.2",
                "--samples", "20", "--out", tmp.resolve("other").toString());
        assertTrue(other.exit() != 0 && other.err().contains("is the baseline of th-0.5_sf-1.2-2.2"), other.all());

        TestKit.Cli reuse = TestKit.cli("fragments", "--plugins", TestKit.pluginFolder().toString(), "evaluate", run.toString(),
                "--out", again.toString());
        assertEquals(2, reuse.exit(), reuse.all());
        assertTrue(reuse.err().contains("already holds files"), reuse.all());

        Path bad = tmp.resolve("bad.yaml");
        Files.writeString(bad, "samples: 20\nthresholds: [0.5]\n");
        TestKit.Cli b = TestKit.cli("fragments", "--plugins", TestKit.pluginFolder().toString(), "sweep", run.toString(), "--grid", bad.toString());
        assertEquals(2, b.exit(), b.all());
        assertTrue(b.err().contains("bad.yaml") && b.err().contains("thresholds") && b.err().contains("act_thresholds"), b.all());
    }
}

package org.sparselab.core.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparselab.core.util.Json;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SweepSummaryTest {
    @TempDir
    Path dir;

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G'};

    @Test
    void tableCsvHtmlAndStateFromRunFolders() throws IOException {
        SweepRunner.Plan plan = SweepFixtures.plan(dir, "sparsifiers[0].k", 5, 10, 20, 50);
        List<Trial> t = plan.trials();
        SweepFixtures.finished(plan, t.get(0), 0.90);
        SweepFixtures.finished(plan, t.get(1), 0.95);
        SweepFixtures.failed(plan, t.get(2), "java.lang.OutOfMemoryError: Java heap space");
        SweepSummary.write(plan, Map.of());

        List<String> csv = Files.readAllLines(plan.dir().resolve("summary.csv"));
        assertEquals("trial,sparsifiers[0].k,status,rank,train.accuracy,train.loss,val.accuracy,val.loss,test.accuracy,test.loss,"
                + "train_samples_per_second,seconds,attempts,run_folder", csv.get(0));
        assertTrue(csv.get(1).startsWith("k=5,5,finished,2,0.9,0.5,0.89,0.6,0.88,0.7,1234.5,61.2,1,"), csv.get(1));
        assertTrue(csv.get(2).startsWith("k=10,10,finished,1,0.95,"), csv.get(2));
        assertTrue(csv.get(3).startsWith("k=20,20,failed (partial),,0.3,0.5,,,,,,,1,"), csv.get(3));
        assertEquals("k=50,50,pending,,,,,,,,,,0,", csv.get(4));

        String html = Files.readString(plan.dir().resolve("summary.html"));
        assertTrue(html.contains("<img alt=\"accuracy by trial\" src=\"data:image/png;base64,"), "the plot is embedded");
        assertTrue(html.contains("<tr class=\"best\"><td class=\"num\">1</td><td>k=10</td>"), html);
        assertTrue(html.contains("title=\"java.lang.OutOfMemoryError: Java heap space\""), "the failure reason is shown");
        assertTrue(html.contains("2 finished, 1 failed, 1 pending"), html);
        byte[] png = Files.readAllBytes(plan.dir().resolve("comparison.png"));
        assertArrayEquals(PNG, java.util.Arrays.copyOf(png, 4));

        JsonNode state = Json.mapper().readTree(plan.dir().resolve("sweep.json").toFile());
        assertEquals("s", state.path("sweep").asText());
        assertEquals(List.of("finished", "finished", "failed", "pending"),
                List.of(0, 1, 2, 3).stream().map(i -> state.path("trials").get(i).path("status").asText()).toList());
        assertEquals(5, state.path("trials").get(0).path("values").path("sparsifiers[0].k").asInt());
        assertEquals("java.lang.OutOfMemoryError: Java heap space", state.path("trials").get(2).path("reason").asText());
        assertTrue(state.path("trials").get(3).path("run_folder").isNull());

        StringWriter console = new StringWriter();
        SweepSummary.print(plan, new PrintWriter(console));
        String text = console.toString();
        assertTrue(text.contains("  rank  trial  status    train accuracy  val accuracy  test accuracy  samples/s"), text);
        assertTrue(text.contains("     1  k=10   finished          0.9500        0.9400         0.9300      1,235"), text);
        assertTrue(text.contains("best: k=10 (test accuracy 0.9300)"), text);
    }

    @Test
    void severalKeysGiveABarChartAndQuotedIds() throws IOException {
        SweepSpec spec = new SweepSpec(Files.writeString(dir.resolve("s2.yaml"), "x"), "two",
                new SweepSpec.BaseRun(dir.resolve("base.yaml"), "name: b\n"), 1, "-Xmx1g", null, new SweepSpec.Metric("val", "accuracy", "max"),
                List.of(), List.of(SweepPlanTest.axis("model.units", 100, 200), SweepPlanTest.axis("training.optimizer.id", "sgd", "adam")), null);
        SweepRunner.Plan plan = SweepFixtures.plan(dir, spec);
        SweepFixtures.finished(plan, plan.trials().get(0), 0.8);
        SweepFixtures.finished(plan, plan.trials().get(3), 0.85);
        SweepSummary.write(plan, Map.of());
        List<String> csv = Files.readAllLines(plan.dir().resolve("summary.csv"));
        assertTrue(csv.get(0).startsWith("trial,model.units,training.optimizer.id,status"), csv.get(0));
        assertTrue(csv.get(1).startsWith("\"units=100,id=sgd\",100,sgd,finished,2,"), csv.get(1));
        assertTrue(csv.get(4).startsWith("\"units=200,id=adam\",200,adam,finished,1,"), csv.get(4));
        assertTrue(Files.size(plan.dir().resolve("comparison.png")) > 1000);
    }

    @Test
    void aMetricNoTrialReportsIsPointedOut() throws IOException {
        SweepSpec spec = new SweepSpec(Files.writeString(dir.resolve("s3.yaml"), "x"), "three",
                new SweepSpec.BaseRun(dir.resolve("base.yaml"), "name: b\n"), 1, "-Xmx1g", null, new SweepSpec.Metric("test", "acuracy", "max"),
                List.of(), List.of(SweepPlanTest.axis("seed", 1)), null);
        SweepRunner.Plan plan = SweepFixtures.plan(dir, spec);
        SweepFixtures.finished(plan, plan.trials().get(0), 0.8);
        StringWriter console = new StringWriter();
        SweepSummary.print(plan, new PrintWriter(console));
        assertTrue(console.toString().contains("warning: no finished trial reports test acuracy (the sweep file's metric); they report [train.accuracy,"),
                console.toString());
    }
}

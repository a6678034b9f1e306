package org.sparselab.core.report;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparselab.api.Task;
import org.sparselab.api.data.ArraySplit;
import org.sparselab.api.data.Batch;
import org.sparselab.api.data.DataSpec;
import org.sparselab.api.model.StepOutput;
import org.sparselab.api.model.TrainableModel;
import org.sparselab.api.plot.FigureContext;
import org.sparselab.api.plot.Figures;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** report.html and plots/ from a run folder's files and a small model, including what is missing or broken. */
class RunReportTest {
    static final int H = 8;
    static final int W = 8;
    static final int DIM = H * W;
    static final int UNITS = 12;

    NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /**
     * A tiny linear model: code = relu(x Wᵀ), reconstruction = code W. The last four units have negative weights,
     * so on non-negative inputs they are never active.
     */
    final class TinyModel implements TrainableModel {
        final Task task;
        final boolean hasAtoms;
        final boolean brokenFigures;
        final NDArray w;
        long[] seen;

        TinyModel(Task task, boolean hasAtoms, boolean brokenFigures) {
            this.task = task;
            this.hasAtoms = hasAtoms;
            this.brokenFigures = brokenFigures;
            Random r = new Random(1);
            float[] v = new float[UNITS * DIM];
            for (int i = 0; i < v.length; i++) {
                v[i] = (i / DIM < UNITS - 4 ? 1 : -1) * r.nextFloat() * 0.1f;
            }
            w = manager.create(v, new Shape(UNITS, DIM));
        }

        @Override
        public Task task() {
            return task;
        }

        @Override
        public int codeSize() {
            return UNITS;
        }

        @Override
        public StepOutput trainStep(Batch batch) {
            throw new UnsupportedOperationException();
        }

        @Override
        public StepOutput evaluate(Batch batch) {
            throw new UnsupportedOperationException();
        }

        @Override
        public NDArray encode(NDArray x) {
            if (brokenFigures) {
                throw new IllegalStateException("encode is broken");
            }
            return x.matMul(w.transpose()).maximum(0f);
        }

        @Override
        public Optional<NDArray> predict(NDArray x) {
            return task == Task.RECONSTRUCTION ? Optional.of(encode(x).matMul(w)) : Optional.empty();
        }

        @Override
        public Optional<NDArray> atoms() {
            return hasAtoms ? Optional.of(w) : Optional.empty();
        }

        @Override
        public Map<String, NDArray> state() {
            return Map.of("w", w);
        }

        @Override
        public void figures(Figures out, FigureContext context) {
            // The context's arrays are closed after the call: keep their sizes.
            seen = new long[]{context.size(), context.testLabels().getShape().get(0), context.data().isImage() ? 1 : 0};
            if (brokenFigures) {
                out.lines("half-done", "drawn before the failure", "t", "y", Map.of("a", new double[][]{{0, 1}, {1, 2}}));
                throw new IllegalStateException("the plugin's figure failed");
            }
            out.lines("memory-curve", "recall vs load", "stored patterns", "recall", Map.of("sdm", new double[][]{{10, 20, 40}, {1, 0.9, 0.5}}));
            out.heatmap("stripes", "class × stripe", new float[][]{{1, 2}, {3, 4}}, List.of("c0", "c1"), List.of("s0", "s1"));
            out.imageGrid("frames", "per-timestep frames", new float[3 * 3 * 4 * 4], 3, 3, 4, 4, 3);
            out.histogram("weights", "weights", "w", new double[]{1, 2, 2, 3}, 3);
            out.image("drawn", "drawn with Java2D", new BufferedImage(20, 10, BufferedImage.TYPE_INT_RGB));
        }

        @Override
        public void close() {
        }
    }

    ArraySplit testSplit(int n) {
        Random r = new Random(2);
        float[] x = new float[n * DIM];
        int[] y = new int[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat();
        }
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
        }
        return new ArraySplit("test", x, y, DIM);
    }

    static void runFiles(Path dir) throws IOException {
        Files.writeString(dir.resolve("config.resolved.yaml"), "name: tiny\nseed: 7\ntraining:\n  epochs: 3\n");
        Files.writeString(dir.resolve("provenance.json"), """
                {"created": "2026-01-02T03:04:05Z", "device": "cpu()", "git": {"commit": "0123456789abcdef", "dirty": false},
                 "engine": {"name": "PyTorch", "version": "2.7.1"}}
                """);
        Files.writeString(dir.resolve("metrics.jsonl"), """
                {"epoch":1,"loss":0.9,"split":"train","accuracy":0.5}
                {"epoch":1,"loss":0.8,"split":"val","accuracy":0.55}
                {"epoch":2,"loss":null,"split":"train","accuracy":0.6}
                {"epoch":2,"loss":0.7,"split":"val","accuracy":0.62}
                not json at all
                {"epoch":3,"loss":null,"split":"train","accuracy":0.7}
                {"epoch":3,"loss":0.6,"split":"val","accuracy":0.66}
                {"epoch":3,"loss":0.61,"split":"test","accuracy":0.65}
                """);
    }

    static ReportPage.Header header(Path dir) {
        return new ReportPage.Header("tiny", "tiny-model", "tiny-data", "finished", dir);
    }

    ModelPlots.Input input(TinyModel m, int samples) {
        return new ModelPlots.Input("tiny-model", DataSpec.of(new int[]{1, H, W}, 3), testSplit(samples), m, manager);
    }

    static int count(String s, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(s);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** No network: nothing points outside the page, and every image is inline. */
    static void assertSelfContained(String page) {
        assertFalse(page.contains("http://") || page.contains("https://"), "no http(s) references");
        assertFalse(page.contains("<script") || page.contains("<link") || page.contains("url("), "no scripts, stylesheets or CSS urls");
        Matcher src = Pattern.compile("(?:src|href)=\"([^\"]*)\"").matcher(page);
        while (src.find()) {
            assertTrue(src.group(1).startsWith("data:image/png;base64,") || src.group(1).startsWith("#"), "reference " + src.group(1));
        }
        assertEquals(count(page, "<img "), count(page, "src=\"data:image/png;base64,"), "every img is a data URI");
    }

    static List<String> plots(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("plots"))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aFullReportHasEverySectionAndOnlyInlineImages(@TempDir Path dir) throws IOException {
        runFiles(dir);
        Files.createDirectories(dir.resolve("probe"));
        Files.writeString(dir.resolve("probe/probe.json"), """
                {"trainer": "logistic", "epochs": 5, "test_split": "test", "seeds": 2, "cells": [
                 {"features": "codes", "k": "1", "train_samples": 3, "mean": 0.61, "std": 0.02},
                 {"features": "raw", "k": "1", "train_samples": 3, "mean": 0.52, "std": 0.04},
                 {"features": "codes", "k": "all", "train_samples": 300, "mean": 0.9, "std": 0.0}]}
                """);
        Files.createDirectories(dir.resolve("export"));
        Files.writeString(dir.resolve("export/check.json"), """
                {"checks": [{"file": "encoder.onnx", "provider": "CPU", "samples": 100, "max_abs_diff": 6.5e-7,
                  "active_set_agreement": 1.0, "class_agreement": null, "passed": true, "failure": null, "new_figure": 3}],
                 "passed": true, "execution_provider": "CPU"}
                """);
        TinyModel m = new TinyModel(Task.RECONSTRUCTION, true, false);
        Path html = RunReport.write(header(dir), null, input(m, 50));
        String page = Files.readString(html);

        assertSelfContained(page);
        for (String s : List.of("Final metrics", "Training curves", "Representation and activity", "Learned representation",
                "Unit activity", "Model figures (tiny-model)", "Tribuo probes", "ONNX export checks", "Resolved configuration", "Provenance")) {
            assertTrue(page.contains(s), "section " + s);
        }
        List<String> pngs = plots(dir);
        assertEquals(List.of("active-per-input.png", "atoms.png", "curve-accuracy.png", "curve-loss.png", "drawn.png", "frames.png",
                "memory-curve.png", "reconstructions.png", "stripes.csv", "stripes.png", "unit-activity.png", "weights.png"), pngs);
        assertEquals("row,s0,s1\nc0,1.0,2.0\nc1,3.0,4.0\n", Files.readString(dir.resolve("plots/stripes.csv")), "a heat map's numbers beside it");
        pngs = pngs.stream().filter(f -> f.endsWith(".png")).toList();
        assertEquals(pngs.size(), count(page, "<img "), "every plot is in the page");
        for (String p : pngs) {
            BufferedImage img = ImageIO.read(dir.resolve("plots").resolve(p).toFile());
            assertTrue(img.getWidth() >= 20 && img.getHeight() >= 10, p);
        }
        // Unit activity counts the four silent units apart.
        assertTrue(page.contains("Unit activity (8 of 12 units active, 4 never)"), "activity title");
        // Metrics: the last row of each split, NaN shown as such; one unreadable line reported.
        assertTrue(page.contains("<td class=\"num bad\">NaN</td>"), "NaN loss of the last train row");
        assertTrue(page.contains("0.6500"), "test accuracy");
        assertTrue(page.contains("1 line(s) of metrics.jsonl could not be read"));
        // Header facts from provenance and config.
        assertTrue(page.contains("2026-01-02 03:04:05 UTC") && page.contains("0123456789") && page.contains(">7<"), "header facts");
        // Probe: best of each K in bold, a missing cell as a dash.
        assertTrue(page.contains("<b>0.6100 ± 0.0200</b>") && page.contains("0.5200 ± 0.0400"), "probe table");
        // Export: known and unknown keys, the verdict, and top-level extras.
        assertTrue(page.contains("6.50e-07") && page.contains("new figure") && page.contains("all checks passed")
                && page.contains("execution_provider"), "export table");
        assertEquals(50, m.seen[0], "the model's figures see the test inputs");
        assertEquals(50, m.seen[1], "and as many labels");
        assertEquals(1, m.seen[2], "and the data spec");
    }

    @Test
    void missingFilesAndAModelWithoutAtomsStillGiveAReport(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("metrics.jsonl"), "");
        TinyModel m = new TinyModel(Task.CLASSIFICATION, false, false);
        String page = Files.readString(RunReport.write(header(dir), null, input(m, 20)));
        assertSelfContained(page);
        assertTrue(page.contains("No probe run"));
        assertTrue(page.contains("No ONNX export"));
        assertTrue(page.contains("No provenance.json"));
        assertTrue(page.contains("No config.resolved.yaml"));
        assertTrue(page.contains("No metrics were recorded"));
        List<String> pngs = plots(dir);
        assertFalse(pngs.contains("atoms.png"), "no atoms");
        assertFalse(pngs.contains("reconstructions.png"), "classification: no reconstructions");
        assertTrue(pngs.contains("unit-activity.png"));
    }

    @Test
    void failingFiguresAreListedAndTheRestIsDrawn(@TempDir Path dir) throws IOException {
        runFiles(dir);
        TinyModel m = new TinyModel(Task.RECONSTRUCTION, true, true);
        String page = Files.readString(RunReport.write(header(dir), null, input(m, 20)));
        assertSelfContained(page);
        assertTrue(page.contains("Not drawn"), "failures are listed");
        assertTrue(page.contains("the plugin&#39;s figure failed") && page.contains("encode is broken"), page);
        List<String> pngs = plots(dir);
        assertTrue(pngs.containsAll(List.of("atoms.png", "curve-loss.png", "half-done.png")), pngs.toString());
        assertFalse(pngs.contains("unit-activity.png"));
    }

    @Test
    void brokenOrUnfamiliarServiceFilesAreShownAsTheyAre(@TempDir Path dir) throws IOException {
        runFiles(dir);
        Files.createDirectories(dir.resolve("probe"));
        Files.writeString(dir.resolve("probe/probe.json"), "{ this is not json");
        Files.writeString(dir.resolve("probe/probe.md"), "| K | codes |\n|---|---|\n| 1 | 0.5 ± 0.1 |\n");
        Files.createDirectories(dir.resolve("export"));
        Files.writeString(dir.resolve("export/check.json"), "{\"max_abs_diff\": 1e-6, \"passed\": false, \"provider\": \"CUDA\"}");
        String page = Files.readString(RunReport.write(header(dir), null, null));
        assertSelfContained(page);
        assertTrue(page.contains("probe/probe.json could not be read"));
        assertTrue(page.contains("<td>0.5 ± 0.1</td>"), "probe.md table");
        assertTrue(page.contains("max_abs_diff") && page.contains("CUDA"), "unknown check.json shape as key/values");

        Files.delete(dir.resolve("probe/probe.json"));
        Files.writeString(dir.resolve("export/check.json"), "[1, 2");
        page = Files.readString(RunReport.write(header(dir), null, null));
        assertTrue(page.contains("<th>K</th>"), "probe.md alone");
        assertTrue(page.contains("export/check.json could not be read"));
    }

    @Test
    void aRedrawnReportHoldsOnlyItsOwnPlots(@TempDir Path dir) throws IOException {
        runFiles(dir);
        Files.createDirectories(dir.resolve("plots"));
        Files.writeString(dir.resolve("plots/stale.png"), "old");
        RunReport.write(header(dir), null, null);
        assertEquals(List.of("curve-accuracy.png", "curve-loss.png"), plots(dir));
        assertFalse(Files.list(dir).anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary files left");
    }
}

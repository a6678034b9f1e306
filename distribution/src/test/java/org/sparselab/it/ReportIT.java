package org.sparselab.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * report.html of real runs, rendered by headless Chromium (Debian's {@code chromium}, no network): a screenshot
 * that is not blank, and every image decoded by the browser. The screenshot is kept in
 * {@code distribution/target/report-it/} for a person to look at.
 */
class ReportIT {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path KEEP = Path.of("target", "report-it");

    /** Counts, after the page's load event, the images and those the browser decoded (complete, naturalWidth > 0). */
    static final String IMAGE_PROBE = "<script>window.addEventListener('load',function(){var i=Array.prototype.slice.call(document.images);"
            + "document.body.setAttribute('data-images',i.length+'/'+i.filter(function(x){return x.complete&&x.naturalWidth>0;}).length);});"
            + "</script></body>";

    @Test
    void reportRendersInHeadlessChromiumWithItsImages(@TempDir Path tmp) throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            fail("this test renders report.html in headless Chromium, and " + CHROMIUM + " is missing: install it with "
                    + "'apt-get install -y chromium' (Debian's package; .ci/run installs it in CI)");
        }
        Path idx = tmp.resolve("idx");
        TestKit.writeIdx(idx, 300, 100);
        Path cfg = TestKit.runFile(tmp, "report", idx, tmp.resolve("out"), "evaluate: [export, {id: probe, k_per_class: [1, all], seeds: 2}]");
        TestKit.Cli c = TestKit.cli("run", "--plain", "--plugins", TestKit.pluginFolder().toString(), cfg.toString());
        assertEquals(0, c.exit(), c.all());
        Path run = TestKit.runFolders(tmp.resolve("out"), "report").get(0);
        Path html = run.resolve("report.html");
        assertTrue(Files.exists(run.resolve("summary.json")) && Files.exists(html), "the run finished with its report");
        String page = Files.readString(html, StandardCharsets.UTF_8);
        assertFalse(page.contains("http://") || page.contains("https://") || page.contains("<link") || page.contains("<script"),
                "self-contained: no network references, no scripts");
        for (String section : List.of("Final metrics", "Training curves", "Learned atoms", "Unit activity", "Tribuo probes",
                "ONNX export checks", "Resolved configuration", "Provenance", "all checks passed")) {
            assertTrue(page.contains(section), "section " + section);
        }
        int images = count(page, "<img ");
        assertEquals(images, count(page, "src=\"data:image/png;base64,"), "every image is inline");
        assertTrue(images >= 7, "curves, atoms and activity plots: " + images);
        assertEquals(images, pngs(run).size(), "every plot in plots/ is on the page");

        // Screenshot: a blank or broken page has few colours and little ink.
        Path shot = tmp.resolve("report.png");
        String log = chromium(tmp, "shot", null, "--hide-scrollbars", "--window-size=1280,2000", "--screenshot=" + shot, html.toUri().toString());
        assertTrue(Files.exists(shot) && Files.size(shot) > 10_000, "screenshot written: " + log);
        BufferedImage img = ImageIO.read(shot.toFile());
        assertEquals(1280, img.getWidth());
        Set<Integer> colours = new HashSet<>();
        long dark = 0;
        double sum = 0;
        double sumSq = 0;
        int n = 0;
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                int rgb = img.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                int lum = ((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff);
                dark += lum < 200 ? 1 : 0;
                sum += lum;
                sumSq += (double) lum * lum;
                n++;
            }
        }
        double sd = Math.sqrt(sumSq / n - (sum / n) * (sum / n));
        assertTrue(colours.size() > 200, "a rendered page with charts has many colours, got " + colours.size());
        assertTrue(dark > 1000, "text and plot lines are drawn: " + dark);
        assertTrue(sd > 40, "pixel variance of a page with content, got sd " + sd);
        Files.createDirectories(KEEP);
        Files.copy(shot, KEEP.resolve("report-screenshot.png"), StandardCopyOption.REPLACE_EXISTING);

        // The browser decodes every image: a copy of the page with a probe script reports how many loaded.
        assertEquals(images + "/" + images, loadedImages(tmp, html), "images / images decoded by Chromium");

        // The report command redraws plots and page from the folder.
        Files.delete(html);
        TestKit.Cli again = TestKit.cli("report", "--plugins", TestKit.pluginFolder().toString(), run.toString());
        assertEquals(0, again.exit(), again.all());
        assertEquals(images, count(Files.readString(html, StandardCharsets.UTF_8), "src=\"data:image/png;base64,"), "the redrawn report");
    }

    @Test
    void aReconstructionRunShowsInputsBesideReconstructions(@TempDir Path tmp) throws Exception {
        Path idx = tmp.resolve("idx");
        TestKit.writeIdx(idx, 200, 50);
        String yaml = """
                name: rec
                seed: 7
                device: cpu
                output: %s
                dataset: {id: mnist, root: %s, val_size: 50}
                model: {id: sdm-topk, units: 32, task: reconstruction}
                sparsifiers: [{id: topk, k: 4}]
                metrics: [mse, active_fraction]
                training: {epochs: 1, batch_size: 32}
                """.formatted(tmp.resolve("out"), idx);
        Path cfg = tmp.resolve("rec.yaml");
        Files.writeString(cfg, yaml);
        TestKit.Cli c = TestKit.cli("run", "--plain", "--plugins", TestKit.pluginFolder().toString(), cfg.toString());
        assertEquals(0, c.exit(), c.all());
        Path run = TestKit.runFolders(tmp.resolve("out"), "rec").get(0);
        assertTrue(pngs(run).contains("reconstructions.png"), pngs(run).toString());
        BufferedImage pairs = ImageIO.read(run.resolve("plots/reconstructions.png").toFile());
        assertTrue(pairs.getWidth() > pairs.getHeight() * 2, "one row of inputs over one row of reconstructions");
        assertTrue(Files.readString(run.resolve("report.html")).contains("Test inputs (top) and reconstructions (bottom)"));
    }

    /**
     * Runs headless Chromium with networking off and a throwaway profile; its output goes to {@code stdout} when
     * given, else to the log with stderr. Returns the log.
     */
    static String chromium(Path tmp, String profile, Path stdout, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-default-apps", "--user-data-dir=" + tmp.resolve("profile-" + profile)));
        cmd.addAll(List.of(args));
        Path log = tmp.resolve("chromium-" + profile + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (stdout == null) {
            pb.redirectErrorStream(true).redirectOutput(log.toFile());
        } else {
            pb.redirectOutput(stdout.toFile()).redirectError(log.toFile());
        }
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish in 120 s: " + Files.readString(log));
        }
        return Files.readString(log);
    }

    private static String loadedImages(Path tmp, Path html) throws IOException, InterruptedException {
        Path probe = html.resolveSibling("report-probe.html");
        Files.writeString(probe, Files.readString(html, StandardCharsets.UTF_8).replace("</body>", IMAGE_PROBE), StandardCharsets.UTF_8);
        Path out = tmp.resolve("dom.html");
        String log = chromium(tmp, "dom", out, "--dump-dom", probe.toUri().toString());
        Files.delete(probe);
        String dom = Files.readString(out, StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("<body[^>]*data-images=\"([0-9]+/[0-9]+)\"").matcher(dom);
        assertTrue(m.find(), "the probe script ran: " + dom.substring(0, Math.min(300, dom.length())) + log);
        return m.group(1);
    }

    private static List<String> pngs(Path run) throws IOException {
        try (Stream<Path> s = Files.list(run.resolve("plots"))) {
            return s.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".png")).sorted().toList();
        }
    }

    private static int count(String s, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(s);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}

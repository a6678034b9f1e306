package org.sparselab.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** report.html of a real run, rendered by headless Chromium: a screenshot that is not blank, images that load. */
class ReportIT {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @Test
    void reportRendersInHeadlessChromiumWithItsImages(@TempDir Path tmp) throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM), "headless Chromium is needed: apt-get install chromium (.ci/run installs it)");
        Path idx = tmp.resolve("idx");
        TestKit.writeIdx(idx, 300, 100);
        Path cfg = TestKit.runFile(tmp, "report", idx, tmp.resolve("out"), "evaluate: [export, {id: probe, k_per_class: [1, all], seeds: 2}]");
        TestKit.Cli c = TestKit.cli("run", "--plain", "--plugins", TestKit.pluginFolder().toString(), cfg.toString());
        assertEquals(0, c.exit(), c.all());
        Path run = TestKit.runFolders(tmp.resolve("out"), "report").get(0);
        Path html = run.resolve("report.html");
        String page = Files.readString(html, StandardCharsets.UTF_8);
        assertFalse(page.contains("http://") || page.contains("https://"), "self-contained: no network references");
        for (String section : List.of("Final metrics", "Training curves", "Learned atoms", "Tribuo probes", "ONNX export checks",
                "Resolved configuration", "Provenance")) {
            assertTrue(page.contains(section), "section " + section);
        }
        int images = count(page, "<img ");
        assertEquals(images, count(page, "src=\"data:image/png;base64,"), "every image is inline");
        assertTrue(images >= 6, "curves, atoms and activity plots: " + images);

        // Screenshot: a blank or broken page has few colours and little ink.
        Path shot = tmp.resolve("report.png");
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-default-apps", "--user-data-dir=" + tmp.resolve("profile"), "--window-size=1280,1800",
                "--screenshot=" + shot, html.toUri().toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("chromium.log").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium finished");
        assertTrue(Files.size(shot) > 10_000, "screenshot written: " + Files.readString(tmp.resolve("chromium.log")));
        BufferedImage img = ImageIO.read(shot.toFile());
        assertEquals(1280, img.getWidth());
        Set<Integer> colours = new HashSet<>();
        long dark = 0;
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                int rgb = img.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                int lum = ((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff);
                if (lum < 200) {
                    dark++;
                }
            }
        }
        assertTrue(colours.size() > 200, "a rendered page with charts has many colours, got " + colours.size());
        assertTrue(dark > 1000, "text and plot lines are drawn");
        Files.copy(shot, run.resolve("report-screenshot.png"));

        // The DOM as Chromium parsed it keeps every image.
        Process dump = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + tmp.resolve("profile2"), "--dump-dom", html.toUri().toString())
                .redirectError(tmp.resolve("chromium2.log").toFile()).start();
        String dom = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(dump.waitFor(120, TimeUnit.SECONDS));
        assertEquals(images, count(dom, "src=\"data:image/png;base64,"), "the rendered DOM keeps every image");

        TestKit.Cli again = TestKit.cli("report", "--plugins", TestKit.pluginFolder().toString(), run.toString());
        assertEquals(0, again.exit(), again.all());
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

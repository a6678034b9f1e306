package org.sparselab.core.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparselab.api.plot.Figures;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PngFiguresTest {

    private static BufferedImage png(PngFigures.Figure f) throws IOException {
        assertTrue(Files.isRegularFile(f.file()), f.file() + " exists");
        BufferedImage img = ImageIO.read(f.file().toFile());
        assertNotNull(img, f.file() + " is a readable PNG");
        return img;
    }

    /** Distinct colours in a sample of the image: a blank image has one or two. */
    private static int colours(BufferedImage img) {
        java.util.Set<Integer> c = new java.util.HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                c.add(img.getRGB(x, y));
            }
        }
        return c.size();
    }

    @Test
    void lineChartsSkipNonFiniteValuesAndSurviveFlatSeries(@TempDir Path dir) throws IOException {
        PngFigures fig = new PngFigures(dir);
        Map<String, double[][]> s = new LinkedHashMap<>();
        s.put("train", new double[][]{{1, 2, 3, 4}, {0.5, Double.NaN, 0.3, Double.POSITIVE_INFINITY}});
        s.put("val", new double[][]{{1, 2, 3, 4}, {0.05, 0.05, 0.05, 0.05}});
        s.put("test", new double[][]{{4}, {0.31}});
        fig.lines("curve-loss", "loss", "epoch", "loss", s);
        PngFigures.Figure f = fig.written().get(0);
        BufferedImage img = png(f);
        assertEquals(PngFigures.WIDTH, img.getWidth());
        assertEquals(PngFigures.HEIGHT, img.getHeight());
        assertTrue(colours(img) > 20, "a drawn chart");
        assertTrue(f.caption().contains("2 non-finite values"), f.caption());

        fig.lines("flat", "constant", "epoch", "k", Map.of("train", new double[][]{{1}, {0.05000002}}));
        assertEquals(PngFigures.WIDTH, png(fig.written().get(1)).getWidth());
    }

    @Test
    void aChartWithNothingFiniteBecomesAPlaceholder(@TempDir Path dir) throws IOException {
        PngFigures fig = new PngFigures(dir);
        fig.lines("nan", "all NaN", "epoch", "x", Map.of("train", new double[][]{{1, 2}, {Double.NaN, Double.NaN}}));
        fig.histogram("none", "nothing", "x", new double[]{Double.NaN}, 10);
        fig.histogram("empty", "nothing at all", "x", new double[0], 10);
        for (PngFigures.Figure f : fig.written()) {
            assertTrue(png(f).getHeight() < 200, "a short note, not a chart: " + f.name());
        }
    }

    @Test
    void histogramsHandleConstantValuesAndRanges(@TempDir Path dir) throws IOException {
        PngFigures fig = new PngFigures(dir);
        fig.histogram("const", "all 0.05", "fraction", new double[]{0.05, 0.05, 0.05}, 40);
        double[] v = new double[1000];
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.sin(i) * Math.sin(i);
        }
        fig.histogram("spread", "spread", "value", v, 40, 0, 1);
        for (PngFigures.Figure f : fig.written()) {
            BufferedImage img = png(f);
            assertEquals(PngFigures.WIDTH, img.getWidth());
            assertTrue(colours(img) > 10);
        }
        assertThrows(IllegalArgumentException.class, () -> fig.histogram("bad", "bad", "x", v, 0));
    }

    @Test
    void greyAndColourGridsKeepTheirPixels(@TempDir Path dir) throws IOException {
        PngFigures fig = new PngFigures(dir);
        // Four 3×5 colour images: red, green, blue, and a gradient; one row of four.
        int h = 3;
        int w = 5;
        float[] px = new float[4 * 3 * h * w];
        for (int i = 0; i < 3; i++) {
            for (int p = 0; p < h * w; p++) {
                px[i * 3 * h * w + i * h * w + p] = 1;
                px[i * 3 * h * w + ((i + 1) % 3) * h * w + p] = p == 0 ? 0.5f : 0; // one other pixel so min < max
            }
        }
        for (int p = 0; p < 3 * h * w; p++) {
            px[3 * 3 * h * w + p] = p;
        }
        fig.imageGrid("rgb", "colour", px, 4, 3, h, w, 4);
        BufferedImage img = png(fig.written().get(0));
        assertEquals(1, fig.written().size());
        // Find the first tile's last pixel (pure red after scaling) by scanning for red.
        boolean red = false;
        boolean green = false;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                Color c = new Color(img.getRGB(x, y));
                red |= c.getRed() == 255 && c.getGreen() == 0 && c.getBlue() == 0;
                green |= c.getRed() == 0 && c.getGreen() == 255 && c.getBlue() == 0;
            }
        }
        assertTrue(red && green, "colour tiles are drawn in colour");

        fig.imageGrid("grey", "grey, square grid", new float[9 * 16], 9, 4, 4);
        BufferedImage g = png(fig.written().get(1));
        assertTrue(g.getWidth() > 3 * 4 && g.getHeight() > 3 * 4);

        assertThrows(IllegalArgumentException.class, () -> fig.imageGrid("x", "x", new float[8], 1, 2, 2, 2, 0), "two channels");
        assertThrows(IllegalArgumentException.class, () -> fig.imageGrid("x", "x", new float[3], 1, 2, 2), "too few pixels");
    }

    @Test
    void heatMapsOfAnySizeAndRawImages(@TempDir Path dir) throws IOException {
        PngFigures fig = new PngFigures(dir);
        float[][] small = {{1, 2, 3}, {4, Float.NaN, 6}};
        fig.heatmap("small", "classes × stripes", small, List.of("a", "b"), List.of("s0", "s1", "s2"));
        float[][] big = new float[50][700];
        for (int i = 0; i < 50; i++) {
            for (int j = 0; j < 700; j++) {
                big[i][j] = (float) Math.sin(i * j * 0.01);
            }
        }
        fig.heatmap("big", "big", big, null, null);
        BufferedImage raw = new BufferedImage(30, 20, BufferedImage.TYPE_INT_RGB);
        raw.setRGB(3, 4, 0x00ff00);
        fig.image("raw", "frames", raw);
        assertTrue(colours(png(fig.written().get(0))) > 5);
        assertTrue(png(fig.written().get(1)).getWidth() >= 700);
        BufferedImage back = png(fig.written().get(2));
        assertEquals(30, back.getWidth());
        assertEquals(0x00ff00, back.getRGB(3, 4) & 0xffffff);
        assertEquals("frames", fig.written().get(2).caption(), "a raw image's title becomes its caption");
        assertThrows(IllegalArgumentException.class, () -> fig.heatmap("x", "x", small, List.of("only one"), null));
    }

    @Test
    void namesBecomeSafeUniqueFileNamesInTheirSection(@TempDir Path dir) {
        PngFigures fig = new PngFigures(dir);
        fig.section("mine").caption("first");
        fig.histogram("a/b c", "t", "x", new double[]{1, 2}, 2);
        fig.histogram("a/b c", "t", "x", new double[]{1, 2}, 2);
        assertEquals(dir.resolve("a_b_c.png"), fig.written().get(0).file());
        assertEquals(dir.resolve("a_b_c-2.png"), fig.written().get(1).file());
        assertEquals("mine", fig.written().get(1).section());
        assertEquals("first", fig.written().get(0).caption());
        assertEquals(null, fig.written().get(1).caption(), "a caption belongs to one figure");
    }

    /** The API's defaults let a sink that knows only grey grids take colour grids and raw images. */
    @Test
    void defaultMethodsFallBackToGreyGrids() {
        List<float[]> grids = new ArrayList<>();
        Figures greyOnly = new Figures() {
            @Override
            public void lines(String name, String title, String xLabel, String yLabel, Map<String, double[][]> series) {
            }

            @Override
            public void heatmap(String name, String title, float[][] values, List<String> rowLabels, List<String> columnLabels) {
            }

            @Override
            public void imageGrid(String name, String title, float[] pixels, int count, int height, int width) {
                assertEquals(count * height * width, pixels.length);
                grids.add(pixels);
            }

            @Override
            public void histogram(String name, String title, String xLabel, double[] values, int bins) {
            }
        };
        greyOnly.imageGrid("rgb", "t", new float[]{3, 0, 6, 0}, 1, 3, 1, 1, 0);
        assertEquals(3f, grids.get(0)[0], 1e-6f);
        BufferedImage white = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        white.setRGB(0, 0, 0xffffff);
        greyOnly.image("raw", "t", white);
        assertEquals(255f, grids.get(1)[0], 0.01f);
        assertEquals(0f, grids.get(1)[1], 0.01f);
        assertThrows(IllegalArgumentException.class, () -> greyOnly.imageGrid("x", "t", new float[4], 1, 4, 1, 1, 0));
    }
}

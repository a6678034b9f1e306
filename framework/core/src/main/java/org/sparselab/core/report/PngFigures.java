package org.sparselab.core.report;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.IChart;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.sparselab.api.plot.Figures;
import org.sparselab.core.util.AtomicFiles;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@link Figures} rendered to PNG files with XChart (charts) and Java2D (image grids). Headless. */
public final class PngFigures implements Figures {

    /** One written figure. */
    public record Figure(String name, String title, Path file, String section) {
    }

    private final Path dir;
    private final List<Figure> written = new ArrayList<>();
    private String section = "figures";

    public PngFigures(Path dir) {
        System.setProperty("java.awt.headless", "true");
        this.dir = dir;
    }

    /** Figures drawn from now on belong to this report section. */
    public PngFigures section(String name) {
        this.section = name;
        return this;
    }

    public List<Figure> written() {
        return Collections.unmodifiableList(written);
    }

    private Path file(String name) {
        String safe = name.replaceAll("[^A-Za-z0-9_-]", "_");
        return dir.resolve(safe + ".png");
    }

    private void save(String name, String title, IChart chart) {
        Path f = file(name);
        try {
            byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
            AtomicFiles.write(f, out -> out.write(png));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        written.add(new Figure(name, title, f, section));
    }

    @Override
    public void lines(String name, String title, String xLabel, String yLabel, Map<String, double[][]> series) {
        XYChart chart = new XYChartBuilder().width(560).height(360).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendVisible(series.size() > 1);
        for (Map.Entry<String, double[][]> s : series.entrySet()) {
            var xy = chart.addSeries(s.getKey(), s.getValue()[0], finite(s.getValue()[1]));
            xy.setMarker(s.getValue()[0].length > 40 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
        }
        save(name, title, chart);
    }

    private static double[] finite(double[] y) {
        double[] out = y.clone();
        for (int i = 0; i < out.length; i++) {
            if (!Double.isFinite(out[i])) {
                out[i] = Double.NaN;
            }
        }
        return out;
    }

    @Override
    public void heatmap(String name, String title, float[][] values, List<String> rowLabels, List<String> columnLabels) {
        int rows = values.length;
        int cols = rows == 0 ? 0 : values[0].length;
        HeatMapChart chart = new HeatMapChartBuilder().width(Math.max(480, Math.min(1400, 40 + cols * 12))).height(Math.max(360, Math.min(900, 80 + rows * 24)))
                .title(title).build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setShowValue(rows * cols <= 150);
        List<Object> xs = new ArrayList<>();
        List<Object> ys = new ArrayList<>();
        for (int c = 0; c < cols; c++) {
            xs.add(columnLabels == null ? Integer.toString(c) : columnLabels.get(c));
        }
        for (int r = 0; r < rows; r++) {
            ys.add(rowLabels == null ? Integer.toString(r) : rowLabels.get(r));
        }
        List<Number[]> cells = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                cells.add(new Number[]{c, r, values[r][c]});
            }
        }
        chart.addSeries("values", xs, ys, cells);
        save(name, title, chart);
    }

    @Override
    public void histogram(String name, String title, String xLabel, double[] values, int bins) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            if (Double.isFinite(v)) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        if (!Double.isFinite(min)) {
            min = 0;
            max = 1;
        }
        if (max == min) {
            max = min + 1e-9;
        }
        double[] centers = new double[bins];
        double[] counts = new double[bins];
        double w = (max - min) / bins;
        for (int b = 0; b < bins; b++) {
            centers[b] = min + (b + 0.5) * w;
        }
        for (double v : values) {
            if (Double.isFinite(v)) {
                counts[Math.min(bins - 1, (int) ((v - min) / w))]++;
            }
        }
        CategoryChart chart = new CategoryChartBuilder().width(560).height(360).title(title).xAxisTitle(xLabel).yAxisTitle("count").build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setAvailableSpaceFill(0.98);
        chart.getStyler().setXAxisDecimalPattern(max - min < 0.1 ? "0.000" : "0.00");
        chart.getStyler().setXAxisLabelRotation(45);
        chart.addSeries("count", centers, counts);
        save(name, title, chart);
    }

    @Override
    public void imageGrid(String name, String title, float[] pixels, int count, int height, int width) {
        int cols = (int) Math.ceil(Math.sqrt(count));
        int rows = (int) Math.ceil(count / (double) cols);
        int scale = Math.max(1, Math.min(4, 640 / Math.max(1, cols * (width + 1))));
        int pad = 1;
        int top = 24;
        BufferedImage img = new BufferedImage(cols * (width + pad) * scale + pad, top + rows * (height + pad) * scale + pad, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.DARK_GRAY);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawString(title, 4, 16);
        g.dispose();
        for (int i = 0; i < count; i++) {
            float lo = Float.POSITIVE_INFINITY;
            float hi = Float.NEGATIVE_INFINITY;
            int off = i * height * width;
            for (int p = 0; p < height * width; p++) {
                lo = Math.min(lo, pixels[off + p]);
                hi = Math.max(hi, pixels[off + p]);
            }
            float range = hi - lo > 0 ? hi - lo : 1;
            int ox = pad + (i % cols) * (width + pad) * scale;
            int oy = top + pad + (i / cols) * (height + pad) * scale;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int v = Math.round(255 * (pixels[off + y * width + x] - lo) / range);
                    int rgb = (v << 16) | (v << 8) | v;
                    for (int dy = 0; dy < scale; dy++) {
                        for (int dx = 0; dx < scale; dx++) {
                            img.setRGB(ox + x * scale + dx, oy + y * scale + dy, rgb);
                        }
                    }
                }
            }
        }
        Path f = file(name);
        try {
            AtomicFiles.write(f, out -> ImageIO.write(img, "png", out));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        written.add(new Figure(name, title, f, section));
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }
}

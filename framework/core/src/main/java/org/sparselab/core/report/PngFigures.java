package org.sparselab.core.report;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.sparselab.api.plot.Figures;
import org.sparselab.core.util.AtomicFiles;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@link Figures} rendered to PNG files: line charts and histograms with XChart, image grids and heat maps with
 * Java2D (exact pixels, any size). Headless. Every figure is written atomically and remembered, with the report
 * section it belongs to and an optional caption, for {@code report.html}.
 */
public final class PngFigures implements Figures {

    /** One written figure; {@code caption} is null when there is nothing to add to the title drawn in the image. */
    public record Figure(String name, String title, Path file, String section, String caption) {
    }

    static final int WIDTH = 600;
    static final int HEIGHT = 380;
    /** Image grids draw at most this many tiles. */
    static final int MAX_TILES = 400;

    // Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
    private static final Color[] PALETTE = {new Color(0x0072B2), new Color(0xE69F00), new Color(0x009E73), new Color(0xCC79A7),
            new Color(0xD55E00), new Color(0x56B4E9), new Color(0xF0E442), new Color(0x000000)};
    private static final Color INK = new Color(0x1d232a);
    private static final Color GRID = new Color(0xe5e7eb);
    private static final Color GAP = new Color(0xd0d4da);
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 14);
    private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 11);

    private final Path dir;
    private final List<Figure> written = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    // A series name keeps its colour across charts, so "val" is the same colour in every curve.
    private final Map<String, Color> colours = new HashMap<>();
    private String section = "Figures";
    private String caption;

    public PngFigures(Path dir) {
        System.setProperty("java.awt.headless", "true");
        this.dir = dir;
    }

    /** Figures drawn from now on belong to this report section. */
    public PngFigures section(String name) {
        this.section = name;
        return this;
    }

    /** A caption for the next figure only (what it shows, how it was computed). */
    public PngFigures caption(String text) {
        this.caption = text;
        return this;
    }

    public List<Figure> written() {
        return Collections.unmodifiableList(written);
    }

    private String fileName(String name) {
        String safe = name.replaceAll("[^A-Za-z0-9_-]", "_");
        if (safe.isEmpty()) {
            safe = "figure";
        }
        String unique = safe;
        for (int i = 2; !names.add(unique); i++) {
            unique = safe + "-" + i;
        }
        return unique + ".png";
    }

    private void save(String name, String title, BufferedImage img, String note) {
        Path f = dir.resolve(fileName(name));
        try {
            AtomicFiles.write(f, out -> {
                if (!ImageIO.write(img, "png", out)) {
                    throw new IOException("no PNG writer");
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String c = join(caption, note);
        caption = null;
        written.add(new Figure(name, title, f, section, c));
    }

    /** A heat map's numbers beside its picture ({@code <name>.csv}, labels in the first row and column), for analysis. */
    private void saveCsv(Path png, float[][] values, List<String> rowLabels, List<String> columnLabels) {
        Path f = png.resolveSibling(png.getFileName().toString().replaceFirst("\\.png$", "") + ".csv");
        StringBuilder sb = new StringBuilder();
        sb.append("row");
        for (int j = 0; j < values[0].length; j++) {
            sb.append(',').append(csvCell(label(columnLabels, j)));
        }
        sb.append('\n');
        for (int i = 0; i < values.length; i++) {
            sb.append(csvCell(label(rowLabels, i)));
            for (float v : values[i]) {
                sb.append(',').append(v);
            }
            sb.append('\n');
        }
        try {
            AtomicFiles.writeString(f, sb.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String csvCell(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private static String join(String a, String b) {
        if (a == null || a.isBlank()) {
            return b;
        }
        return b == null ? a : a + " " + b;
    }

    private Color colour(String series) {
        return colours.computeIfAbsent(series, k -> PALETTE[colours.size() % PALETTE.length]);
    }

    // ---- charts ----------------------------------------------------------------------------------------

    private static XYChart chart(String title, String xLabel, String yLabel) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        XYStyler s = chart.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderVisible(false);
        s.setPlotGridLinesColor(GRID);
        s.setPlotGridLinesStroke(new BasicStroke(1f));
        s.setChartTitleBoxVisible(false);
        s.setChartFontColor(INK);
        s.setChartTitleFont(TITLE);
        s.setAxisTitleFont(LABEL);
        s.setAxisTickLabelsFont(SMALL);
        s.setAxisTickLabelsColor(INK);
        s.setLegendFont(SMALL);
        s.setLegendBorderColor(Color.WHITE);
        s.setLegendPosition(Styler.LegendPosition.OutsideS);
        s.setLegendLayout(Styler.LegendLayout.Horizontal);
        s.setAntiAlias(true);
        s.setTextAntiAlias(true);
        s.setMarkerSize(7);
        s.setLocale(Locale.ROOT);
        return chart;
    }

    @Override
    public void lines(String name, String title, String xLabel, String yLabel, Map<String, double[][]> series) {
        XYChart chart = chart(title, xLabel, yLabel);
        Range x = new Range();
        Range y = new Range();
        int dropped = 0;
        int drawn = 0;
        for (Map.Entry<String, double[][]> s : series.entrySet()) {
            double[] xs = s.getValue()[0];
            double[] ys = s.getValue()[1];
            int n = Math.min(xs.length, ys.length);
            double[] fx = new double[n];
            double[] fy = new double[n];
            int k = 0;
            for (int i = 0; i < n; i++) {
                if (Double.isFinite(xs[i]) && Double.isFinite(ys[i])) {
                    fx[k] = xs[i];
                    fy[k++] = ys[i];
                    x.add(xs[i]);
                    y.add(ys[i]);
                } else {
                    dropped++;
                }
            }
            if (k == 0) {
                continue;
            }
            XYSeries xy = chart.addSeries(s.getKey(), java.util.Arrays.copyOf(fx, k), java.util.Arrays.copyOf(fy, k));
            Color c = colour(s.getKey());
            xy.setLineColor(c);
            xy.setMarkerColor(c);
            xy.setLineWidth(2f);
            xy.setMarker(k > 40 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
            drawn++;
        }
        String note = dropped == 0 ? null : dropped + " non-finite value" + (dropped == 1 ? " is" : "s are") + " not drawn.";
        if (drawn == 0) {
            save(name, title, placeholder(title, "no finite values to draw"), note);
            return;
        }
        chart.getStyler().setLegendVisible(drawn > 1);
        // XChart prints absurd ticks (5.000002E-2 ...) for a flat or single-point range: give it room.
        double[] yr = y.padded();
        chart.getStyler().setYAxisMin(yr[0]);
        chart.getStyler().setYAxisMax(yr[1]);
        chart.getStyler().setYAxisDecimalPattern(decimalPattern(yr[0], yr[1]));
        if (x.hi == x.lo) {
            chart.getStyler().setXAxisMin(x.lo - 1);
            chart.getStyler().setXAxisMax(x.hi + 1);
        }
        chart.getStyler().setXAxisDecimalPattern(x.hi == x.lo ? decimalPattern(x.lo - 1, x.hi + 1) : decimalPattern(x.lo, x.hi));
        save(name, title, BitmapEncoder.getBufferedImage(chart), note);
    }

    /**
     * A tick label pattern with as many decimals as the tick spacing needs and a leading zero (XChart's default
     * drops it: ".05"); scientific notation for very large or very small magnitudes.
     */
    static String decimalPattern(double lo, double hi) {
        double span = hi - lo;
        double mag = Math.max(Math.abs(lo), Math.abs(hi));
        if (!(span > 0) || !Double.isFinite(span)) {
            return "0.###";
        }
        if (mag >= 1e5 || mag < 1e-4) {
            return "0.##E0";
        }
        // One decimal more than the spacing needs: XChart avoids steps (0.0025) whose labels the pattern would chop.
        int decimals = Math.max(0, (int) Math.ceil(-Math.log10(span / 8)) + 1);
        if (decimals > 7) {
            return "0.###E0";
        }
        return decimals == 0 ? "0" : "0." + "#".repeat(decimals);
    }

    /** Min and max of finite values. */
    private static final class Range {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;

        void add(double v) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }

        /** The range, widened when it is (nearly) a single value; never below 0 for non-negative data. */
        double[] padded() {
            double scale = Math.max(Math.abs(lo), Math.abs(hi));
            if (hi - lo > 1e-6 * scale && hi - lo > 1e-12) {
                double pad = 0.05 * (hi - lo);
                return new double[]{lo >= 0 && lo - pad < 0 ? 0 : lo - pad, hi + pad};
            }
            double pad = scale > 0 ? 0.1 * scale : 1;
            return new double[]{lo >= 0 && lo - pad < 0 ? 0 : lo - pad, hi + pad};
        }
    }

    @Override
    public void histogram(String name, String title, String xLabel, double[] values, int bins) {
        histogram(name, title, xLabel, values, bins, Double.NaN, Double.NaN);
    }

    /** Histogram over {@code [lo, hi]} (NaN: the data's range); values outside it go to the end bins. */
    void histogram(String name, String title, String xLabel, double[] values, int bins, double lo, double hi) {
        if (bins < 1) {
            throw new IllegalArgumentException("bins must be at least 1, got " + bins);
        }
        Range r = new Range();
        int dropped = 0;
        for (double v : values) {
            if (Double.isFinite(v)) {
                r.add(v);
            } else {
                dropped++;
            }
        }
        String note = dropped == 0 ? null : dropped + " non-finite value" + (dropped == 1 ? " is" : "s are") + " not counted.";
        if (r.lo > r.hi) {
            save(name, title, placeholder(title, "no finite values to count"), note);
            return;
        }
        double a = Double.isNaN(lo) ? r.lo : lo;
        double b = Double.isNaN(hi) ? r.hi : hi;
        if (!(b > a)) {
            double pad = a == 0 ? 0.5 : 0.5 * Math.abs(a);
            a -= pad;
            b += pad;
        }
        double w = (b - a) / bins;
        double[] counts = new double[bins];
        for (double v : values) {
            if (Double.isFinite(v)) {
                counts[Math.max(0, Math.min(bins - 1, (int) Math.floor((v - a) / w)))]++;
            }
        }
        // Bars as one closed outline: (a,0) up, across each bin, down to (b,0).
        double[] px = new double[2 * bins + 2];
        double[] py = new double[2 * bins + 2];
        px[0] = a;
        for (int i = 0; i < bins; i++) {
            px[1 + 2 * i] = a + i * w;
            py[1 + 2 * i] = counts[i];
            px[2 + 2 * i] = a + (i + 1) * w;
            py[2 + 2 * i] = counts[i];
        }
        px[2 * bins + 1] = b;
        XYChart chart = chart(title, xLabel, "count");
        XYSeries s = chart.addSeries("count", px, py);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(PALETTE[0]);
        s.setFillColor(new Color(0x0072B2 | 0x99000000, true));
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setYAxisMin(0.0);
        double max = 0;
        for (double c : counts) {
            max = Math.max(max, c);
        }
        chart.getStyler().setYAxisMax(Math.max(1, max * 1.05));
        chart.getStyler().setXAxisMin(a);
        chart.getStyler().setXAxisMax(b);
        chart.getStyler().setXAxisDecimalPattern(decimalPattern(a, b));
        chart.getStyler().setXAxisTickMarkSpacingHint(90);
        save(name, title, BitmapEncoder.getBufferedImage(chart), note);
    }

    // ---- rasters ---------------------------------------------------------------------------------------

    @Override
    public void imageGrid(String name, String title, float[] pixels, int count, int height, int width) {
        grid(name, title, pixels, count, 1, height, width, 0, null);
    }

    @Override
    public void imageGrid(String name, String title, float[] pixels, int count, int channels, int height, int width, int columns) {
        grid(name, title, pixels, count, channels, height, width, columns, null);
    }

    /**
     * The grid behind both {@code imageGrid} methods. {@code range} null scales each image to its own min..max;
     * {@code {lo, hi}} puts every image on that one scale (so inputs and reconstructions compare).
     */
    void grid(String name, String title, float[] pixels, int count, int channels, int height, int width, int columns, float[] range) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        }
        if (count < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("an image grid needs count, height and width >= 1, got " + count + ", " + height + ", " + width);
        }
        int size = channels * height * width;
        if (pixels.length < (long) count * size) {
            throw new IllegalArgumentException(pixels.length + " pixels for " + count + " images of " + channels + "×" + height + "×" + width);
        }
        String note = count > MAX_TILES ? "The first " + MAX_TILES + " of " + count + " images." : null;
        int n = Math.min(count, MAX_TILES);
        int cols = columns > 0 ? Math.min(columns, n) : (int) Math.ceil(Math.sqrt(n));
        int rows = (int) Math.ceil(n / (double) cols);
        int gap = 2;
        int scale = Math.max(1, Math.min(8, 640 / Math.max(1, cols * (width + gap))));
        int margin = 8;
        int top = 30;
        int gridW = cols * width * scale + (cols - 1) * gap;
        int gridH = rows * height * scale + (rows - 1) * gap;
        BufferedImage img = canvas(Math.max(gridW + 2 * margin, titleWidth(title) + 2 * margin), top + gridH + margin, title);
        Graphics2D g = img.createGraphics();
        g.setColor(GAP);
        int ox = (img.getWidth() - gridW) / 2;
        g.fillRect(ox - 1, top - 1, gridW + 2, gridH + 2);
        g.dispose();
        int plane = height * width;
        for (int i = 0; i < n; i++) {
            int off = i * size;
            float lo;
            float hi;
            if (range != null) {
                lo = range[0];
                hi = range[1];
            } else {
                lo = Float.POSITIVE_INFINITY;
                hi = Float.NEGATIVE_INFINITY;
                for (int p = 0; p < size; p++) {
                    float v = pixels[off + p];
                    if (Float.isFinite(v)) {
                        lo = Math.min(lo, v);
                        hi = Math.max(hi, v);
                    }
                }
            }
            float span = hi - lo > 0 ? hi - lo : 1;
            int tx = ox + (i % cols) * (width * scale + gap);
            int ty = top + (i / cols) * (height * scale + gap);
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int rgb = 0;
                    for (int c = 0; c < channels; c++) {
                        float v = pixels[off + c * plane + y * width + x];
                        int q = Float.isFinite(v) ? Math.round(255 * Math.max(0, Math.min(1, (v - lo) / span))) : 0;
                        rgb = channels == 1 ? (q << 16) | (q << 8) | q : (rgb << 8) | q;
                    }
                    for (int dy = 0; dy < scale; dy++) {
                        for (int dx = 0; dx < scale; dx++) {
                            img.setRGB(tx + x * scale + dx, ty + y * scale + dy, rgb);
                        }
                    }
                }
            }
        }
        save(name, title, img, note);
    }

    @Override
    public void image(String name, String title, BufferedImage image) {
        // The picture is the model's own: keep its pixels, and let the title become the caption.
        String c = caption == null ? title : caption;
        caption = c;
        save(name, title, image, null);
    }

    @Override
    public void heatmap(String name, String title, float[][] values, List<String> rowLabels, List<String> columnLabels) {
        int rows = values.length;
        int cols = rows == 0 ? 0 : values[0].length;
        for (float[] row : values) {
            if (row.length != cols) {
                throw new IllegalArgumentException("heat map rows differ in length: " + cols + " and " + row.length);
            }
        }
        if (rowLabels != null && rowLabels.size() != rows || columnLabels != null && columnLabels.size() != cols) {
            throw new IllegalArgumentException("heat map labels: " + (rowLabels == null ? "-" : rowLabels.size()) + " rows and "
                    + (columnLabels == null ? "-" : columnLabels.size()) + " columns for a " + rows + "×" + cols + " matrix");
        }
        if (rows == 0 || cols == 0) {
            save(name, title, placeholder(title, "empty matrix"), null);
            return;
        }
        Range r = new Range();
        for (float[] row : values) {
            for (float v : row) {
                if (Float.isFinite(v)) {
                    r.add(v);
                }
            }
        }
        if (r.lo > r.hi) {
            r.lo = 0;
            r.hi = 1;
        }
        double span = r.hi - r.lo > 0 ? r.hi - r.lo : 1;
        // Cells of at least 1 px, about 560 px wide in all; long label lists are thinned out.
        int cell = Math.max(1, Math.min(40, 560 / Math.max(cols, 1)));
        int cellH = Math.max(1, Math.min(40, Math.max(cell, 360 / rows)));
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D pg = probe.createGraphics();
        pg.setFont(SMALL);
        FontMetrics fm = pg.getFontMetrics();
        int labelW = 0;
        for (int i = 0; i < rows; i++) {
            labelW = Math.max(labelW, fm.stringWidth(label(rowLabels, i)));
        }
        pg.dispose();
        int left = 12 + Math.min(labelW, 140);
        int top = 34;
        int plotW = cols * cell;
        int plotH = rows * cellH;
        int bar = 70;
        int bottom = 34;
        BufferedImage img = canvas(Math.max(left + plotW + bar, titleWidth(title) + 16), top + plotH + bottom, title);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        boolean showValues = rows * cols <= 150 && cell >= 30 && cellH >= 16;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                float v = values[i][j];
                g.setColor(Float.isFinite(v) ? viridis((v - r.lo) / span) : GAP);
                g.fillRect(left + j * cell, top + i * cellH, cell, cellH);
                if (showValues && Float.isFinite(v)) {
                    g.setFont(SMALL);
                    g.setColor((v - r.lo) / span > 0.6 ? INK : Color.WHITE);
                    String s = PngFigures.fmt(v);
                    g.drawString(s, left + j * cell + (cell - g.getFontMetrics().stringWidth(s)) / 2, top + i * cellH + cellH / 2 + 4);
                }
            }
        }
        g.setFont(SMALL);
        g.setColor(INK);
        int rowStep = Math.max(1, (int) Math.ceil(14.0 / cellH));
        for (int i = 0; i < rows; i += rowStep) {
            String s = clip(label(rowLabels, i), g.getFontMetrics(), left - 12);
            g.drawString(s, left - 6 - g.getFontMetrics().stringWidth(s), top + i * cellH + cellH / 2 + 4);
        }
        int widest = 0;
        for (int j = 0; j < cols; j++) {
            widest = Math.max(widest, g.getFontMetrics().stringWidth(label(columnLabels, j)));
        }
        int colStep = Math.max(1, (int) Math.ceil((Math.min(widest, 80) + 6.0) / cell));
        for (int j = 0; j < cols; j += colStep) {
            String s = clip(label(columnLabels, j), g.getFontMetrics(), 80);
            g.drawString(s, left + j * cell + cell / 2 - g.getFontMetrics().stringWidth(s) / 2, top + plotH + 15);
        }
        // Colour bar with its range.
        int bx = left + plotW + 14;
        for (int y = 0; y < plotH; y++) {
            g.setColor(viridis(1 - y / (double) Math.max(1, plotH - 1)));
            g.fillRect(bx, top + y, 14, 1);
        }
        g.setColor(INK);
        g.drawString(fmt(r.hi), bx + 18, top + 10);
        g.drawString(fmt(r.lo), bx + 18, top + plotH);
        g.dispose();
        save(name, title, img, null);
        saveCsv(written.get(written.size() - 1).file(), values, rowLabels, columnLabels);
    }

    private static String label(List<String> labels, int i) {
        return labels == null ? Integer.toString(i) : String.valueOf(labels.get(i));
    }

    private static String clip(String s, FontMetrics fm, int width) {
        if (fm.stringWidth(s) <= width) {
            return s;
        }
        while (s.length() > 1 && fm.stringWidth(s + "…") > width) {
            s = s.substring(0, s.length() - 1);
        }
        return s + "…";
    }

    /** Viridis, linearly interpolated between nine of its colours. */
    static Color viridis(double t) {
        int[] stops = {0x440154, 0x472D7B, 0x3B528B, 0x2C728E, 0x21918C, 0x28AE80, 0x5EC962, 0xADDC30, 0xFDE725};
        double x = Math.max(0, Math.min(1, Double.isFinite(t) ? t : 0)) * (stops.length - 1);
        int i = Math.min(stops.length - 2, (int) x);
        double f = x - i;
        int a = stops[i];
        int b = stops[i + 1];
        int red = (int) Math.round(((a >> 16) & 0xff) * (1 - f) + ((b >> 16) & 0xff) * f);
        int green = (int) Math.round(((a >> 8) & 0xff) * (1 - f) + ((b >> 8) & 0xff) * f);
        int blue = (int) Math.round((a & 0xff) * (1 - f) + (b & 0xff) * f);
        return new Color(red, green, blue);
    }

    private static int titleWidth(String title) {
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = probe.createGraphics();
        g.setFont(TITLE);
        int w = g.getFontMetrics().stringWidth(title == null ? "" : title);
        g.dispose();
        return w;
    }

    /** A white image with the title on top. */
    private static BufferedImage canvas(int width, int height, String title) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(INK);
        g.setFont(TITLE);
        String t = title == null ? "" : title;
        g.drawString(t, Math.max(8, (width - g.getFontMetrics().stringWidth(t)) / 2), 20);
        g.dispose();
        return img;
    }

    /** Stands in for a chart that has nothing to draw, so the report says so instead of leaving a hole. */
    private static BufferedImage placeholder(String title, String message) {
        BufferedImage img = canvas(WIDTH, 90, title);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(new Color(0x666666));
        g.setFont(LABEL);
        g.drawString(message, (WIDTH - g.getFontMetrics().stringWidth(message)) / 2, 56);
        g.dispose();
        return img;
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }
}

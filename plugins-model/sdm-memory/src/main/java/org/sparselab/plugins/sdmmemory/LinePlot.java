package org.sparselab.plugins.sdmmemory;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A line chart drawn with Java2D (the plugin bundles no plotting library): named series, optional log-10 y axis. */
final class LinePlot {
    private static final Color[] PALETTE = {new Color(0x7f7f7f), new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
            new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf),
            new Color(0xbcbd22), new Color(0x000000), new Color(0xaec7e8)};
    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final boolean logY;
    private final Map<String, double[][]> series = new LinkedHashMap<>();

    LinePlot(String title, String xLabel, String yLabel, boolean logY) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.logY = logY;
    }

    LinePlot add(String name, double[] x, double[] y) {
        series.put(name, new double[][]{x, y});
        return this;
    }

    void write(Path file) throws IOException {
        int w = 860;
        int h = 500;
        int left = 80;
        int right = 250;
        int top = 40;
        int bottom = 60;
        double x0 = Double.POSITIVE_INFINITY;
        double x1 = Double.NEGATIVE_INFINITY;
        double y0 = Double.POSITIVE_INFINITY;
        double y1 = Double.NEGATIVE_INFINITY;
        for (double[][] s : series.values()) {
            for (int i = 0; i < s[0].length; i++) {
                double y = ty(s[1][i]);
                if (!Double.isFinite(y)) {
                    continue;
                }
                x0 = Math.min(x0, s[0][i]);
                x1 = Math.max(x1, s[0][i]);
                y0 = Math.min(y0, y);
                y1 = Math.max(y1, y);
            }
        }
        if (!(x1 > x0)) {
            x1 = x0 + 1;
        }
        if (!(y1 > y0)) {
            y1 = y0 + 1;
        }
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, left, 24);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        int pw = w - left - right;
        int ph = h - top - bottom;
        g.drawRect(left, top, pw, ph);
        for (int t = 0; t <= 5; t++) {
            double xv = x0 + (x1 - x0) * t / 5;
            int px = left + pw * t / 5;
            g.drawLine(px, top + ph, px, top + ph + 4);
            g.drawString(String.format(Locale.ROOT, "%.3g", xv), px - 14, top + ph + 18);
            double yv = y0 + (y1 - y0) * t / 5;
            int py = top + ph - ph * t / 5;
            g.drawLine(left - 4, py, left, py);
            g.drawString(logY ? String.format(Locale.ROOT, "1e%.1f", yv) : String.format(Locale.ROOT, "%.3g", yv), 8, py + 4);
        }
        g.drawString(xLabel, left + pw / 2 - 30, h - 18);
        g.drawString(yLabel + (logY ? " (log10)" : ""), 8, top - 8);
        int k = 0;
        for (Map.Entry<String, double[][]> e : series.entrySet()) {
            Color c = PALETTE[k % PALETTE.length];
            g.setColor(c);
            g.setStroke(new BasicStroke(2f));
            double[] xs = e.getValue()[0];
            double[] ys = e.getValue()[1];
            int px0 = -1;
            int py0 = -1;
            for (int i = 0; i < xs.length; i++) {
                double y = ty(ys[i]);
                if (!Double.isFinite(y)) {
                    px0 = -1;
                    continue;
                }
                int px = left + (int) Math.round((xs[i] - x0) / (x1 - x0) * pw);
                int py = top + ph - (int) Math.round((y - y0) / (y1 - y0) * ph);
                if (px0 >= 0) {
                    g.drawLine(px0, py0, px, py);
                }
                g.fillOval(px - 2, py - 2, 4, 4);
                px0 = px;
                py0 = py;
            }
            g.fillRect(left + pw + 12, top + 10 + 18 * k, 12, 12);
            g.setColor(Color.BLACK);
            g.drawString(e.getKey(), left + pw + 30, top + 21 + 18 * k);
            k++;
        }
        g.dispose();
        Path abs = file.toAbsolutePath();
        if (abs.getParent() != null) {
            Files.createDirectories(abs.getParent());
        }
        Path tmp = Files.createTempFile(abs.getParent(), abs.getFileName().toString(), ".tmp");
        ImageIO.write(img, "png", tmp.toFile());
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private double ty(double y) {
        return logY ? (y > 0 ? Math.log10(y) : Double.NaN) : y;
    }
}

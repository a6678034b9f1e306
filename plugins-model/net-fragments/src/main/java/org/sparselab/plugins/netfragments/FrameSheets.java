package org.sparselab.plugins.netfragments;

import org.sparselab.api.plot.Figures;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * Pictures of S2 at work, in place of the original's mp4: one sheet per sample, one row per timestep, four panels
 * (input; S1 features coloured per channel; S2 output merged over alternatives, coloured per channel; S2 support,
 * max over channels of x_norm where S1 or S2 is active), and the learned lateral weights.
 */
public final class FrameSheets {

    /** Channel colours: vertical red, "/" green, horizontal blue, "\" orange. */
    static final Color[] CHANNEL = {new Color(230, 60, 60), new Color(60, 200, 80), new Color(70, 120, 255), new Color(255, 170, 40)};
    private static final int SCALE = 4;
    private static final int PANEL = NetFragments.SIZE * SCALE;
    private static final int GAP = 6;
    private static final int HEADER = 18;
    private static final int LEFT = 34;
    private static final String[] TITLES = {"input", "S1 features", "S2 output", "S2 support"};

    private FrameSheets() {
    }

    /** A sheet for one sample; {@code cycle} must hold every timestep (run with keepSteps). */
    public static BufferedImage sheet(NetFragments net, float[] image, float[] features, LateralLayer.Cycle cycle) {
        int steps = cycle.outputs().size();
        int w = LEFT + 4 * PANEL + 3 * GAP;
        int h = HEADER + steps * (PANEL + GAP);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int c = 0; c < 4; c++) {
            g.drawString(TITLES[c], LEFT + c * (PANEL + GAP) + 2, 13);
        }
        for (int t = 0; t < steps; t++) {
            int y = HEADER + t * (PANEL + GAP);
            g.setColor(Color.BLACK);
            g.drawString("t=" + t, 2, y + PANEL / 2);
            float[] merged = net.merge(cycle.outputs().get(t));
            draw(g, grey(image), LEFT, y);
            draw(g, coloured(features), LEFT + PANEL + GAP, y);
            draw(g, coloured(merged), LEFT + 2 * (PANEL + GAP), y);
            draw(g, support(net, cycle.normalised().get(t), features, merged), LEFT + 3 * (PANEL + GAP), y);
        }
        g.dispose();
        return out;
    }

    private static void draw(Graphics2D g, BufferedImage panel, int x, int y) {
        g.drawImage(panel, x, y, PANEL, PANEL, null);
    }

    private static BufferedImage grey(float[] img) {
        BufferedImage b = new BufferedImage(NetFragments.SIZE, NetFragments.SIZE, BufferedImage.TYPE_INT_RGB);
        for (int p = 0; p < NetFragments.PIXELS; p++) {
            int v = Math.round(255 * Math.max(0, Math.min(1, img[p])));
            b.setRGB(p % NetFragments.SIZE, p / NetFragments.SIZE, v << 16 | v << 8 | v);
        }
        return b;
    }

    /** Four channels {@code [4*1024]} added in their colours on black. */
    static BufferedImage coloured(float[] maps) {
        BufferedImage b = new BufferedImage(NetFragments.SIZE, NetFragments.SIZE, BufferedImage.TYPE_INT_RGB);
        for (int p = 0; p < NetFragments.PIXELS; p++) {
            float r = 0;
            float gr = 0;
            float bl = 0;
            for (int c = 0; c < S1Filters.CHANNELS; c++) {
                float v = Math.max(0, Math.min(1, maps[c * NetFragments.PIXELS + p]));
                r += v * CHANNEL[c].getRed();
                gr += v * CHANNEL[c].getGreen();
                bl += v * CHANNEL[c].getBlue();
            }
            b.setRGB(p % NetFragments.SIZE, p / NetFragments.SIZE,
                    Math.min(255, Math.round(r)) << 16 | Math.min(255, Math.round(gr)) << 8 | Math.min(255, Math.round(bl)));
        }
        return b;
    }

    /** Max over cells of x_norm at pixels where S1 or S2 is active (the original's "probabilities" panel), as heat. */
    private static BufferedImage support(NetFragments net, float[] norm, float[] features, float[] merged) {
        BufferedImage b = new BufferedImage(NetFragments.SIZE, NetFragments.SIZE, BufferedImage.TYPE_INT_RGB);
        int cells = net.s2().cells();
        for (int p = 0; p < NetFragments.PIXELS; p++) {
            boolean on = false;
            for (int c = 0; c < S1Filters.CHANNELS; c++) {
                on |= features[c * NetFragments.PIXELS + p] > 0.5f || merged[c * NetFragments.PIXELS + p] > 0;
            }
            float v = 0;
            if (on) {
                for (int co = 0; co < cells; co++) {
                    v = Math.max(v, norm[co * NetFragments.PIXELS + p]);
                }
            }
            v = Math.max(0, Math.min(1, v));
            // black → red → yellow
            int r = Math.round(255 * Math.min(1, 2 * v));
            int gr = Math.round(255 * Math.max(0, 2 * v - 1));
            b.setRGB(p % NetFragments.SIZE, p / NetFragments.SIZE, r << 16 | gr << 8);
        }
        return b;
    }

    /** Each cell's learned 11×11 weights from its own feature channel, one row of alternatives per channel. */
    public static void lateralWeights(Figures out, NetFragments net) {
        LateralLayer s2 = net.s2();
        int cells = s2.cells();
        int a = s2.alternatives();
        float[] w = s2.weights();
        float[] grid = new float[cells * LateralLayer.TAPS];
        for (int co = 0; co < cells; co++) {
            int ci = co / a;
            System.arraycopy(w, co * s2.patchSize() + ci * LateralLayer.TAPS, grid, co * LateralLayer.TAPS, LateralLayer.TAPS);
        }
        out.imageGrid("lateral-weights", "S2 weights from each cell's own feature channel (rows: vertical, /, horizontal, \\; columns: alternatives)",
                grid, cells, 1, LateralLayer.KERNEL, LateralLayer.KERNEL, a);
    }
}

package org.sparselab.api.plot;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;

/**
 * Where a model plugin draws its own figures without depending on a plotting library: the framework renders
 * them as PNG files in the run's {@code plots/} folder and puts them in {@code report.html}. Names become file
 * names (letters, digits, '-', '_'; anything else turns into '_'); a name used twice in one report gets a suffix.
 * A figure that fails (bad shapes, an exception) is logged and listed in the report; it never fails the run.
 *
 * <p>Typical uses: line charts of memory curves, heat maps of class × unit statistics, grids of learned
 * filters or of per-timestep frames ({@link #imageGrid(String, String, float[], int, int, int, int, int)} with
 * {@code columns} = time steps), or a picture drawn with Java2D ({@link #image}).
 */
public interface Figures {

    /** Line chart: each series is {x values, y values}; non-finite points are left out (and counted in the caption). */
    void lines(String name, String title, String xLabel, String yLabel, Map<String, double[][]> series);

    /** Heat map of {@code values[row][column]}, with optional axis labels (null for indices). */
    void heatmap(String name, String title, float[][] values, List<String> rowLabels, List<String> columnLabels);

    /**
     * Grid of grey images: {@code pixels} holds {@code count} images of {@code height × width} values, row-major,
     * one after the other; each image is scaled to its own min..max.
     */
    void imageGrid(String name, String title, float[] pixels, int count, int height, int width);

    /** Histogram of values in {@code bins} equal bins. */
    void histogram(String name, String title, String xLabel, double[] values, int bins);

    /**
     * Grid of grey ({@code channels} = 1) or colour ({@code channels} = 3, RGB) images. {@code pixels} holds
     * {@code count} images one after the other, each {@code channels × height × width} values (channel-major, the
     * layout of a {@code [c, h, w]} sample in {@link org.sparselab.api.data.DataSpec}); each image is scaled to its
     * own min..max. {@code columns} is the number of images per row (e.g. the time steps of a sequence), 0 for a
     * near-square grid. At most 400 images are drawn.
     *
     * <p>The default draws colour as grey (channel mean) in a square grid, for sinks that only know grey grids;
     * the framework's sink draws colour and honours {@code columns}.
     */
    default void imageGrid(String name, String title, float[] pixels, int count, int channels, int height, int width, int columns) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        }
        int plane = height * width;
        if (pixels.length < (long) count * channels * plane) {
            throw new IllegalArgumentException(pixels.length + " pixels for " + count + " images of " + channels + "×" + height + "×" + width);
        }
        if (channels == 1) {
            imageGrid(name, title, pixels, count, height, width);
            return;
        }
        float[] grey = new float[count * plane];
        for (int i = 0; i < count; i++) {
            for (int p = 0; p < plane; p++) {
                int base = i * 3 * plane + p;
                grey[i * plane + p] = (pixels[base] + pixels[base + plane] + pixels[base + 2 * plane]) / 3f;
            }
        }
        imageGrid(name, title, grey, count, height, width);
    }

    /**
     * A picture the model drew itself (e.g. with Java2D), saved as it is. The default hands its luminance to
     * {@link #imageGrid(String, String, float[], int, int, int)} as one grey image.
     */
    default void image(String name, String title, BufferedImage image) {
        int h = image.getHeight();
        int w = image.getWidth();
        float[] grey = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = image.getRGB(x, y);
                grey[y * w + x] = 0.299f * ((rgb >> 16) & 0xff) + 0.587f * ((rgb >> 8) & 0xff) + 0.114f * (rgb & 0xff);
            }
        }
        imageGrid(name, title, grey, 1, h, w);
    }
}

package org.sparselab.api.plot;

import java.util.List;
import java.util.Map;

/**
 * Where a model plugin draws its own figures without depending on a plotting library: the framework renders
 * them as PNG files in the run's {@code plots/} folder and puts them in {@code report.html}. Names become file
 * names (letters, digits, '-', '_').
 */
public interface Figures {

    /** Line chart: each series is {x values, y values}. */
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
}

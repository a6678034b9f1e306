package org.sparselab.core.denoise;

import org.sparselab.api.data.DataSource;
import org.sparselab.api.data.FloatTensor;
import org.sparselab.core.UserException;

/**
 * How samples go back to pixel values in [0, 1] for the PSNR (spec vdl.md §7): x_pix = (x·s_i + m_i)·scale + offset,
 * with per-sample maps (s_i, m_i) where the dataset has them (LCN patches: {@code <split>_std}, {@code <split>_mean}) and
 * s = 1, m = 0 otherwise. Datasets declare scale and offset as ground truth {@code pixel_scale} / {@code pixel_offset}
 * (shape [1]); a run can override them. For a noisy input or a reconstruction the CLEAN sample's maps are used.
 *
 * @param stdMaps per-sample std maps {@code [n, dim]} of the split, or null
 * @param meanMaps per-sample mean maps, or null
 * @param source what the mapping came from, for the record
 */
public record PixelMap(double scale, double offset, FloatTensor stdMaps, FloatTensor meanMaps, String source) {
    public static final String SCALE = "pixel_scale";
    public static final String OFFSET = "pixel_offset";

    public static PixelMap constant(double scale, double offset) {
        return new PixelMap(scale, offset, null, null, "x_pix = x * " + scale + " + " + offset);
    }

    /** The mapping of {@code split}: the config's override, else the dataset's declaration, else the identity. */
    public static PixelMap of(DataSource data, String split, Double scaleOverride, Double offsetOverride, int splitSize) {
        var truth = data.groundTruth();
        FloatTensor std = truth.get(split + "_std");
        FloatTensor mean = truth.get(split + "_mean");
        if (std != null && std.rows() != splitSize) {
            throw new UserException("denoise: the dataset's " + split + "_std maps have " + std.rows() + " rows for " + splitSize + " samples");
        }
        boolean declared = truth.containsKey(SCALE);
        double scale = scaleOverride != null ? scaleOverride : declared ? truth.get(SCALE).data()[0] : 1.0;
        double offset = offsetOverride != null ? offsetOverride : truth.containsKey(OFFSET) ? truth.get(OFFSET).data()[0] : 0.0;
        String how = scaleOverride != null ? "config" : declared ? "dataset" : "identity (the dataset declares no pixel mapping)";
        String formula = std != null ? "x_pix = (x * " + split + "_std + " + split + "_mean) * " + scale + " + " + offset
                : "x_pix = x * " + scale + " + " + offset;
        return new PixelMap(scale, offset, std, mean, formula + " [" + how + "]");
    }

    /** The factor that turns a difference of sample {@code row} at position {@code j} into a pixel difference. */
    double factor(int row, int j, int dim) {
        return stdMaps == null ? scale : scale * stdMaps.data()[row * dim + j];
    }

    /**
     * PSNR of one image (R = 1): 10·log10(1 / MSE) over pixel differences; an exact zero MSE counts as 1e-4 (40 dB),
     * as the original's utils.PSNR.
     *
     * @param row the sample's index in the split (its maps)
     */
    public double psnr(float[] target, int tOff, float[] pred, int pOff, int dim, int row) {
        double sum = 0;
        for (int j = 0; j < dim; j++) {
            double d = ((double) target[tOff + j] - pred[pOff + j]) * factor(row, j, dim);
            sum += d * d;
        }
        double mse = sum / dim;
        if (mse == 0) {
            mse = 1e-4;
        }
        return 10 * Math.log10(1 / mse);
    }
}

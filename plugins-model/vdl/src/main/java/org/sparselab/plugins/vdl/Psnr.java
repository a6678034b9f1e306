package org.sparselab.plugins.vdl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * PSNR as the original's utils.PSNR (spec vdl.md §7, check C9): target and prediction are mapped back to pixel space,
 * then per image PSNR = 10·log10(R² / MSE) with R = 1 and MSE the mean over the image's pixels; an MSE of exactly 0 is
 * replaced by 1e-4 (so identical images give 40 dB). The reported value is the mean of the per-image PSNRs. No clamping.
 *
 * <p>Pixel space is affine in the model's input space, so the offset cancels in the difference: MNIST
 * (x_pix = x·0.3081 + 0.1307) needs only {@code scale = 0.3081}; ImageNet-LCN patches (x_pix = (x·s + m)·0.259 + 0.457)
 * need {@code scale = 0.259} and the patch's own LCN std map s (for denoising, the CLEAN patch's map).
 */
public final class Psnr {
    /** The MSE that replaces an exact 0 (⇒ 40 dB). */
    public static final double ZERO_MSE = 1e-4;

    private Psnr() {
    }

    /**
     * Per-image PSNR {@code [n]} (float64) of {@code prediction} against {@code target}, both {@code [n, P]} in the model's
     * input space.
     *
     * @param scale pixel-space units per input unit (0.3081 for standardised MNIST, 0.259 for LCN, 1 for data already in pixels)
     * @param stdMaps per-image multiplier {@code [n, P]} (the LCN std maps s), or null for none
     */
    public static NDArray perImage(NDArray target, NDArray prediction, double scale, NDArray stdMaps) {
        long n = target.getShape().get(0);
        NDArray diff = prediction.reshape(target.getShape()).toType(DataType.FLOAT64, false).sub(target.toType(DataType.FLOAT64, false));
        if (stdMaps != null) {
            diff = diff.mul(stdMaps.reshape(target.getShape()).toType(DataType.FLOAT64, false));
        }
        NDArray mse = diff.mul(scale).square().mean(new int[]{1});
        NDArray zero = mse.eq(0.0);
        mse = mse.add(zero.toType(DataType.FLOAT64, false).mul(ZERO_MSE));
        return mse.log10().neg().mul(10.0).reshape(n);
    }

    /** The mean of {@link #perImage}. */
    public static double mean(NDArray target, NDArray prediction, double scale, NDArray stdMaps) {
        return perImage(target, prediction, scale, stdMaps).mean().getDouble();
    }
}

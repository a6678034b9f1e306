package org.sparselab.core.denoise;

import org.sparselab.api.config.Check;
import org.sparselab.api.config.ConfigException;
import org.sparselab.api.config.Param;

import java.util.ArrayList;
import java.util.List;

/** Parameters of {@code evaluate: denoise} and {@code sparselab denoise}. */
public record DenoiseConfig(
        @Param("noise levels σ: y_noisy = y + σ·N(0, 1) in the model's input space (e.g. MNIST standardised: pixel std 0.3081·σ)") List<Double> sigma,
        @Param("split the images come from") String split,
        @Param("samples per encoder call; 0 = the run's training.eval_batch_size (the original: 250)") Integer batchSize,
        @Param("drop a last partial batch, as the original's DataLoader(drop_last=True)") Boolean dropLast,
        @Param("at most this many samples (the first ones of the split); 0 = all") Integer maxSamples,
        @Param("seed of the noise (reset for every σ, so every level adds the same pattern scaled); unset = the run's seed") Long seed,
        @Param("pixel mapping x_pix = x·pixel_scale + pixel_offset; unset = what the dataset declares (ground truth pixel_scale, "
                + "pixel_offset and per-sample <split>_std / <split>_mean maps), identity when it declares none") Double pixelScale,
        @Param("offset of the pixel mapping (cancels in the PSNR; recorded)") Double pixelOffset,
        @Param("also report the trivial baselines: an all-zero prediction in input space and the mean training sample (check C7)") Boolean baselines) {

    public DenoiseConfig {
        List<Double> s = sigma == null ? List.of(1.0) : sigma;
        List<Double> clean = new ArrayList<>();
        for (Double v : s) {
            if (v == null || !Double.isFinite(v) || v < 0) {
                throw ConfigException.invalid("sigma", v, "finite numbers >= 0");
            }
            if (clean.contains(v)) {
                throw ConfigException.invalid("sigma", v, "each level once");
            }
            clean.add(v);
        }
        if (clean.isEmpty()) {
            throw ConfigException.invalid("sigma", s, "at least one level");
        }
        sigma = List.copyOf(clean);
        split = Check.orDefault(split, "test");
        batchSize = Check.atLeast("batch_size", Check.orDefault(batchSize, 0), 0);
        dropLast = Check.orDefault(dropLast, Boolean.TRUE);
        maxSamples = Check.atLeast("max_samples", Check.orDefault(maxSamples, 0), 0);
        if (pixelScale != null) {
            Check.positive("pixel_scale", pixelScale);
        }
        if (pixelOffset != null && !Double.isFinite(pixelOffset)) {
            throw ConfigException.invalid("pixel_offset", pixelOffset, "a finite number");
        }
        baselines = Check.orDefault(baselines, Boolean.TRUE);
    }

    public static DenoiseConfig defaults() {
        return new DenoiseConfig(null, null, null, null, null, null, null, null, null);
    }
}

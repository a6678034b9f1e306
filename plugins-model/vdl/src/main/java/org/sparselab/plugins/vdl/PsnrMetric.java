package org.sparselab.plugins.vdl;

import org.pf4j.Extension;
import org.sparselab.api.Metric;
import org.sparselab.api.config.Check;
import org.sparselab.api.config.Param;
import org.sparselab.api.metric.MetricAccumulator;
import org.sparselab.api.metric.MetricContext;
import org.sparselab.api.metric.ReconstructionMean;

/**
 * {@code psnr}: the mean per-image PSNR of the reconstruction against the clean input, as VDL's utils.PSNR (spec vdl.md
 * §7, {@link Psnr}): pixel space = input × scale (+ an offset that cancels), R = 1, an exact-zero MSE counts as 1e-4
 * (40 dB). For LCN patches the per-patch std maps are needed as well, which a metric does not see (a batch's step
 * output carries no sample indices); {@link Psnr#perImage} takes them where an evaluation has them.
 */
@Extension
public final class PsnrMetric implements Metric<PsnrMetric.Config> {

    /** Parameters of {@code psnr}. */
    public record Config(
            @Param("pixel-space units per input unit: 0.3081 for MNIST standardised with mean 0.1307 / std 0.3081, 1 for inputs in [0, 1] (> 0)") Double scale) {
        public Config {
            scale = Check.positive("scale", Check.orDefault(scale, 1.0));
        }
    }

    @Override
    public String id() {
        return "psnr";
    }

    @Override
    public String description() {
        return "Mean per-image PSNR (dB, peak 1 in pixel space = input x scale; a zero MSE counts as 40 dB) of the reconstruction";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public MetricAccumulator create(Config config, MetricContext context) {
        return new ReconstructionMean("psnr", context, (x, y) -> Psnr.mean(x, y, config.scale(), null));
    }
}

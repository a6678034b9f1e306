package org.sparselab.core.config;

import org.sparselab.api.config.Check;
import org.sparselab.api.config.Param;

import java.util.List;

/**
 * {@code training.keep_best}: keep the parameters of the epoch with the best validation value of {@code metric}
 * ({@code model/best.npz}) and use them for the test pass and the evaluations. Off when the key is absent.
 */
public record KeepBestConfig(
        @Param("a key of the val rows of metrics.jsonl: loss (the model's validation loss) or a metric's value, e.g. psnr") String metric,
        @Param("min | max: whether a lower or a higher value is better") String mode) {

    public KeepBestConfig {
        metric = Check.orDefault(metric, "loss");
        if (metric.isBlank()) {
            throw org.sparselab.api.config.ConfigException.invalid("training.keep_best.metric", metric, "a val metric name such as loss or psnr");
        }
        mode = Check.oneOf("training.keep_best.mode", Check.orDefault(mode, "min"), List.of("min", "max"));
    }

    /** True when {@code value} is better than {@code best} (NaN is never better; anything beats no value yet). */
    public boolean better(double value, Double best) {
        if (Double.isNaN(value)) {
            return false;
        }
        if (best == null || Double.isNaN(best)) {
            return true;
        }
        return mode.equals("min") ? value < best : value > best;
    }
}

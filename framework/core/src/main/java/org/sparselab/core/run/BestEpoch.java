package org.sparselab.core.run;

import org.sparselab.core.UserException;
import org.sparselab.core.config.KeepBestConfig;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Tracks the best validation epoch for {@code training.keep_best}: which epoch, its value, and how many val passes
 * were compared. A null config tracks nothing (the option is off).
 */
public final class BestEpoch {
    private final KeepBestConfig config;
    private int epoch;
    private Double value;
    private int compared;

    public BestEpoch(KeepBestConfig config) {
        this.config = config;
    }

    /**
     * Offers a val row of epoch {@code epoch} (1-based); true when it is the new best (the caller then saves the
     * parameters). A row without the metric is a user error naming the keys the rows have.
     */
    public boolean offer(int epoch, Map<String, Double> valRow, String file) {
        if (config == null) {
            return false;
        }
        Double v = valRow.get(config.metric());
        if (v == null) {
            throw new UserException(file + ": training.keep_best.metric '" + config.metric() + "' is not in the val rows; they have "
                    + new TreeSet<>(valRow.keySet()));
        }
        compared++;
        if (config.better(v, value)) {
            this.epoch = epoch;
            this.value = v;
            return true;
        }
        return false;
    }

    public KeepBestConfig config() {
        return config;
    }

    /** The best epoch (1-based), 0 when none was kept. */
    public int epoch() {
        return epoch;
    }

    public double value() {
        return value == null ? Double.NaN : value;
    }

    /** What summary.json records under {@code best}. */
    public Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("metric", config.metric());
        m.put("mode", config.mode());
        m.put("epoch", epoch);
        m.put("value", value);
        m.put("val_passes_compared", compared);
        m.put("parameters", epoch > 0 ? Runner.BEST : Runner.PARAMETERS);
        return m;
    }
}

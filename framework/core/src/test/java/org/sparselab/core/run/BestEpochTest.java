package org.sparselab.core.run;

import org.junit.jupiter.api.Test;
import org.sparselab.core.UserException;
import org.sparselab.core.config.ConfigBinder;
import org.sparselab.core.config.ConfigError;
import org.sparselab.core.config.ConfigSource;
import org.sparselab.core.config.KeepBestConfig;
import org.sparselab.core.config.TrainingConfig;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** training.keep_best: binding, defaults, and which epoch wins. */
class BestEpochTest {

    private static TrainingConfig bind(Map<String, Object> m) {
        return ConfigBinder.bind(m, TrainingConfig.class, "training", ConfigSource.inline("test"), "training");
    }

    @Test
    void offByDefaultAndNotWrittenToTheResolvedConfig() throws Exception {
        TrainingConfig tc = bind(Map.of("epochs", 3));
        assertNull(tc.keepBest());
        String yaml = ConfigBinder.mapper().writeValueAsString(tc);
        assertFalse(yaml.contains("keep_best"), yaml);
        BestEpoch off = new BestEpoch(null);
        assertFalse(off.offer(1, Map.of("loss", 1.0), "f"));
        assertEquals(0, off.epoch());
    }

    @Test
    void bindsWithDefaultsAndRejectsABadMode() throws Exception {
        TrainingConfig tc = bind(Map.of("keep_best", Map.of()));
        assertEquals("loss", tc.keepBest().metric());
        assertEquals("min", tc.keepBest().mode());
        TrainingConfig psnr = bind(Map.of("keep_best", Map.of("metric", "psnr", "mode", "max")));
        assertEquals("max", psnr.keepBest().mode());
        // round trip through the resolved config
        String yaml = ConfigBinder.mapper().writeValueAsString(psnr);
        assertTrue(yaml.contains("keep_best"), yaml);
        TrainingConfig back = ConfigBinder.mapper().readValue(yaml, TrainingConfig.class);
        assertEquals(psnr.keepBest(), back.keepBest());
        ConfigError e = assertThrows(ConfigError.class, () -> bind(Map.of("keep_best", Map.of("mode", "lowest"))));
        assertTrue(e.getMessage().contains("mode") && e.getMessage().contains("min"), e.getMessage());
        assertThrows(ConfigError.class, () -> bind(Map.of("keep_best", Map.of("metrc", "loss"))));
    }

    @Test
    void keepsTheLowestOrHighestValueAndTheFirstOfTies() {
        BestEpoch min = new BestEpoch(new KeepBestConfig(null, null));
        List<Double> losses = List.of(3.0, 2.0, 2.5, 2.0, Double.NaN, 1.5, 1.7);
        boolean[] expected = {true, true, false, false, false, true, false};
        for (int i = 0; i < losses.size(); i++) {
            assertEquals(expected[i], min.offer(i + 1, Map.of("loss", losses.get(i)), "f"), "epoch " + (i + 1));
        }
        assertEquals(6, min.epoch());
        assertEquals(1.5, min.value());
        assertEquals(7, min.summary().get("val_passes_compared"));
        assertEquals(Runner.BEST, min.summary().get("parameters"));

        BestEpoch max = new BestEpoch(new KeepBestConfig("psnr", "max"));
        max.offer(1, Map.of("psnr", 12.0, "loss", 1.0), "f");
        max.offer(2, Map.of("psnr", 14.0, "loss", 2.0), "f");
        max.offer(3, Map.of("psnr", 13.0, "loss", 0.5), "f");
        assertEquals(2, max.epoch());
        assertEquals(14.0, max.value());
    }

    @Test
    void aMetricMissingFromTheValRowsIsNamed() {
        BestEpoch b = new BestEpoch(new KeepBestConfig("psnr", "max"));
        UserException e = assertThrows(UserException.class, () -> b.offer(1, Map.of("loss", 1.0, "mse", 0.2), "run.yaml"));
        assertTrue(e.getMessage().contains("run.yaml") && e.getMessage().contains("psnr") && e.getMessage().contains("[loss, mse]"), e.getMessage());
    }
}

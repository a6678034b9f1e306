package org.sparselab.core.sweep;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparselab.core.UserException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The MSA tuner's hyperparameters_config.json, read through a flag mapping into the same grid a YAML sweep gives. */
class FlagGridFormatTest {
    // The committed grid of the MSA repository (spec B7), with its obsolete flag.
    private static final String CONFIG = """
            {
              "intermediate_dim": [250],
              "stripe_dim": [1, 3, 6, 9, 12],
              "num_stripes": [30],
              "num_active_neurons": [15, 30, 45],
              "num_active_stripes": [3, 6, 9],
              "layer_sparsity_mode": ["none"],
              "stripe_sparsity_mode": ["routing"],
              "lr": [0.01],
              "num_epochs": [12],
              "log_experiment_flags": [true]
            }
            """;

    private static FlagGridFormat format() {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String f : List.of("intermediate_dim", "stripe_dim", "num_stripes", "num_active_neurons", "num_active_stripes",
                "layer_sparsity_mode", "stripe_sparsity_mode")) {
            keys.put(f, "model." + f);
        }
        keys.put("lr", "training.optimizer.lr");
        keys.put("num_epochs", "training.epochs");
        return new FlagGridFormat("hyperparameters_config.json", new SweepSpec.BaseRun(Path.of("stripes-defaults.yaml"), "name: d\n"), keys,
                Set.of("log_experiment_flags"), new SweepSpec.Metric("test", "loss", "min"), 2);
    }

    @Test
    void expandsLikeItertoolsProduct(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("hyperparameters_config.json"), CONFIG);
        SweepSpec s = SweepFormat.read(f, List.of(format()));
        assertEquals(List.of("model.stripe_dim", "model.num_active_neurons", "model.num_active_stripes"),
                s.grid().stream().map(a -> a.key().text()).toList());
        assertEquals(6, s.set().size(), "one-value flags are fixed overrides");
        List<Map<String, Object>> pts = SweepPlan.points(s);
        assertEquals(45, pts.size());
        // itertools.product: the last flag changes fastest
        assertEquals("stripe_dim=1,num_active_neurons=15,num_active_stripes=3", SweepPlan.id(pts.get(0)));
        assertEquals("stripe_dim=1,num_active_neurons=15,num_active_stripes=6", SweepPlan.id(pts.get(1)));
        assertEquals("stripe_dim=1,num_active_neurons=30,num_active_stripes=3", SweepPlan.id(pts.get(3)));
        assertEquals("stripe_dim=12,num_active_neurons=45,num_active_stripes=9", SweepPlan.id(pts.get(44)));
        assertTrue(s.grid().get(0).at().endsWith("hyperparameters_config.json:3"), s.grid().get(0).at());
    }

    @Test
    void anUnknownFlagIsNamedWithItsLine(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("hyperparameters_config.json"), "{\n  \"stripe_dim\": [1, 2],\n  \"strip_dim\": [3]\n}\n");
        String m = assertThrows(UserException.class, () -> SweepFormat.read(f, List.of(format()))).getMessage();
        assertTrue(m.contains("hyperparameters_config.json:3") && m.contains("unknown flag 'strip_dim'"), m);
    }
}

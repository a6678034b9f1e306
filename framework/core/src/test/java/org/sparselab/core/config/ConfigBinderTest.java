package org.sparselab.core.config;

import org.junit.jupiter.api.Test;
import org.sparselab.api.config.Check;
import org.sparselab.api.config.Param;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigBinderTest {

    record Demo(@Param("units") Integer units, @Param("rate") Double learningRate, Boolean flag) {
        Demo {
            units = Check.atLeast("units", Check.orDefault(units, 100), 1);
            learningRate = Check.positive("learning_rate", Check.orDefault(learningRate, 0.1));
            flag = Check.orDefault(flag, Boolean.TRUE);
        }
    }

    private static final String YAML = "name: x\nmodel:\n  id: demo\n  units: 5\n  learning_rate: 0.5\n";

    private static ConfigSource src() {
        return ConfigSource.of("demo.yaml", YAML);
    }

    @Test
    void bindsSnakeCaseKeysAndFillsDefaults() {
        Demo d = ConfigBinder.bind(Map.of("learning_rate", 0.5), Demo.class, "model", src(), "model 'demo'");
        assertEquals(100, d.units());
        assertEquals(0.5, d.learningRate());
        assertEquals(Boolean.TRUE, d.flag());
    }

    @Test
    void unknownKeyNamesFileLineKeyAndTheAcceptedKeys() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("unitz", 5);
        ConfigError e = assertThrows(ConfigError.class, () -> ConfigBinder.bind(p, Demo.class, "model", src(), "model 'demo'"));
        assertTrue(e.getMessage().startsWith("demo.yaml:2: unknown key 'model.unitz'"), e.getMessage());
        assertTrue(e.getMessage().contains("[flag, learning_rate, units]"), e.getMessage());
    }

    @Test
    void wrongTypeAndRangeAreLocated() {
        ConfigError type = assertThrows(ConfigError.class, () -> ConfigBinder.bind(Map.of("units", "five"), Demo.class, "model", src(), "m"));
        assertEquals("demo.yaml:4: model.units = five is not accepted: expected an integer", type.getMessage());
        ConfigError range = assertThrows(ConfigError.class, () -> ConfigBinder.bind(Map.of("units", 0), Demo.class, "model", src(), "m"));
        assertTrue(range.getMessage().startsWith("demo.yaml:4: "), range.getMessage());
        assertTrue(range.getMessage().contains("units = 0 is not accepted: expected an integer >= 1"), range.getMessage());
        ConfigError neg = assertThrows(ConfigError.class, () -> ConfigBinder.bind(Map.of("learning_rate", -1), Demo.class, "model", src(), "m"));
        assertTrue(neg.getMessage().startsWith("demo.yaml:5: "), neg.getMessage());
    }

    @Test
    void yamlLocationsFindNestedKeysAndListItems() {
        YamlLocations loc = YamlLocations.of("a: 1\nb:\n  c: 2\n  d: [x, y]\ne:\n  - id: p\n  - id: q\n    k: 3\n");
        assertEquals(1, loc.line("a"));
        assertEquals(3, loc.line("b.c"));
        assertEquals(6, loc.line("e[0].id"));
        assertEquals(8, loc.line("e[1].k"));
        assertEquals(3, loc.line("b.c.missing"));
    }

    @Test
    void paramInfoListsKeysDefaultsAndDescriptions() {
        List<ParamInfo> info = ParamInfo.describe(Demo.class);
        assertEquals("units", info.get(0).key());
        assertEquals("100", info.get(0).defaultValue());
        assertEquals("learning_rate", info.get(1).key());
        assertEquals("rate", info.get(1).description());
    }

    @Test
    void trainingSectionValidates() {
        TrainingConfig t = ConfigBinder.bind(Map.of("epochs", 3, "optimizer", Map.of("id", "sgdm", "lr", 0.03)),
                TrainingConfig.class, "training", src(), "training");
        assertEquals(3, t.epochs());
        assertEquals("sgdm", t.optimizer().id());
        assertEquals(0.9, t.optimizer().momentum());
        ConfigError e = assertThrows(ConfigError.class, () -> ConfigBinder.bind(Map.of("optimizer", Map.of("id", "lbfgs")),
                TrainingConfig.class, "training", src(), "training"));
        assertTrue(e.getMessage().contains("optimizer.id = lbfgs is not accepted"), e.getMessage());
    }
}

package org.sparselab.core.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.sparselab.core.config.ConfigLoader;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyPathTest {
    private static final JsonNode BASE = ConfigLoader.parse("base.yaml", """
            name: b
            model: {id: m, units: 10}
            sparsifiers: [{id: topk, k: 5}]
            metrics: [accuracy, {id: dead_units}]
            training: {epochs: 1}
            """);

    private static ObjectNode set(String key, int value) {
        ObjectNode t = BASE.deepCopy();
        KeyPath.parse(key).set(t, IntNode.valueOf(value));
        return t;
    }

    @Test
    void parsesNamesAndBothIndexForms() {
        assertEquals(List.of("sparsifiers", 0, "k"), KeyPath.parse("sparsifiers[0].k").segments());
        assertEquals(List.of("sparsifiers", 0, "k"), KeyPath.parse("sparsifiers.0.k").segments());
        assertEquals("sparsifiers[0].k", KeyPath.parse("sparsifiers.0.k").canonical());
        assertEquals(List.of("a", 1, 2, "b"), KeyPath.parse("a[1][2].b").segments());
        assertEquals(List.of("sparsifiers", "k"), KeyPath.parse("sparsifiers[0].k").names());
        assertTrue(KeyPath.parse("model").covers(KeyPath.parse("model.units")));
        assertFalse(KeyPath.parse("model.units").covers(KeyPath.parse("model")));
        for (String bad : List.of("", "a..b", ".a", "a.", "[0].k", "a[x]", "a[0")) {
            assertThrows(KeyPath.KeyException.class, () -> KeyPath.parse(bad), bad);
        }
    }

    @Test
    void setsMapsListsAndMissingMapKeys() {
        assertEquals(7, set("sparsifiers[0].k", 7).at("/sparsifiers/0/k").asInt());
        assertEquals(9, set("sparsifiers.0.k", 9).at("/sparsifiers/0/k").asInt());
        assertEquals(3, set("model.positive_weights", 3).at("/model/positive_weights").asInt(), "a key the base omits is added");
        assertEquals(4, set("training.optimizer.lr", 4).at("/training/optimizer/lr").asInt(), "missing maps are created");
        assertEquals(5, set("seed", 5).at("/seed").asInt());
        ObjectNode bare = set("metrics[0].threshold", 1);
        assertEquals("accuracy", bare.at("/metrics/0/id").asText(), "a bare id becomes {id: ...}");
        assertEquals(1, bare.at("/metrics/0/threshold").asInt());
        assertEquals(2, set("metrics[1]", 2).at("/metrics/1").asInt(), "a whole list element can be replaced");
        assertEquals(10, BASE.at("/model/units").asInt(), "the base tree is not changed");
    }

    @Test
    void missingElementsAndWrongKindsAreNamed() {
        KeyPath.KeyException a = assertThrows(KeyPath.KeyException.class, () -> set("sparsifiers[3].k", 1));
        assertEquals("'sparsifiers' has 1 element in the base run file, so it has no element [3]", a.getMessage());
        KeyPath.KeyException b = assertThrows(KeyPath.KeyException.class, () -> set("model.units.x", 1));
        assertTrue(b.getMessage().startsWith("'model.units' is a value (10), not a map of keys"), b.getMessage());
        KeyPath.KeyException c = assertThrows(KeyPath.KeyException.class, () -> set("evaluate[0].id", 1));
        assertTrue(c.getMessage().contains("'evaluate' is not in the base run file, so it has no element [0]"), c.getMessage());
        KeyPath.KeyException d = assertThrows(KeyPath.KeyException.class, () -> set("model[0]", 1));
        assertTrue(d.getMessage().contains("'model' is a map, not a list"), d.getMessage());
        KeyPath.KeyException e = assertThrows(KeyPath.KeyException.class, () -> set("sparsifiers.k", 1));
        assertTrue(e.getMessage().contains("'sparsifiers' is a list, not a map of keys"), e.getMessage());
    }
}

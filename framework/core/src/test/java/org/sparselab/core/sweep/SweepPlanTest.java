package org.sparselab.core.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.sparselab.core.config.ConfigLoader;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SweepPlanTest {
    private static final JsonNode BASE = ConfigLoader.parse("base.yaml",
            "name: b\nmodel: {id: m, units: 10}\nsparsifiers: [{id: topk, k: 5}]\nmetrics: [accuracy]\n");

    @Test
    void keyPathsSetMapsListsAndBareIds() {
        ObjectNode t = SweepPlan.apply(BASE, Map.of(), Map.of("sparsifiers[0].k", 7));
        assertEquals(7, t.at("/sparsifiers/0/k").asInt());
        t = SweepPlan.apply(BASE, Map.of(), Map.of("sparsifiers.0.k", 9));
        assertEquals(9, t.at("/sparsifiers/0/k").asInt());
        t = SweepPlan.apply(BASE, Map.of("training.optimizer.lr", 0.1), Map.of("model.positive_weights", true));
        assertEquals(0.1, t.at("/training/optimizer/lr").asDouble());
        assertTrue(t.at("/model/positive_weights").asBoolean());
        t = SweepPlan.apply(BASE, Map.of(), Map.of("metrics[0].threshold", 0.5));
        assertEquals("accuracy", t.at("/metrics/0/id").asText());
        assertEquals(10, BASE.at("/model/units").asInt(), "the base tree is not changed");
    }

    @Test
    void missingListElementsAndScalarsAreNamed() {
        IllegalArgumentException a = assertThrows(IllegalArgumentException.class, () -> SweepPlan.apply(BASE, Map.of(), Map.of("sparsifiers[3].k", 1)));
        assertTrue(a.getMessage().contains("has 1 element(s), so it has no [3]"), a.getMessage());
        IllegalArgumentException b = assertThrows(IllegalArgumentException.class, () -> SweepPlan.apply(BASE, Map.of(), Map.of("model.units.x", 1)));
        assertTrue(b.getMessage().contains("'model.units' is not a map"), b.getMessage());
        IllegalArgumentException c = assertThrows(IllegalArgumentException.class, () -> SweepPlan.apply(BASE, Map.of(), Map.of("evaluate[0].id", "x")));
        assertTrue(c.getMessage().contains("does not exist in the base run file"), c.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KeyPath.parse("a..b"));
    }

    @Test
    void gridIsACartesianProductWithReadableIds() {
        Map<String, List<Object>> grid = new LinkedHashMap<>();
        grid.put("sparsifiers[0].k", List.of(5, 10));
        grid.put("training.optimizer.lr", List.of(0.1, 0.01, 0.001));
        SweepFile s = new SweepFile("s", "b.yaml", null, null, grid, null, null, null, null);
        List<Map<String, Object>> pts = SweepPlan.points(s);
        assertEquals(6, pts.size());
        assertEquals(5, pts.get(0).get("sparsifiers[0].k"));
        assertEquals(0.01, pts.get(1).get("training.optimizer.lr"));
        assertEquals("k=5,lr=0.1000", SweepPlan.id(pts.get(0)));
    }

    @Test
    void randomSamplesAreSeededAndInRange() {
        Map<String, Map<String, Object>> space = new LinkedHashMap<>();
        space.put("training.optimizer.lr", Map.of("log_uniform", List.of(1e-4, 1e-2)));
        space.put("model.units", Map.of("choice", List.of(100, 200)));
        space.put("sparsifiers[0].k", Map.of("int_uniform", List.of(5, 9)));
        SweepFile s = new SweepFile("s", "b.yaml", null, null, null, new SweepFile.RandomSpec(20, 3L, space), null, null, null);
        List<Map<String, Object>> a = SweepPlan.points(s);
        assertEquals(a, SweepPlan.points(s));
        for (Map<String, Object> p : a) {
            double lr = (Double) p.get("training.optimizer.lr");
            assertTrue(lr >= 1e-4 && lr <= 1e-2);
            assertTrue(List.of(100, 200).contains(p.get("model.units")));
            long k = (Long) p.get("sparsifiers[0].k");
            assertTrue(k >= 5 && k <= 9);
        }
    }
}

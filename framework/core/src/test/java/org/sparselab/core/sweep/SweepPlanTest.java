package org.sparselab.core.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.sparselab.core.config.ConfigLoader;
import org.sparselab.core.sweep.SweepSpec.Distribution;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SweepPlanTest {
    private static final SweepSpec.BaseRun BASE = new SweepSpec.BaseRun(Path.of("base.yaml"), "name: b\n");
    private static final SweepSpec.Metric METRIC = new SweepSpec.Metric("test", "accuracy", "max");

    static SweepSpec grid(SweepSpec.Axis... axes) {
        return new SweepSpec(Path.of("s.yaml"), "s", BASE, 1, "-Xmx1g", null, METRIC, List.of(), List.of(axes), null);
    }

    static SweepSpec random(int samples, long seed, SweepSpec.Dimension... dims) {
        return new SweepSpec(Path.of("s.yaml"), "s", BASE, 1, "-Xmx1g", null, METRIC, List.of(), List.of(), new SweepSpec.Random(samples, seed, List.of(dims)));
    }

    static SweepSpec.Axis axis(String key, Object... values) {
        return new SweepSpec.Axis(KeyPath.parse(key), List.of(values), "s.yaml:1");
    }

    static SweepSpec.Dimension dim(String key, Distribution d) {
        return new SweepSpec.Dimension(KeyPath.parse(key), d, "s.yaml:1");
    }

    @Test
    void gridIsTheCartesianProductFirstKeySlowest() {
        List<Map<String, Object>> pts = SweepPlan.points(grid(axis("sparsifiers.0.k", 5, 10), axis("training.optimizer.lr", 0.1, 0.01, 0.001)));
        assertEquals(6, pts.size());
        List<String> ids = pts.stream().map(SweepPlan::id).toList();
        assertEquals(List.of("k=5,lr=0.1", "k=5,lr=0.01", "k=5,lr=0.001", "k=10,lr=0.1", "k=10,lr=0.01", "k=10,lr=0.001"), ids);
        assertEquals(List.of("sparsifiers[0].k", "training.optimizer.lr"), new ArrayList<>(pts.get(0).keySet()), "keys in canonical form");
        assertEquals(List.of("k=5", "k=10", "k=20", "k=50"),
                SweepPlan.points(grid(axis("sparsifiers[0].k", 5, 10, 20, 50))).stream().map(SweepPlan::id).toList());
    }

    @Test
    void idsAreReadableStableAndDistinct() {
        assertEquals("sigma=0", SweepPlan.id(Map.of("model.noise.sigma", 0.0)));
        assertEquals("sigma=10", SweepPlan.id(Map.of("model.noise.sigma", 10.0)));
        assertEquals("lr=0.0001", SweepPlan.id(Map.of("training.optimizer.lr", 1e-4)));
        assertEquals("lr=1e-7", SweepPlan.id(Map.of("training.optimizer.lr", 1e-7)));
        assertEquals("positive_weights=true", SweepPlan.id(Map.of("model.positive_weights", true)));
        assertEquals("id=sgd", SweepPlan.id(Map.of("training.optimizer.id", "sgd")));
        // rounded values carry a hash of the exact ones, so that close draws stay apart and the id stays the same
        String a = SweepPlan.id(Map.of("training.optimizer.lr", 0.0012345678));
        String b = SweepPlan.id(Map.of("training.optimizer.lr", 0.0012345679));
        assertTrue(a.startsWith("lr=0.001235-h"), a);
        assertNotEquals(a, b);
        assertEquals(a, SweepPlan.id(Map.of("training.optimizer.lr", 0.0012345678)));
        // characters outside run names are replaced (and hashed): lists, spaces
        String list = SweepPlan.id(Map.of("continual.tasks", List.of(List.of(0, 1), List.of(2, 3))));
        assertTrue(list.matches("tasks=[A-Za-z0-9._+-]+-h[0-9a-f]{6}"), list);
        // two keys ending alike are told apart by more of their names
        Map<String, Object> two = new LinkedHashMap<>();
        two.put("model.k", 1);
        two.put("sparsifiers[0].k", 2);
        assertEquals("model.k=1,sparsifiers.k=2", SweepPlan.id(two));
        Map<String, Object> same = new LinkedHashMap<>();
        same.put("sparsifiers[0].k", 1);
        same.put("sparsifiers[1].k", 2);
        assertEquals("sparsifiers.0.k=1,sparsifiers.1.k=2", SweepPlan.id(same));
        String longId = SweepPlan.id(Map.of("model.name_of_a_parameter", "x".repeat(120)));
        assertTrue(longId.length() <= 100 && longId.matches(".*-h[0-9a-f]{6}"), longId);
    }

    @Test
    void randomSamplesAreSeededInRangeAndExtendable() {
        SweepSpec.Dimension lr = dim("training.optimizer.lr", new Distribution.LogUniform(1e-4, 1e-2));
        SweepSpec.Dimension drop = dim("model.dropout", new Distribution.Uniform(0.1, 0.5));
        SweepSpec.Dimension units = dim("model.units", new Distribution.Choice(List.of(100, 200)));
        SweepSpec.Dimension k = dim("sparsifiers[0].k", new Distribution.IntUniform(5, 9));
        List<Map<String, Object>> a = SweepPlan.points(random(200, 3, lr, drop, units, k));
        assertEquals(a, SweepPlan.points(random(200, 3, lr, drop, units, k)), "same seed, same trials");
        assertNotEquals(a, SweepPlan.points(random(200, 4, lr, drop, units, k)));
        assertEquals(a.subList(0, 50), SweepPlan.points(random(50, 3, lr, drop, units, k)), "more samples keep the first ones");
        int belowMiddle = 0;
        LinkedHashSet<Object> unitsSeen = new LinkedHashSet<>();
        LinkedHashSet<Object> kSeen = new LinkedHashSet<>();
        for (Map<String, Object> p : a) {
            double v = (Double) p.get("training.optimizer.lr");
            assertTrue(v >= 1e-4 && v < 1e-2, "lr " + v);
            belowMiddle += v < 1e-3 ? 1 : 0;
            double d = (Double) p.get("model.dropout");
            assertTrue(d >= 0.1 && d < 0.5, "dropout " + d);
            unitsSeen.add(p.get("model.units"));
            long kv = (Long) p.get("sparsifiers[0].k");
            assertTrue(kv >= 5 && kv <= 9, "k " + kv);
            kSeen.add(kv);
        }
        // log-uniform: half the draws fall below the geometric middle 1e-3 (a uniform draw would put 9% there)
        assertTrue(belowMiddle > 70 && belowMiddle < 130, "draws below 1e-3: " + belowMiddle);
        assertEquals(2, unitsSeen.size());
        assertEquals(5, kSeen.size(), "both ends of int_uniform are drawn");
        assertEquals(200, a.stream().map(SweepPlan::id).distinct().count());
    }

    @Test
    void overridesThenValuesAreApplied() {
        JsonNode base = ConfigLoader.parse("base.yaml", "name: b\nmodel: {id: m, units: 10}\nsparsifiers: [{id: topk, k: 5}]\n");
        List<SweepSpec.Entry> set = List.of(new SweepSpec.Entry(KeyPath.parse("training.epochs"), 2, "s.yaml:3"),
                new SweepSpec.Entry(KeyPath.parse("model.units"), 20, "s.yaml:4"));
        ObjectNode t = SweepPlan.apply(base, set, Map.of("sparsifiers[0].k", 7));
        assertEquals(2, t.at("/training/epochs").asInt());
        assertEquals(20, t.at("/model/units").asInt());
        assertEquals(7, t.at("/sparsifiers/0/k").asInt());
        assertEquals(5, base.at("/sparsifiers/0/k").asInt());
    }
}

package org.sparselab.core.probe;

import org.junit.jupiter.api.Test;
import org.sparselab.api.config.ConfigException;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProbeTest {
    @Test
    void drawsExactlyKPerClassSeeded() {
        int[] labels = new int[100];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 4;
        }
        int[] a = Probe.perClass(labels, 3, 4, 7);
        assertEquals(12, a.length);
        int[] counts = new int[4];
        for (int i : a) {
            counts[labels[i]]++;
        }
        assertArrayEquals(new int[]{3, 3, 3, 3}, counts);
        assertArrayEquals(a, Probe.perClass(labels, 3, 4, 7));
        assertFalse(Arrays.equals(a, Probe.perClass(labels, 3, 4, 8)));
        // A class smaller than K gives all its samples.
        assertEquals(25 * 4, Probe.perClass(labels, 30, 4, 1).length);
    }

    @Test
    void featureNamesAreZeroPaddedSoTribuoKeepsColumnOrder() {
        Features f = new Features(1200, "f");
        assertEquals("f0007", f.name(7));
        assertEquals("f1199", f.name(1199));
        assertEquals(1199, f.column("f1199"));
        float[] rows = new float[1200 * 2];
        rows[3] = 1.5f;
        rows[1200 + 11] = 2f;
        rows[1200 + 1100] = 1f;
        MutableDataset<Label> ds = f.dataset("t", rows, new int[]{0, 1}, new int[]{0, 1}, List.of("a", "b"));
        assertEquals(3, ds.getFeatureMap().size(), "zeros are not features");
        var ids = ds.getFeatureIDMap();
        assertTrue(ids.get("f0003").getID() < ids.get("f0011").getID() && ids.get("f0011").getID() < ids.get("f1100").getID());
    }

    @Test
    void configAcceptsIntegersAndAll() {
        ProbeConfig c = new ProbeConfig(List.of(1, 5, "all"), null, null, null, null, null, null, null, null, null);
        assertEquals(List.of(1, 5, "all"), c.kPerClass());
        assertEquals(List.of(1, 2, 5, 10, 20, 50, "all"), ProbeConfig.defaults().kPerClass());
        ConfigException e = assertThrows(ConfigException.class,
                () -> new ProbeConfig(List.of(0), null, null, null, null, null, null, null, null, null));
        assertEquals("k_per_class", e.key());
    }
}

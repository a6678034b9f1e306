package org.sparselab.core.probe;

import org.junit.jupiter.api.Test;
import org.sparselab.core.config.ConfigBinder;
import org.sparselab.core.config.ConfigError;
import org.sparselab.core.config.ConfigSource;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.classification.Label;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProbeTest {

    private static int[] counts(int[] labels, int[] pick, int classes) {
        int[] c = new int[classes];
        for (int i : pick) {
            c[labels[i]]++;
        }
        return c;
    }

    @Test
    void drawsExactlyKPerClassSeededAndStratified() {
        // unbalanced classes, interleaved: 0 has 50 samples, 1 has 30, 2 has 20
        int[] labels = new int[100];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i < 50 ? 0 : i < 80 ? 1 : 2;
        }
        Draws.Draw a = Draws.perClass(labels, 7, 3, 42);
        assertArrayEquals(new int[]{7, 7, 7}, counts(labels, a.indices(), 3));
        assertFalse(a.capped());
        assertEquals(21, Arrays.stream(a.indices()).distinct().count(), "without replacement");
        assertTrue(isAscending(a.indices()));
        assertArrayEquals(a.indices(), Draws.perClass(labels, 7, 3, 42).indices(), "the seed alone decides");
        assertFalse(Arrays.equals(a.indices(), Draws.perClass(labels, 7, 3, 43).indices()));
        // a larger K keeps the draw's size exact for every class that has enough
        assertArrayEquals(new int[]{20, 20, 20}, counts(labels, Draws.perClass(labels, 20, 3, 1).indices(), 3));
    }

    /** selection: first, as the VDL paper's eval_classification.py: the first K of each class in split order. */
    @Test
    void firstKPerClassInSplitOrder() {
        int[] labels = {2, 0, 1, 0, 0, 2, 1, 1, 0, 2, 2};
        Draws.Draw d = Draws.firstPerClass(labels, 2, 3);
        assertArrayEquals(new int[]{0, 1, 2, 3, 5, 6}, d.indices());
        assertFalse(d.capped());
        Draws.Draw big = Draws.firstPerClass(labels, 4, 3);
        assertArrayEquals(new int[]{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, big.indices(), "class 1 has only 3");
        assertTrue(big.capped());
        ProbeConfig cfg = ConfigBinder.bind(Map.of("selection", "first", "val_split", "val", "val_epochs", List.of(1, 3)), ProbeConfig.class,
                "evaluate[0]", ConfigSource.inline("test"), "evaluation 'probe'");
        assertEquals(List.of(1, 3), cfg.candidateEpochs());
        assertEquals(List.of(5), ProbeConfig.defaults().candidateEpochs(), "without a val split: the one epochs value");
        assertEquals("random", ProbeConfig.defaults().selection());
        assertThrows(ConfigError.class, () -> ConfigBinder.bind(Map.of("selection", "last"), ProbeConfig.class, "evaluate[0]",
                ConfigSource.inline("test"), "evaluation 'probe'"));
        assertThrows(ConfigError.class, () -> ConfigBinder.bind(Map.of("val_epochs", List.of(0)), ProbeConfig.class, "evaluate[0]",
                ConfigSource.inline("test"), "evaluation 'probe'"));
    }

    @Test
    void aClassSmallerThanKGivesAllItHasAndTheDrawSaysSo() {
        int[] labels = new int[100];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i < 50 ? 0 : i < 80 ? 1 : 2;
        }
        Draws.Draw d = Draws.perClass(labels, 25, 3, 5);
        assertArrayEquals(new int[]{25, 25, 20}, counts(labels, d.indices(), 3));
        assertTrue(d.capped());
        // an empty class too
        Draws.Draw e = Draws.perClass(new int[]{0, 0, 0}, 2, 2, 5);
        assertEquals(2, e.indices().length);
        assertTrue(e.capped());
        assertThrows(IllegalArgumentException.class, () -> Draws.perClass(labels, 0, 3, 5));
        assertThrows(IllegalArgumentException.class, () -> Draws.perClass(new int[]{0, 3}, 1, 2, 5));
    }

    @Test
    void testSubsetIsSeededAndAscending() {
        int[] s = Draws.subset(1000, 50, 9);
        assertEquals(50, s.length);
        assertEquals(50, Arrays.stream(s).distinct().count());
        assertTrue(isAscending(s));
        assertArrayEquals(s, Draws.subset(1000, 50, 9));
        assertArrayEquals(Draws.range(10), Draws.subset(10, 50, 9));
    }

    @Test
    void featureNamesAreZeroPaddedSoTribuoSortingKeepsColumnOrder() {
        assertEquals("f0000", new Features(10).name(0));
        Features f = new Features(1200);
        assertEquals("f0007", f.name(7));
        assertEquals("f1199", f.name(1199));
        assertEquals(1199, f.column("f1199"));
        assertEquals("f12344", new Features(12345).name(12344), "widths over 10000 get more digits");
        for (int width : new int[]{12, 1000, 12345}) {
            Features g = new Features(width);
            String[] names = new String[width];
            for (int i = 0; i < width; i++) {
                names[i] = g.name(i);
            }
            String[] sorted = names.clone();
            Arrays.sort(sorted);
            assertArrayEquals(names, sorted, "string order = column order at width " + width);
        }
    }

    @Test
    void trainingSetsKnowEveryColumnInOrderAndEmptyRowsStayValid() {
        int width = 1200;
        Rows rows = new Rows.Builder(width, Draws.range(3))
                .add(row(width, 3, 1.5f), 1, new int[]{0})
                .add(row(width, 11, 2f, 1100, 1f), 1, new int[]{1})
                .add(new float[width], 1, new int[]{1})
                .build();
        Features f = new Features(width);
        Dataset<Label> ds = f.trainingSet("t", rows, Draws.range(3), List.of("a", "b"));
        assertEquals(3, ds.size());
        assertEquals(width, ds.getFeatureIDMap().size(), "every unit is a feature, seen or not");
        for (int col : new int[]{0, 3, 11, 999, 1100, 1199}) {
            assertEquals(col, ds.getFeatureIDMap().getID(f.name(col)), "feature id = column");
        }
        List<Example<Label>> examples = new ArrayList<>();
        ds.forEach(examples::add);
        assertEquals(2, examples.get(1).size(), "zeros are left out");
        assertEquals(1, examples.get(2).size(), "an all-zero row carries one explicit zero");
        assertEquals(0.0, examples.get(2).lookup(f.name(0)).getValue());
        assertEquals(1, ds.getFeatureIDMap().get(f.name(3)).getCount(), "observed statistics are kept");
    }

    @Test
    void rowsAreCompressedAndComeBackDense() {
        float[] dense = {0, 1, 0, 2, 0, 0, 3, 0, 4};
        Rows r = new Rows.Builder(3, new int[]{4, 7, 9}).add(dense, 3, new int[]{0, 1, 2}).build();
        assertEquals(1, r.nonZeros(0));
        assertEquals(2, r.nonZeros(2));
        assertEquals(2, r.column(2, 1));
        assertEquals(4f, r.value(2, 1));
        assertEquals(7, r.index(1));
        assertArrayEquals(dense, r.dense(0, 3));
        assertArrayEquals(new float[]{2, 0, 0, 3, 0, 4}, r.dense(1, 2));
    }

    @Test
    void meanAndSampleStdOverSeeds() {
        MeanStd m = MeanStd.of(List.of(0.5, 0.7, 0.9));
        assertEquals(0.7, m.mean(), 1e-12);
        assertEquals(0.2, m.std(), 1e-12, "n - 1 in the denominator");
        assertEquals(new MeanStd(0.8, 0.0), MeanStd.of(List.of(0.8)));
        assertTrue(Double.isNaN(MeanStd.of(List.of()).mean()));
    }

    @Test
    void configDefaultsAndChecks() {
        ProbeConfig d = ProbeConfig.defaults();
        assertEquals(List.of(1, 2, 5, 10, 20, 50, "all"), d.kPerClass());
        assertEquals(3, d.seeds());
        assertEquals("logistic", d.trainer());
        assertEquals(5, d.epochs());
        assertEquals(1.0, d.learningRate());
        assertEquals(1, d.minibatch());
        assertEquals("all", d.keptK());
        assertEquals(0, d.maxTrainAll());
        ProbeConfig c = bind(Map.of("k_per_class", List.of(1, 5.0, "all"), "trainer", "sgd-linear", "max_train_all", 1000));
        assertEquals(List.of(1, 5, "all"), c.kPerClass());
        assertEquals(0.18, c.learningRate());
        assertEquals(1000, c.maxTrainAll());
        assertEquals(20, bind(Map.of("k_per_class", List.of(20, 1))).keptK());
        assertEquals(List.of(10), bind(Map.of("k_per_class", 10)).kPerClass(), "a single value is a list of one");
        for (List<Object> bad : List.<List<Object>>of(List.of(0), List.of(2.5), List.of("most"), List.of(), List.of(5, 5))) {
            ConfigError e = assertThrows(ConfigError.class, () -> bind(Map.of("k_per_class", bad)), bad.toString());
            assertTrue(e.getMessage().contains("k_per_class"), e.getMessage());
        }
        assertTrue(assertThrows(ConfigError.class, () -> bind(Map.of("trainer", "svm"))).getMessage().contains("logistic, sgd-linear"));
        assertTrue(assertThrows(ConfigError.class, () -> bind(Map.of("seeds", 0))).getMessage().contains("seeds"));
        assertTrue(assertThrows(ConfigError.class, () -> bind(Map.of("standardize", true))).getMessage().contains("unknown key"));
    }

    private static ProbeConfig bind(Map<String, Object> params) {
        return ConfigBinder.bind(params, ProbeConfig.class, "evaluate[0]", ConfigSource.inline("test"), "evaluation 'probe'");
    }

    @Test
    void markdownTableMarksCappedRows() {
        List<Probe.Cell> cells = List.of(
                new Probe.Cell("codes", "1", 10, false, List.of(0.5, 0.7), 0.6, 0.1414, List.of(), 0, 0, 1.0),
                new Probe.Cell("raw", "1", 10, false, List.of(0.4, 0.4), 0.4, 0.0, List.of(), 0, 0, 1.0),
                new Probe.Cell("codes", "50", 480, true, List.of(0.9, 0.9), 0.9, 0.0, List.of(), 0, 0, 1.0),
                new Probe.Cell("raw", "50", 480, true, List.of(0.8, 0.8), 0.8, 0.0, List.of(), 0, 0, 1.0));
        String md = ProbeFiles.markdown(cells, 2);
        assertTrue(md.startsWith("| K per class | codes (mean ± std, 2 seeds) | raw (mean ± std, 2 seeds) |\n|---|---|---|\n"), md);
        assertTrue(md.contains("| 1 | 0.6000 ± 0.1414 | 0.4000 ± 0.0000 |\n"), md);
        assertTrue(md.contains("| 50* | 0.9000 ± 0.0000 | 0.8000 ± 0.0000 |\n"), md);
        assertTrue(md.contains("fewer than K samples"), md);
    }

    private static float[] row(int width, Object... colValue) {
        float[] r = new float[width];
        for (int i = 0; i < colValue.length; i += 2) {
            r[(Integer) colValue[i]] = ((Number) colValue[i + 1]).floatValue();
        }
        return r;
    }

    private static boolean isAscending(int[] a) {
        for (int i = 1; i < a.length; i++) {
            if (a[i] <= a[i - 1]) {
                return false;
            }
        }
        return true;
    }
}

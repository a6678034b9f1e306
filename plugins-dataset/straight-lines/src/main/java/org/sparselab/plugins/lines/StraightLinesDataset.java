package org.sparselab.plugins.lines;

import org.pf4j.Extension;
import org.sparselab.api.Dataset;
import org.sparselab.api.config.Check;
import org.sparselab.api.config.ConfigException;
import org.sparselab.api.config.Param;
import org.sparselab.api.data.DataContext;
import org.sparselab.api.data.DataSource;
import org.sparselab.api.data.DataSpec;
import org.sparselab.api.data.Fingerprint;
import org.sparselab.api.data.FloatTensor;
import org.sparselab.api.data.Split;
import org.sparselab.api.data.SplitsSource;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code straight-lines}: the net-fragments data (spec A2, A6). 1-pixel white lines through the centre of a
 * black 32×32 grid, values 0/1, shape {@code [1, 32, 32]}, unlabelled.
 * <ul>
 * <li>{@code train}: random lines drawn afresh on every access, as the original does each epoch (access k of
 * index i draws from a generator seeded by (seed, i, k), so a run is reproducible from its seed);</li>
 * <li>{@code val}: random lines fixed per index (the original plots 4 each epoch);</li>
 * <li>{@code test}: the deterministic rotating sweep of the evaluation, with {@code line_interrupt} pixels removed
 * at the middle of every line. Ground truth: {@code test_clean} (the uninterrupted images, the baseline input),
 * {@code test_endpoints} ({@code [n, 4]}: x1, y1, x2, y2).</li>
 * </ul>
 */
@Extension
public final class StraightLinesDataset implements Dataset<StraightLinesDataset.Config> {

    public static final int SIZE = 32;

    /** Parameters of {@code straight-lines}. */
    public record Config(
            @Param("training images per epoch (random lines, redrawn on every access)") Integer trainSize,
            @Param("validation images (random lines, fixed per index); 0 = no val split") Integer valSize,
            @Param("test images: samples of the rotating sweep (56 orientations, then repeats)") Integer testSize,
            @Param("pixels removed at the middle of every test line (>= 0)") Integer lineInterrupt,
            @Param("draw the training lines afresh on every access (false: fixed per index)") Boolean redraw,
            @Param("generator seed; unset = the run's seed") Long seed) {

        public Config {
            trainSize = Check.atLeast("train_size", Check.orDefault(trainSize, 300), 1);
            valSize = Check.atLeast("val_size", Check.orDefault(valSize, 4), 0);
            testSize = Check.atLeast("test_size", Check.orDefault(testSize, 60), 1);
            lineInterrupt = Check.orDefault(lineInterrupt, 0);
            if (lineInterrupt < 0 || lineInterrupt > 40) {
                throw ConfigException.invalid("line_interrupt", lineInterrupt,
                        "an integer in [0, 40] (a line has 29 to 33 pixels; at most count - 2 are removed)");
            }
            redraw = Check.orDefault(redraw, Boolean.TRUE);
        }
    }

    @Override
    public String id() {
        return "straight-lines";
    }

    @Override
    public String description() {
        return "1-px lines through the centre of a 32x32 grid: random training lines, the rotating evaluation sweep, interruptions";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public DataSource open(Config c, DataContext ctx) {
        long seed = c.seed() != null ? c.seed() : ctx.seed();
        Map<String, Split> splits = new LinkedHashMap<>();
        splits.put("train", new RandomLines("train", c.trainSize(), mix(seed, 1), c.redraw()));
        if (c.valSize() > 0) {
            splits.put("val", new RandomLines("val", c.valSize(), mix(seed, 2), false));
        }
        int n = c.testSize();
        float[] clean = new float[n * SIZE * SIZE];
        float[] test = new float[n * SIZE * SIZE];
        float[] ends = new float[n * 4];
        for (int i = 0; i < n; i++) {
            Lines.Segment s = Lines.sweep(i);
            float[] img = Lines.draw(s, SIZE);
            System.arraycopy(img, 0, clean, i * img.length, img.length);
            Lines.interrupt(img, SIZE, s, c.lineInterrupt());
            System.arraycopy(img, 0, test, i * img.length, img.length);
            System.arraycopy(s.asFloats(), 0, ends, i * 4, 4);
        }
        splits.put("test", new org.sparselab.api.data.ArraySplit("test", test, null, SIZE * SIZE));
        Map<String, FloatTensor> truth = Map.of(
                "test_clean", new FloatTensor(clean, new int[]{n, SIZE * SIZE}),
                "test_endpoints", new FloatTensor(ends, new int[]{n, 4}));
        String fp = Fingerprint.text("straight-lines generator=1 train_size=" + c.trainSize() + " val_size=" + c.valSize()
                + " test_size=" + n + " line_interrupt=" + c.lineInterrupt() + " redraw=" + c.redraw() + " seed=" + seed);
        return new SplitsSource("straight-lines", DataSpec.of(new int[]{1, SIZE, SIZE}, 0), splits, fp, truth);
    }

    /** SplitMix64 finaliser over (seed, stream, index, draw): independent generators without shared state. */
    static long mix(long... parts) {
        long h = 0x9E3779B97F4A7C15L;
        for (long p : parts) {
            h += p * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
            h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
            h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
            h ^= h >>> 31;
        }
        return h;
    }

    /** Random lines through the centre; redrawn per access or fixed per index. */
    static final class RandomLines implements Split {
        private final String name;
        private final int size;
        private final long seed;
        private final int[] accesses;

        RandomLines(String name, int size, long seed, boolean redraw) {
            this.name = name;
            this.size = size;
            this.seed = seed;
            this.accesses = redraw ? new int[size] : null;
        }

        /** The line sample {@code index} gets on its {@code draw}-th access (0-based). */
        Lines.Segment segment(int index, int draw) {
            return Lines.random(new SplittableRandom(mix(seed, index, draw)));
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public int inputDim() {
            return SIZE * SIZE;
        }

        @Override
        public int label(int index) {
            return -1;
        }

        @Override
        public synchronized void copySample(int index, float[] dst, int offset) {
            int draw = accesses == null ? 0 : accesses[index]++;
            float[] img = Lines.draw(segment(index, draw), SIZE);
            System.arraycopy(img, 0, dst, offset, img.length);
        }
    }
}

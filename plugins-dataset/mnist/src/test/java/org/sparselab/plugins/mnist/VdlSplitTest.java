package org.sparselab.plugins.mnist;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparselab.api.config.ConfigException;
import org.sparselab.api.data.DataContext;
import org.sparselab.api.data.DataSource;
import org.sparselab.api.data.Split;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The VDL paper's MNIST split (spec vdl.md §8) and checks C1–C3. The split files MNIST_train.npy / MNIST_val.npy are
 * numpy's {@code RandomState(31).permutation(60000)}: first 55,000 = train, last 5,000 = val (found by searching seeds
 * for a permutation whose entries 0..2 are the files' first train indices; seed 31 is the scripts' seed). The
 * permutation tests always run; the ones on real MNIST (class counts, normalisation, batches) need data/mnist and skip
 * with a message otherwise.
 */
class VdlSplitTest {

    /** data/mnist of the checkout (or $SPARSELAB_DATA/mnist) when its four files are there, else null. */
    static Path mnist() {
        String env = System.getenv("SPARSELAB_DATA");
        if (env != null && MnistFetcher.complete(Path.of(env, "mnist"))) {
            return Path.of(env, "mnist");
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("mvnw")) && MnistFetcher.complete(p.resolve("data/mnist"))) {
                return p.resolve("data/mnist");
            }
        }
        return null;
    }

    static Path requireMnist() {
        Path p = mnist();
        assumeTrue(p != null, "MNIST not found (data/mnist of the checkout or $SPARSELAB_DATA/mnist): "
                + "fetch it with ./sparselab data fetch mnist to run the real-data checks C1-C3");
        return p;
    }

    @Test
    void mt19937MatchesNumpysRawDrawsAndPermutations() {
        NumpyPermutation g = NumpyPermutation.generator(5489);
        // np.random.RandomState(5489)._bit_generator.random_raw(3), the reference MT19937 outputs
        assertEquals(3499211612L, g.nextUint32());
        assertEquals(581869302L, g.nextUint32());
        assertEquals(3890346734L, g.nextUint32());
        // np.random.RandomState(s).permutation(n)
        assertArrayEquals(new int[]{4, 1, 3, 8, 5, 9, 6, 0, 7, 2}, NumpyPermutation.permutation(31, 10));
        assertArrayEquals(new int[]{18, 1, 19, 8, 10, 17, 6, 13, 4, 2, 5, 14, 9, 7, 16, 11, 3, 0, 15, 12}, NumpyPermutation.permutation(0, 20));
    }

    /** C1 (structure): 55,000 + 5,000 indices, disjoint, union 0..59,999, the files' first entries in their order. */
    @Test
    void c1SplitFilesStructure() {
        int[] p = MnistDataset.vdlPermutation();
        assertEquals(60000, p.length);
        int[] train = Arrays.copyOfRange(p, 0, 55000);
        int[] val = Arrays.copyOfRange(p, 55000, 60000);
        assertArrayEquals(new int[]{20948, 56127, 40804, 31712, 21173}, Arrays.copyOf(train, 5), "first MNIST_train.npy entries");
        assertArrayEquals(new int[]{10658, 20558, 59484, 23198, 32431}, Arrays.copyOf(val, 5), "first MNIST_val.npy entries");
        assertEquals(54869, train[54999]);
        assertEquals(53970, val[4999]);
        boolean[] seen = new boolean[60000];
        for (int i : p) {
            assertTrue(!seen[i], "index " + i + " twice");
            seen[i] = true;
        }
        // C3 (without data): batches of 250 over these splits and MNIST's 10,000 test images, none partial
        assertEquals(220, train.length / 250);
        assertEquals(20, val.length / 250);
        assertEquals(0, train.length % 250 + val.length % 250 + 10000 % 250);
    }

    @Test
    void vdlSplitNeedsTheFullTrainingFileAndTheOriginalValSize(@TempDir Path dir) throws IOException {
        MnistDatasetTest.writeAll(dir);
        IOException e = assertThrows(IOException.class, () -> new MnistDataset().open(
                new MnistDataset.Config(null, dir.toString(), null, null, null, null, "vdl", null), new DataContext(dir, 1)));
        assertTrue(e.getMessage().contains("60000") && e.getMessage().contains("split: vdl"), e.getMessage());
        assertEquals("val_size", assertThrows(ConfigException.class,
                () -> new MnistDataset.Config(null, null, 100, null, null, null, "vdl", null)).key());
        assertEquals("limit_train", assertThrows(ConfigException.class,
                () -> new MnistDataset.Config(null, null, null, null, 1000, null, "vdl", null)).key());
        assertEquals("split", assertThrows(ConfigException.class,
                () -> new MnistDataset.Config(null, null, null, null, null, null, "random", null)).key());
    }

    /** C2 (synthetic): the declared pixel mapping inverts the normalisation exactly, for each mode. */
    @Test
    void c2PixelMappingInvertsTheNormalisation(@TempDir Path dir) throws IOException {
        MnistDatasetTest.writeAll(dir);
        for (String mode : new String[]{"scale", "standardize", "none"}) {
            try (DataSource d = new MnistDataset().open(new MnistDataset.Config(null, dir.toString(), 5, mode, null, null, null, null),
                    new DataContext(dir, 1))) {
                float scale = d.groundTruth().get(MnistDataset.PIXEL_SCALE).data()[0];
                float offset = d.groundTruth().get(MnistDataset.PIXEL_OFFSET).data()[0];
                Split test = d.split("test");
                for (int i = 0; i < test.size(); i++) {
                    float x = test.features(new int[]{i})[0];
                    assertEquals(i / 255.0, x * scale + offset, 1e-5, mode + " image " + i);
                }
            }
        }
    }

    /** train_per_class: the first K of each class of the train split, in its order; val and test untouched. */
    @Test
    void trainPerClassKeepsTheFirstKOfEachClass(@TempDir Path dir) throws IOException {
        MnistDatasetTest.write(dir, "train", 40, false);
        MnistDatasetTest.write(dir, "t10k", 10, false);
        try (DataSource d = new MnistDataset().open(new MnistDataset.Config(null, dir.toString(), 0, "scale", null, null, null, 2),
                new DataContext(dir, 1))) {
            Split train = d.split("train");
            assertEquals(20, train.size());
            for (int i = 0; i < 20; i++) {
                // image i has label i % 10: the first two of each class are images 0..19, in order
                assertEquals(i / 255f, train.features(new int[]{i})[0], 1e-7);
            }
            assertEquals(10, d.split("test").size());
            assertEquals(64, d.fingerprint().length());
        }
        assertEquals("train_per_class", assertThrows(ConfigException.class,
                () -> new MnistDataset.Config(null, null, null, null, null, null, null, -1)).key());
    }

    /** C1 on real MNIST: the class counts of §8 exactly, split orders as in the files. */
    @Test
    void c1ClassCountsOnMnist() throws IOException {
        Path root = requireMnist();
        try (DataSource d = new MnistDataset().open(new MnistDataset.Config(null, root.toString(), null, "none", null, null, "vdl", null),
                new DataContext(root, 7))) {
            assertArrayEquals(new int[]{5390, 6181, 5501, 5617, 5325, 4942, 5440, 5743, 5379, 5482}, counts(d.split("train")));
            assertArrayEquals(new int[]{533, 561, 457, 514, 517, 479, 478, 522, 472, 467}, counts(d.split("val")));
            // the split is independent of the run's seed and its first sample is training image 20948
            IdxFile img = IdxFile.read(MnistDataset.find(root, "train-images-idx3-ubyte"));
            float[] first = d.split("train").features(new int[]{0});
            for (int j = 0; j < 784; j++) {
                assertEquals(img.bytes()[img.offset() + 20948 * 784 + j] & 0xff, first[j], 0.0);
            }
        }
    }

    /** C2 on real MNIST: train pixel mean 0.13066, std 0.30811 in [0, 1]; standardised data has mean ≈ 0, std ≈ 1. */
    @Test
    void c2NormalisationOnMnist() throws IOException {
        Path root = requireMnist();
        try (DataSource d = new MnistDataset().open(new MnistDataset.Config(null, root.toString(), null, "standardize", null, null, "vdl", null),
                new DataContext(root, 7))) {
            double scale = d.groundTruth().get(MnistDataset.PIXEL_SCALE).data()[0];
            double offset = d.groundTruth().get(MnistDataset.PIXEL_OFFSET).data()[0];
            assertEquals(0.30811, scale, 2e-4, "std of the train split's pixels");
            assertEquals(0.13066, offset, 2e-4, "mean of the train split's pixels");
            double[] ms = meanStd(d.split("train"));
            assertEquals(0, ms[0], 1e-4);
            assertEquals(1, ms[1], 1e-4);
            double[] test = meanStd(d.split("test"));
            assertEquals(0, test[0], 0.02, "test is normalised with the train statistics");
        }
    }

    /** C3: batches of 250 per epoch, 220 train / 20 val / 40 test, no partial batch to drop. */
    @Test
    void c3BatchesPerEpochOnMnist() throws IOException {
        Path root = requireMnist();
        try (DataSource d = new MnistDataset().open(new MnistDataset.Config(null, root.toString(), null, "standardize", null, null, "vdl", null),
                new DataContext(root, 7))) {
            int[] expected = {220, 20, 40};
            String[] names = {"train", "val", "test"};
            for (int i = 0; i < 3; i++) {
                int n = d.split(names[i]).size();
                assertEquals(0, n % 250, names[i] + ": drop_last drops nothing");
                assertEquals(expected[i], n / 250, names[i]);
            }
        }
        // the seeded holdout gives the same sizes
        try (DataSource d = new MnistDataset().open(new MnistDataset.Config(null, root.toString(), 5000, "standardize", null, null, null, null),
                new DataContext(root, 7))) {
            assertEquals(55000, d.split("train").size());
            assertEquals(5000, d.split("val").size());
        }
    }

    private static int[] counts(Split s) {
        int[] c = new int[10];
        for (int i = 0; i < s.size(); i++) {
            c[s.label(i)]++;
        }
        return c;
    }

    private static double[] meanStd(Split s) {
        double sum = 0;
        double sq = 0;
        long n = 0;
        float[] row = new float[s.inputDim()];
        for (int i = 0; i < s.size(); i++) {
            s.copySample(i, row, 0);
            for (float v : row) {
                sum += v;
                sq += (double) v * v;
                n++;
            }
        }
        double mean = sum / n;
        return new double[]{mean, Math.sqrt(sq / n - mean * mean)};
    }
}

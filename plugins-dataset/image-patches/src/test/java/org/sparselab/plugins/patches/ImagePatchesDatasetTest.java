package org.sparselab.plugins.patches;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparselab.api.config.ConfigException;
import org.sparselab.api.data.DataContext;
import org.sparselab.api.data.DataSource;
import org.sparselab.api.data.FloatTensor;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImagePatchesDatasetTest {

    /** Random smooth structure plus pixel noise, in colour or grey. */
    static BufferedImage texture(int w, int h, long seed, int type) {
        Random r = new Random(seed);
        BufferedImage im = new BufferedImage(w, h, type);
        double f1 = 0.05 + 0.3 * r.nextDouble();
        double f2 = 0.05 + 0.3 * r.nextDouble();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int[] c = new int[3];
                for (int ch = 0; ch < 3; ch++) {
                    double v = 128 + 70 * Math.sin(f1 * x + ch) * Math.cos(f2 * y - ch) + 30 * r.nextGaussian();
                    c[ch] = (int) Math.max(0, Math.min(255, Math.round(v)));
                }
                if (type == BufferedImage.TYPE_BYTE_GRAY) {
                    im.getRaster().setSample(x, y, 0, c[0]);
                } else {
                    im.setRGB(x, y, (c[0] << 16) | (c[1] << 8) | c[2]);
                }
            }
        }
        return im;
    }

    /** Eight images of mixed formats and sizes, two of them in a subfolder. */
    static Path folder(Path dir) throws IOException {
        Path sub = Files.createDirectories(dir.resolve("n01440764"));
        ImageIO.write(texture(96, 80, 1, BufferedImage.TYPE_INT_RGB), "png", dir.resolve("a.png").toFile());
        ImageIO.write(texture(70, 90, 2, BufferedImage.TYPE_BYTE_GRAY), "png", dir.resolve("b.PNG").toFile());
        ImageIO.write(texture(120, 64, 3, BufferedImage.TYPE_INT_RGB), "jpg", dir.resolve("c.jpg").toFile());
        ImageIO.write(texture(64, 64, 4, BufferedImage.TYPE_INT_RGB), "bmp", dir.resolve("d.bmp").toFile());
        ImageIO.write(texture(80, 100, 5, BufferedImage.TYPE_INT_RGB), "gif", dir.resolve("e.gif").toFile());
        ImageIO.write(texture(100, 75, 6, BufferedImage.TYPE_INT_RGB), "jpeg", sub.resolve("f.JPEG").toFile());
        ImageIO.write(texture(66, 66, 7, BufferedImage.TYPE_BYTE_GRAY), "jpg", sub.resolve("g.jpg").toFile());
        ImageIO.write(texture(200, 150, 8, BufferedImage.TYPE_INT_RGB), "png", dir.resolve("h.png").toFile());
        Files.writeString(dir.resolve("notes.txt"), "not an image");
        return dir;
    }

    static ImagePatchesDataset.Config cfg(String root, int train, int val, int test, Integer imageSize, Double threshold, Long seed) {
        return new ImagePatchesDataset.Config(root, train, val, test, imageSize, null, null, null, threshold, 4, null, seed, null, null);
    }

    static DataSource open(ImagePatchesDataset.Config c, Path data, long runSeed) throws IOException {
        return new ImagePatchesDataset().open(c, new DataContext(data, runSeed));
    }

    static float[] all(DataSource d, String split) {
        return d.split(split).features(IntStream.range(0, d.split(split).size()).toArray());
    }

    @Test
    void defaults() {
        ImagePatchesDataset.Config c = new ImagePatchesDataset.Config("imgs", null, null, null, null, null, null, null, null, null, null, null, null, null);
        assertEquals(200_000, c.trainSize());
        assertEquals(20_000, c.valSize());
        assertEquals(20_000, c.testSize());
        assertEquals(256, c.imageSize());
        assertEquals(28, c.patchSize());
        assertEquals(13, c.filterSize());
        assertEquals(5.0, c.sigma());
        assertEquals(0.5, c.stdThreshold());
        assertEquals(250, c.lcnBatch());
        assertEquals(10, c.passes());
        assertNull(c.seed());
        assertFalse(c.skipBadImages());
        assertFalse(c.trainMaps());
        assertEquals(52, c.crop());
    }

    @Test
    void shapesSplitsAndGroundTruth(@TempDir Path tmp) throws IOException {
        folder(tmp.resolve("images"));
        // relative root: resolved against the data folder
        DataSource d = open(cfg("images", 30, 10, 12, 64, null, 9L), tmp, 1);
        assertEquals(List.of("train", "val", "test"), d.splitNames());
        assertArrayEquals(new int[]{1, 28, 28}, d.spec().sampleShape());
        assertTrue(d.spec().isImage());
        assertFalse(d.spec().labelled());
        assertEquals(30, d.split("train").size());
        assertEquals(10, d.split("val").size());
        assertEquals(12, d.split("test").size());
        assertEquals(784, d.split("test").inputDim());
        assertEquals(-1, d.split("train").label(0));
        assertEquals(Set.of("val_mean", "val_std", "test_mean", "test_std", "pixel_scale", "pixel_offset"), d.groundTruth().keySet());
        assertEquals(0.259f, d.groundTruth().get("pixel_scale").data()[0]);
        assertEquals(0.457f, d.groundTruth().get("pixel_offset").data()[0]);
        assertArrayEquals(new int[]{12, 784}, d.groundTruth().get("test_mean").shape());
        assertArrayEquals(new int[]{12, 784}, d.groundTruth().get("test_std").shape());
        assertArrayEquals(new int[]{10, 784}, d.groundTruth().get("val_std").shape());
        for (String s : List.of("train", "val", "test")) {
            float[] x = all(d, s);
            for (int k = 0; k < x.length / 784; k++) {
                double mean = 0;
                for (int j = 0; j < 784; j++) {
                    mean += x[k * 784 + j];
                }
                mean /= 784;
                double ss = 0;
                for (int j = 0; j < 784; j++) {
                    ss += (x[k * 784 + j] - mean) * (x[k * 784 + j] - mean);
                }
                assertTrue(Math.sqrt(ss / 783) >= 0.5 - 1e-5, s + " patch " + k + " is below std_threshold");
            }
        }
        for (float s : d.groundTruth().get("test_std").data()) {
            assertTrue(s >= Lcn.FLOOR);
        }
        // no val split, training maps kept, absolute root
        ImagePatchesDataset.Config noVal = new ImagePatchesDataset.Config(tmp.resolve("images").toString(), 5, 0, 3, 64, 14, 5, 2.0,
                0.0, 8, 1, 2L, null, true);
        DataSource nv = open(noVal, tmp.resolve("elsewhere"), 1);
        assertEquals(List.of("train", "test"), nv.splitNames());
        assertArrayEquals(new int[]{1, 14, 14}, nv.spec().sampleShape());
        assertEquals(Set.of("train_mean", "train_std", "test_mean", "test_std", "pixel_scale", "pixel_offset"), nv.groundTruth().keySet());
        assertArrayEquals(new int[]{5, 196}, nv.groundTruth().get("train_mean").shape());
    }

    @Test
    void sameSeedRebuildsExactlyAnotherSeedDoesNot(@TempDir Path tmp) throws IOException {
        folder(tmp);
        DataSource a = open(cfg(tmp.toString(), 20, 5, 8, 64, null, 3L), tmp, 99);
        DataSource b = open(cfg(tmp.toString(), 20, 5, 8, 64, null, null), tmp, 3); // the run's seed when none is set
        DataSource other = open(cfg(tmp.toString(), 20, 5, 8, 64, null, 4L), tmp, 3);
        for (String s : List.of("train", "val", "test")) {
            assertArrayEquals(all(a, s), all(b, s), s);
            assertFalse(java.util.Arrays.equals(all(a, s), all(other, s)), s);
        }
        for (String k : List.of("val_mean", "val_std", "test_mean", "test_std")) {
            assertArrayEquals(a.groundTruth().get(k).data(), b.groundTruth().get(k).data(), k);
        }
        assertEquals(a.fingerprint(), b.fingerprint());
        assertNotEquals(a.fingerprint(), other.fingerprint());
        assertNotEquals(a.fingerprint(), open(cfg(tmp.toString(), 20, 5, 9, 64, null, 3L), tmp, 3).fingerprint());
        // files are visited in a permutation of their order by relative path, whatever order the file system lists
        assertEquals(List.of("a.png", "b.PNG", "c.jpg", "d.bmp", "e.gif", "h.png", "n01440764/f.JPEG", "n01440764/g.jpg"),
                GreyCrops.list(tmp).stream().map(f -> GreyCrops.relative(tmp, f)).toList());
    }

    @Test
    void lcnMapsGiveBackTheGreyPatch(@TempDir Path tmp) throws IOException {
        // a single image of exactly the crop size with no resize: every crop is the whole image
        for (int type : new int[]{BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_INT_RGB}) {
            Path dir = Files.createDirectories(tmp.resolve("t" + type));
            BufferedImage im = texture(52, 52, 17, type);
            ImageIO.write(im, "png", dir.resolve("only.png").toFile());
            DataSource d = open(cfg(dir.toString(), 1, 0, 1, 0, 0.0, 1L), tmp, 1);
            float[] x = all(d, "test");
            FloatTensor m = d.groundTruth().get("test_mean");
            FloatTensor s = d.groundTruth().get("test_std");
            for (int i = 0; i < 28; i++) {
                for (int j = 0; j < 28; j++) {
                    int p = i * 28 + j;
                    // back in pixel space as spec check C9 does it: (x·s + m)·0.259 + 0.457
                    double pixel = (x[p] * s.data()[p] + m.data()[p]) * 0.259 + 0.457;
                    if (type == BufferedImage.TYPE_BYTE_GRAY) {
                        assertEquals(im.getRaster().getSample(j + 12, i + 12, 0) / 255.0, pixel, 1e-5);
                    } else {
                        int rgb = im.getRGB(j + 12, i + 12);
                        // ITU-R 601 luma, rounded to an 8-bit level (N / 1000.0 is exact at the ties k + ½)
                        long luma = Math.round((299 * ((rgb >> 16) & 255) + 587 * ((rgb >> 8) & 255) + 114 * (rgb & 255)) / 1000.0);
                        assertEquals(luma / 255.0, pixel, 1e-5);
                    }
                }
            }
            assertArrayEquals(all(d, "train"), x); // the same crop both times, alone in its batch
        }
    }

    @Test
    void resizeFollowsTorchvisionAndPil() {
        assertArrayEquals(new int[]{341, 256}, GreyCrops.resized(500, 375, 256));
        assertArrayEquals(new int[]{256, 384}, GreyCrops.resized(100, 150, 256));
        assertArrayEquals(new int[]{256, 256}, GreyCrops.resized(300, 300, 256));
        assertArrayEquals(new int[]{70, 90}, GreyCrops.resized(70, 90, 0));
        // scale 1: the identity
        GreyCrops.Taps id = GreyCrops.Taps.of(10, 10, 3, 4);
        for (int k = 0; k < 4; k++) {
            double[] w = id.weights[k];
            for (int t = 0; t < w.length; t++) {
                assertEquals(id.start[k] + t == 3 + k ? 1.0 : 0.0, w[t], 0.0);
            }
        }
        // halving: PIL's triangle of half-width 2 around centre 1 → weights 3/7, 3/7, 1/7 on pixels 0, 1, 2
        GreyCrops.Taps half = GreyCrops.Taps.of(4, 2, 0, 1);
        assertEquals(0, half.start[0]);
        assertArrayEquals(new double[]{3 / 7.0, 3 / 7.0, 1 / 7.0}, half.weights[0], 1e-12);
        assertEquals(255, GreyCrops.luma(255, 255, 255));
        assertEquals(76, GreyCrops.luma(255, 0, 0));
        assertEquals(0.0, GreyCrops.normalise(0) * 0.259 + 0.457, 1e-12);
    }

    @Test
    void missingEmptyAndBadFoldersAreReported(@TempDir Path tmp) throws IOException {
        NoSuchFileException missing = assertThrows(NoSuchFileException.class, () -> open(cfg("nope", 1, 0, 1, 64, null, 1L), tmp, 1));
        assertTrue(missing.getMessage().contains(tmp.resolve("nope").toString()), missing.getMessage());
        assertTrue(missing.getMessage().contains("folder of images"), missing.getMessage());
        Files.writeString(tmp.resolve("file.png"), "x");
        IOException notDir = assertThrows(IOException.class, () -> open(cfg("file.png", 1, 0, 1, 64, null, 1L), tmp, 1));
        assertTrue(notDir.getMessage().contains("is not a folder"), notDir.getMessage());
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Files.writeString(empty.resolve("readme.txt"), "no images here");
        IOException none = assertThrows(IOException.class, () -> open(cfg("empty", 1, 0, 1, 64, null, 1L), tmp, 1));
        assertTrue(none.getMessage().contains(empty.toString()) && none.getMessage().contains("holds no images")
                && none.getMessage().contains(".jpeg"), none.getMessage());

        Path bad = folder(tmp.resolve("bad"));
        Files.writeString(bad.resolve("broken.jpg"), "these bytes are no JPEG");
        IOException broken = assertThrows(IOException.class, () -> open(cfg("bad", 5, 0, 5, 64, null, 1L), tmp, 1));
        assertTrue(broken.getMessage().contains(bad.resolve("broken.jpg").toString())
                && broken.getMessage().contains("skip_bad_images"), broken.getMessage());
        ImagePatchesDataset.Config skip = new ImagePatchesDataset.Config("bad", 5, 0, 5, 64, null, null, null, null, 4, null, 1L, true, null);
        List<Path> files = GreyCrops.list(bad);
        assertEquals(9, files.size());
        ImagePatchesDataset.Patches p = ImagePatchesDataset.build(skip, files, bad, 1);
        assertTrue(p.skipped() >= 1);
        assertEquals(5 * 784, p.x()[2].length);

        Path small = Files.createDirectories(tmp.resolve("small"));
        ImageIO.write(texture(40, 60, 1, BufferedImage.TYPE_INT_RGB), "png", small.resolve("s.png").toFile());
        IOException tooSmall = assertThrows(IOException.class, () -> open(cfg("small", 1, 0, 1, 0, null, 1L), tmp, 1));
        assertTrue(tooSmall.getMessage().contains("smaller than the 52×52 crop") && tooSmall.getMessage().contains("image_size"),
                tooSmall.getMessage());

        // flat images never pass the std threshold: the error says how many patches were found and what to change
        Path flat = Files.createDirectories(tmp.resolve("flat"));
        BufferedImage grey = new BufferedImage(60, 60, BufferedImage.TYPE_INT_RGB);
        ImageIO.write(grey, "png", flat.resolve("grey.png").toFile());
        IOException few = assertThrows(IOException.class, () -> open(cfg("flat", 2, 0, 1, 0, null, 1L), tmp, 1));
        assertTrue(few.getMessage().contains("only 0 of the 3 patches") && few.getMessage().contains("std_threshold"), few.getMessage());

        ConfigException noRoot = assertThrows(ConfigException.class, () -> cfg(null, 1, 0, 1, 64, null, 1L));
        assertEquals("root", noRoot.key());
        assertEquals("image_size", assertThrows(ConfigException.class, () -> cfg("x", 1, 0, 1, 40, null, 1L)).key());
        assertEquals("filter_size", assertThrows(ConfigException.class,
                () -> new ImagePatchesDataset.Config("x", 1, 0, 1, null, null, 12, null, null, null, null, null, null, null)).key());
        assertEquals("test_size", assertThrows(ConfigException.class, () -> cfg("x", 1, 0, 0, 64, null, 1L)).key());
        assertEquals("std_threshold", assertThrows(ConfigException.class, () -> cfg("x", 1, 0, 1, 64, -1.0, 1L)).key());
        assertEquals("train_size", assertThrows(ConfigException.class, () -> cfg("x", 3_000_000, 0, 1, 64, null, 1L)).key());
    }
}

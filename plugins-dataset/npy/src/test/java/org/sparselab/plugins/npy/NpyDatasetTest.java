package org.sparselab.plugins.npy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparselab.api.config.ConfigException;
import org.sparselab.api.data.DataContext;
import org.sparselab.api.data.DataSource;
import org.sparselab.api.data.Npy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NpyDatasetTest {

    /** A 1-D int64 .npy file, as np.save(np.array(labels, dtype=np.int64)) writes it. */
    static void labels(Path f, long... y) throws IOException {
        String header = "{'descr': '<i8', 'fortran_order': False, 'shape': (" + y.length + ",), }";
        int pad = (64 - (10 + header.length() + 1) % 64) % 64;
        String h = header + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + h.length() + 8 * y.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) h.length()).put(h.getBytes(StandardCharsets.ISO_8859_1));
        for (long v : y) {
            b.putLong(v);
        }
        Files.write(f, b.array());
    }

    private static void data(Path dir, int n, int d, String prefix) throws IOException {
        float[] x = new float[n * d];
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            for (int j = 0; j < d; j++) {
                x[i * d + j] = i + j / 10f;
            }
        }
        Npy.write(dir.resolve(prefix + "_x.npy"), x, n, d);
        labels(dir.resolve(prefix + "_y.npy"), y);
    }

    private static NpyDataset.Config cfg(Integer val, String norm, List<Integer> shape) {
        return new NpyDataset.Config("train_x.npy", "train_y.npy", "test_x.npy", "test_y.npy", null, null, val, null, norm, shape);
    }

    @Test
    void readsSplitsLabelsAndHoldout(@TempDir Path dir) throws IOException {
        data(dir, 30, 4, "train");
        data(dir, 9, 4, "test");
        DataSource s = new NpyDataset().open(cfg(6, null, null), new DataContext(dir, 1));
        assertEquals(List.of("train", "val", "test"), s.splitNames());
        assertEquals(24, s.split("train").size());
        assertEquals(6, s.split("val").size());
        assertEquals(3, s.spec().numClasses());
        assertArrayEquals(new int[]{4}, s.spec().sampleShape());
        assertArrayEquals(new float[]{2, 2.1f, 2.2f, 2.3f}, s.split("test").features(new int[]{2}), 1e-6f);
        assertEquals(2, s.split("test").label(2));
        DataSource img = new NpyDataset().open(cfg(0, "standardize", List.of(1, 2, 2)), new DataContext(dir, 1));
        assertTrue(img.spec().isImage());
        float[] all = img.split("train").features(java.util.stream.IntStream.range(0, 30).toArray());
        double mean = 0;
        for (int i = 0; i < all.length; i += 4) {
            mean += all[i];
        }
        assertEquals(0, mean / 30, 1e-4);
    }

    @Test
    void checksShapesDtypesAndFiles(@TempDir Path dir) throws IOException {
        data(dir, 30, 4, "train");
        data(dir, 9, 5, "test");
        IOException width = assertThrows(IOException.class, () -> new NpyDataset().open(cfg(0, null, null), new DataContext(dir, 1)));
        assertTrue(width.getMessage().contains("test_x.npy has samples of 5 values"), width.getMessage());
        data(dir, 9, 4, "test");
        labels(dir.resolve("test_y.npy"), 0, 1, 2);
        IOException count = assertThrows(IOException.class, () -> new NpyDataset().open(cfg(0, null, null), new DataContext(dir, 1)));
        assertTrue(count.getMessage().contains("holds 3 labels but test_x.npy holds 9 samples"), count.getMessage());
        Npy.write(dir.resolve("test_y.npy"), new float[9], 9);
        IOException dtype = assertThrows(IOException.class, () -> new NpyDataset().open(cfg(0, null, null), new DataContext(dir, 1)));
        assertTrue(dtype.getMessage().contains("labels must be integers"), dtype.getMessage());
        labels(dir.resolve("test_y.npy"), 0, 1, 2, 0, 1, 2, 0, 1, 7);
        IOException range = assertThrows(IOException.class, () -> new NpyDataset().open(cfg(0, null, null), new DataContext(dir, 1)));
        assertTrue(range.getMessage().contains("label 7 of sample 8 is outside [0, 3)"), range.getMessage());
        assertThrows(NoSuchFileException.class, () -> new NpyDataset().open(cfg(0, null, null), new DataContext(dir.resolve("x"), 1)));
        ConfigException shape = assertThrows(ConfigException.class, () -> {
            labels(dir.resolve("test_y.npy"), 0, 1, 2, 0, 1, 2, 0, 1, 2);
            new NpyDataset().open(cfg(0, null, List.of(3, 3)), new DataContext(dir, 1));
        });
        assertEquals("sample_shape", shape.key());
        assertThrows(ConfigException.class, () -> new NpyDataset.Config(null, "y", "a", "b", null, null, null, null, null, null));
    }
}

package org.sparselab.plugins.sdmmemory;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** MNIST training images from IDX files (raw or .gz), scaled to [0, 1] as torchvision's ToTensor. */
final class Idx {
    private Idx() {
    }

    static float[] readImages(Path folder) throws IOException {
        Path raw = folder.resolve("train-images-idx3-ubyte");
        Path gz = folder.resolve("train-images-idx3-ubyte.gz");
        Path f = Files.isRegularFile(raw) ? raw : gz;
        if (!Files.isRegularFile(f)) {
            throw new org.sparselab.api.config.ConfigException("dataset", "MNIST not found: expected " + raw + " or " + gz
                    + " (fetch it with: sparselab data fetch mnist)");
        }
        try (InputStream in0 = Files.newInputStream(f);
             DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(f == gz ? new GZIPInputStream(in0) : in0))) {
            int magic = in.readInt();
            if (magic != 0x00000803) {
                throw new IOException(f + " is not an IDX image file (magic " + Integer.toHexString(magic) + ")");
            }
            int count = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            byte[] b = new byte[count * rows * cols];
            in.readFully(b);
            float[] x = new float[b.length];
            for (int i = 0; i < b.length; i++) {
                x[i] = (b[i] & 0xFF) / 255f;
            }
            return x;
        }
    }
}

package org.sparselab.plugins.mnist;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * An IDX file (the MNIST format): magic {@code 0x00000800 | type << 8 | dims}, then the dimension sizes as
 * big-endian ints, then the data. Only unsigned bytes (type 0x08) occur in MNIST. Reads raw or gzip files
 * (by magic, not by name) and checks the header against the file size.
 */
record IdxFile(Path path, int[] dims, byte[] data) {

    static IdxFile read(Path path) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw e;
        }
        if (bytes.length >= 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes), 1 << 16)) {
                bytes = in.readAllBytes();
            } catch (IOException e) {
                throw new IOException(path + ": a gzip file that cannot be decompressed (" + e.getMessage() + "); is it truncated?");
            }
        }
        if (bytes.length < 4) {
            throw new IOException(path + ": " + bytes.length + " bytes is too short for an IDX header");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int magic = b.getInt();
        int type = (magic >> 8) & 0xff;
        int nd = magic & 0xff;
        if ((magic >>> 16) != 0 || type != 0x08 || nd < 1 || nd > 4) {
            throw new IOException(String.format("%s: not an IDX file of unsigned bytes (magic 0x%08x; expected 0x00000801 for labels or "
                    + "0x00000803 for images)", path, magic));
        }
        if (bytes.length < 4 + 4 * nd) {
            throw new IOException(path + ": the header is cut off");
        }
        int[] dims = new int[nd];
        long expected = 1;
        for (int i = 0; i < nd; i++) {
            dims[i] = b.getInt();
            if (dims[i] < 0) {
                throw new IOException(path + ": negative dimension " + dims[i] + " in the header");
            }
            expected *= dims[i];
        }
        long actual = bytes.length - 4L - 4L * nd;
        if (actual != expected) {
            throw new IOException(String.format("%s: the header describes %s = %d bytes of data but the file holds %d (%s)",
                    path, shape(dims), expected, actual, actual < expected ? "truncated" : "trailing bytes"));
        }
        byte[] data = new byte[(int) actual];
        b.get(data);
        return new IdxFile(path, dims, data);
    }

    static String shape(int[] dims) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < dims.length; i++) {
            sb.append(i == 0 ? "" : "x").append(dims[i]);
        }
        return sb.toString();
    }

    int count() {
        return dims[0];
    }
}

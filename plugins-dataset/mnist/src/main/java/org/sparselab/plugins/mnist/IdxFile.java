package org.sparselab.plugins.mnist;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * An IDX file (the MNIST format): magic {@code 0x0000 | type << 8 | dims}, the dimension sizes as big-endian
 * ints, then the data. Only unsigned bytes (type 0x08) occur in MNIST. Raw and gzip files are both read; gzip
 * is recognised by its magic bytes, so the name does not matter. The header is checked against the file size.
 *
 * @param bytes the whole (decompressed) file; the data start at {@code offset}, so nothing is copied
 */
record IdxFile(Path path, int[] dims, byte[] bytes, int offset) {
    static final int IMAGES = 0x00000803;
    static final int LABELS = 0x00000801;

    /** Reads and checks the whole file with one read (MNIST's training images are 47 MB). */
    static IdxFile read(Path path) throws IOException {
        byte[] bytes = Files.readAllBytes(path);
        if (gzip(bytes)) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes), 1 << 16)) {
                bytes = in.readAllBytes();
            } catch (IOException e) {
                throw new IOException(path + ": gzip data that cannot be decompressed (" + e.getMessage()
                        + "); the file is truncated or damaged");
            }
        }
        int[] dims = header(path, bytes, bytes.length);
        return new IdxFile(path, dims, bytes, 4 + 4 * dims.length);
    }

    /**
     * The same checks as {@link #read} from the header and the file size only (for a gzip file, the
     * uncompressed size in its trailer), so that an idempotent fetch can tell quickly that files are complete.
     */
    static int[] check(Path path) throws IOException {
        byte[] head;
        long size;
        try (SeekableByteChannel ch = Files.newByteChannel(path)) {
            size = ch.size();
            head = readUpTo(ch, 0, 20);
            if (gzip(head)) {
                // ISIZE: the last 4 bytes, little-endian, uncompressed length mod 2^32
                long isize = Integer.toUnsignedLong(ByteBuffer.wrap(readUpTo(ch, Math.max(0, size - 4), 4))
                        .order(ByteOrder.LITTLE_ENDIAN).getInt());
                try (InputStream in = new GZIPInputStream(Files.newInputStream(path))) {
                    head = in.readNBytes(20);
                } catch (IOException e) {
                    return read(path).dims();
                }
                try {
                    return header(path, head, isize);
                } catch (IOException e) {
                    // the trailer covers only the last gzip member; let a full read decide
                    return read(path).dims();
                }
            }
        }
        return header(path, head, size);
    }

    private static byte[] readUpTo(SeekableByteChannel ch, long position, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        ch.position(position);
        while (b.hasRemaining() && ch.read(b) > 0) {
            // keep reading: a channel may return fewer bytes than asked
        }
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    private static boolean gzip(byte[] b) {
        return b.length >= 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b;
    }

    /** Parses the header from {@code head} and checks it against the total (decompressed) size. */
    private static int[] header(Path path, byte[] head, long total) throws IOException {
        if (total < 4 || head.length < 4) {
            throw new IOException(path + ": " + total + " bytes is too short for an IDX header");
        }
        ByteBuffer b = ByteBuffer.wrap(head);
        int magic = b.getInt();
        int type = (magic >> 8) & 0xff;
        int nd = magic & 0xff;
        if ((magic >>> 16) != 0 || type != 0x08 || nd < 1 || nd > 4) {
            throw new IOException(String.format("%s: wrong magic number 0x%08x: not an IDX file of unsigned bytes "
                    + "(expected 0x%08x for images or 0x%08x for labels)", path, magic, IMAGES, LABELS));
        }
        if (total < 4 + 4L * nd || head.length < 4 + 4 * nd) {
            throw new IOException(path + ": the IDX header is cut off (" + total + " bytes)");
        }
        int[] dims = new int[nd];
        long expected = 1;
        for (int i = 0; i < nd; i++) {
            dims[i] = b.getInt();
            if (dims[i] < 0) {
                throw new IOException(path + ": negative dimension " + dims[i] + " in the IDX header");
            }
            expected *= dims[i];
        }
        long actual = total - 4L - 4L * nd;
        if (actual != expected) {
            throw new IOException(String.format("%s: the header says %s, which is %d bytes of data, but the file holds %d (%s)",
                    path, describe(dims), expected, actual, actual < expected ? "truncated" : "trailing bytes"));
        }
        if (expected > Integer.MAX_VALUE - 64) {
            throw new IOException(path + ": " + describe(dims) + " is too large to load");
        }
        return dims;
    }

    /** E.g. {@code 60000 images of 28x28} or {@code 60000 labels}. */
    static String describe(int[] dims) {
        if (dims.length == 3) {
            return dims[0] + " images of " + dims[1] + "x" + dims[2];
        }
        if (dims.length == 1) {
            return dims[0] + " labels";
        }
        StringBuilder sb = new StringBuilder("shape ");
        for (int i = 0; i < dims.length; i++) {
            sb.append(i == 0 ? "" : "x").append(dims[i]);
        }
        return sb.toString();
    }

    int count() {
        return dims[0];
    }

    /** Unsigned byte {@code i} of the data. */
    int get(int i) {
        return bytes[offset + i] & 0xff;
    }
}

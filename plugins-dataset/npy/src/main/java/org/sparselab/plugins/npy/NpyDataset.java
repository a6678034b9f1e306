package org.sparselab.plugins.npy;

import org.pf4j.Extension;
import org.sparselab.api.Dataset;
import org.sparselab.api.config.Check;
import org.sparselab.api.config.ConfigException;
import org.sparselab.api.config.Param;
import org.sparselab.api.data.ArraySplit;
import org.sparselab.api.data.DataContext;
import org.sparselab.api.data.DataSource;
import org.sparselab.api.data.DataSpec;
import org.sparselab.api.data.Fingerprint;
import org.sparselab.api.data.Holdout;
import org.sparselab.api.data.Npy;
import org.sparselab.api.data.Split;
import org.sparselab.api.data.SplitsSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code npy}: feature matrices and integer labels from NumPy .npy files: how users bring embeddings such as
 * the SDM papers' CIFAR-10 ConvMixer latents ({@code [50000, 256]} float32). Features must be float32 (or
 * float64, converted); labels integers in [0, classes). Splits: train, val (given, or a seeded holdout), test.
 */
@Extension
public final class NpyDataset implements Dataset<NpyDataset.Config> {

    /** Parameters of {@code npy}. Relative paths are relative to the data folder. */
    public record Config(
            @Param("training features: .npy float32 [n, d] (more dimensions are flattened)") String trainX,
            @Param("training labels: .npy integers [n]") String trainY,
            @Param("test features") String testX,
            @Param("test labels") String testY,
            @Param("validation features (optional; else val_size are held out of train)") String valX,
            @Param("validation labels") String valY,
            @Param("training samples held out as val (seeded) when no val files are given") Integer valSize,
            @Param("number of classes; unset = largest training label + 1") Integer classes,
            @Param("none | standardize (per feature, with the training mean and std)") String normalize,
            @Param("shape of one sample, e.g. [3, 32, 32] for images (product = d); unset = [d]") List<Integer> sampleShape) {

        public Config {
            if (trainX == null || trainY == null) {
                throw ConfigException.missing(trainX == null ? "train_x" : "train_y", "the path of a .npy file");
            }
            if (testX == null || testY == null) {
                throw ConfigException.missing(testX == null ? "test_x" : "test_y", "the path of a .npy file");
            }
            if ((valX == null) != (valY == null)) {
                throw ConfigException.missing(valX == null ? "val_x" : "val_y", "both val_x and val_y, or neither");
            }
            valSize = Check.atLeast("val_size", Check.orDefault(valSize, 0), 0);
            if (classes != null) {
                Check.atLeast("classes", classes, 1);
            }
            normalize = Check.oneOf("normalize", Check.orDefault(normalize, "none"), List.of("none", "standardize"));
        }
    }

    @Override
    public String id() {
        return "npy";
    }

    @Override
    public String description() {
        return "Feature matrices and integer labels from .npy files (embeddings, cached latents), with shape and dtype checks";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public DataSource open(Config c, DataContext ctx) throws IOException {
        Path root = ctx.dataRoot();
        Part train = Part.read(resolve(root, c.trainX()), resolve(root, c.trainY()));
        Part test = Part.read(resolve(root, c.testX()), resolve(root, c.testY()));
        Part val = c.valX() == null ? null : Part.read(resolve(root, c.valX()), resolve(root, c.valY()));
        int d = train.x.cols();
        for (Part p : val == null ? List.of(test) : List.of(test, val)) {
            if (p.x.cols() != d) {
                throw new IOException(p.xFile + " has samples of " + p.x.cols() + " values but " + train.xFile + " has " + d);
            }
        }
        int classes = c.classes() != null ? c.classes() : max(train.y) + 1;
        for (Part p : val == null ? List.of(train, test) : List.of(train, test, val)) {
            for (int i = 0; i < p.y.length; i++) {
                if (p.y[i] < 0 || p.y[i] >= classes) {
                    throw new IOException(p.yFile + ": label " + p.y[i] + " of sample " + i + " is outside [0, " + classes + ")"
                            + (c.classes() == null ? " (classes = largest training label + 1; set classes: to override)" : ""));
                }
            }
        }
        int[] shape = shape(c, d);
        if (c.normalize().equals("standardize")) {
            standardize(train.x.data(), d, val == null ? List.of(test.x.data()) : List.of(test.x.data(), val.x.data()));
        }
        Map<String, Split> splits = new LinkedHashMap<>();
        if (val == null && c.valSize() > 0) {
            if (c.valSize() >= train.y.length) {
                throw ConfigException.invalid("val_size", c.valSize(), "fewer than the " + train.y.length + " training samples");
            }
            Split[] tv = Holdout.split(new ArraySplit("train-all", train.x.data(), train.y, d), c.valSize(), ctx.seed() ^ 0x6e7079L);
            splits.put("train", tv[0]);
            splits.put("val", tv[1]);
        } else {
            splits.put("train", new ArraySplit("train", train.x.data(), train.y, d));
            if (val != null) {
                splits.put("val", new ArraySplit("val", val.x.data(), val.y, d));
            }
        }
        splits.put("test", new ArraySplit("test", test.x.data(), test.y, d));
        List<Path> files = new ArrayList<>(List.of(train.xFile, train.yFile, test.xFile, test.yFile));
        if (val != null) {
            files.add(val.xFile);
            files.add(val.yFile);
        }
        String fp = Fingerprint.text(Fingerprint.files(files.toArray(new Path[0])) + "|" + c.normalize());
        return new SplitsSource("npy", new DataSpec(shape, classes, null), splits, fp);
    }

    private static Path resolve(Path root, String p) {
        Path path = Path.of(p);
        return path.isAbsolute() ? path : root.resolve(path);
    }

    private static int[] shape(Config c, int d) {
        if (c.sampleShape() == null || c.sampleShape().isEmpty()) {
            return new int[]{d};
        }
        int[] s = c.sampleShape().stream().mapToInt(Integer::intValue).toArray();
        long prod = 1;
        for (int v : s) {
            prod *= v;
        }
        if (prod != d) {
            throw ConfigException.invalid("sample_shape", c.sampleShape(), "a shape whose product is the feature count " + d);
        }
        return s;
    }

    private static int max(int[] y) {
        int m = -1;
        for (int v : y) {
            m = Math.max(m, v);
        }
        return m;
    }

    static void standardize(float[] train, int d, List<float[]> others) {
        int n = train.length / d;
        double[] mean = new double[d];
        double[] sq = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double v = train[i * d + j];
                mean[j] += v;
                sq[j] += v * v;
            }
        }
        float[] mu = new float[d];
        float[] inv = new float[d];
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
            mu[j] = (float) mean[j];
            inv[j] = (float) (1 / Math.sqrt(Math.max(sq[j] / n - mean[j] * mean[j], 1e-12)));
        }
        List<float[]> all = new ArrayList<>(others);
        all.add(train);
        for (float[] x : all) {
            for (int i = 0; i < x.length; i++) {
                x[i] = (x[i] - mu[i % d]) * inv[i % d];
            }
        }
    }

    /** Features and labels of one split, checked against each other. */
    record Part(Path xFile, Path yFile, Npy.Matrix x, int[] y) {
        static Part read(Path xf, Path yf) throws IOException {
            for (Path p : List.of(xf, yf)) {
                if (!Files.isRegularFile(p)) {
                    throw new NoSuchFileException(p.toString(), null, "the npy dataset needs this file (paths are relative to the data folder)");
                }
            }
            Npy.Matrix x = Npy.read(xf);
            if (!x.dtype().equals("f4") && !x.dtype().equals("f8")) {
                throw new IOException(xf + ": features must be float32 (or float64), found dtype " + x.dtype());
            }
            if (x.shape().length < 2) {
                throw new IOException(xf + ": features must have shape [n, d, ...], found a 1-D array");
            }
            Npy.Matrix ym = Npy.read(yf);
            if (!ym.dtype().startsWith("i") && !ym.dtype().startsWith("u")) {
                throw new IOException(yf + ": labels must be integers, found dtype " + ym.dtype());
            }
            if (ym.shape().length != 1 && !(ym.shape().length == 2 && ym.shape()[1] == 1)) {
                throw new IOException(yf + ": labels must have shape [n], found " + java.util.Arrays.toString(ym.shape()));
            }
            if (ym.rows() != x.rows()) {
                throw new IOException(yf + " holds " + ym.rows() + " labels but " + xf.getFileName() + " holds " + x.rows() + " samples");
            }
            int[] y = new int[ym.rows()];
            for (int i = 0; i < y.length; i++) {
                y[i] = (int) ym.data()[i];
            }
            return new Part(xf, yf, x, y);
        }
    }
}

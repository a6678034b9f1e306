package org.sparselab.plugins.mnist;

import org.pf4j.Extension;
import org.sparselab.api.Dataset;
import org.sparselab.api.config.Check;
import org.sparselab.api.config.ConfigException;
import org.sparselab.api.config.Param;
import org.sparselab.api.data.ArraySplit;
import org.sparselab.api.data.DataContext;
import org.sparselab.api.data.DataSource;
import org.sparselab.api.data.DataSpec;
import org.sparselab.api.data.Fetchable;
import org.sparselab.api.data.Fingerprint;
import org.sparselab.api.data.Holdout;
import org.sparselab.api.data.Split;
import org.sparselab.api.data.SplitsSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code mnist}: MNIST or Fashion-MNIST from IDX files (raw or gzip). Splits: train, val (a seeded holdout
 * of {@code val_size} training images), test. Samples are {@code [1, rows, cols]} images, flattened.
 */
@Extension
public final class MnistDataset implements Dataset<MnistDataset.Config>, Fetchable {

    static final List<String> VARIANTS = List.of("mnist", "fashion-mnist");
    static final List<String> FASHION_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
            "Shirt", "Sneaker", "Bag", "Ankle boot");
    /** Where Debian's dataset-fashion-mnist package puts the files. */
    static final Path DEBIAN_FASHION = Path.of("/usr/share/datasets/fashion-mnist");

    /** Parameters of {@code mnist}. */
    public record Config(
            @Param("mnist | fashion-mnist") String variant,
            @Param("folder of the four IDX files; default <data>/mnist, or for fashion-mnist the Debian package's folder, else <data>/fashion-mnist") String root,
            @Param("training images held out as the val split (seeded); 0 = no val split") Integer valSize,
            @Param("scale (x/255) | standardize ((x/255 - mean)/std of the train split) | none (0..255)") String normalize,
            @Param("use only the first n training images (before the holdout); unset = all") Integer limitTrain,
            @Param("use only the first n test images; unset = all") Integer limitTest) {

        public Config {
            variant = Check.oneOf("variant", Check.orDefault(variant, "mnist"), VARIANTS);
            valSize = Check.atLeast("val_size", Check.orDefault(valSize, 5000), 0);
            normalize = Check.oneOf("normalize", Check.orDefault(normalize, "scale"), List.of("scale", "standardize", "none"));
            if (limitTrain != null) {
                Check.atLeast("limit_train", limitTrain, 1);
            }
            if (limitTest != null) {
                Check.atLeast("limit_test", limitTest, 1);
            }
        }
    }

    @Override
    public String id() {
        return "mnist";
    }

    @Override
    public String description() {
        return "MNIST / Fashion-MNIST from IDX files (raw or .gz), seeded val holdout, normalisation options";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    static Path folder(Config c, Path dataRoot) {
        if (c.root() != null) {
            return Path.of(c.root());
        }
        if (c.variant().equals("fashion-mnist")) {
            Path local = dataRoot.resolve("fashion-mnist");
            return Files.isDirectory(local) || !Files.isDirectory(DEBIAN_FASHION) ? local : DEBIAN_FASHION;
        }
        return dataRoot.resolve("mnist");
    }

    /** The file for {@code stem} (e.g. {@code train-images-idx3-ubyte}) in raw, .gz or Debian's dotted naming. */
    static Path find(Path folder, String stem) {
        String dotted = stem.replaceFirst("-idx(\\d)-ubyte$", ".idx$1-ubyte");
        for (String name : List.of(stem, stem + ".gz", dotted, dotted + ".gz")) {
            Path p = folder.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return folder.resolve(stem);
    }

    @Override
    public DataSource open(Config c, DataContext ctx) throws IOException {
        Path folder = folder(c, ctx.dataRoot());
        Path trainImages = find(folder, "train-images-idx3-ubyte");
        Path trainLabels = find(folder, "train-labels-idx1-ubyte");
        Path testImages = find(folder, "t10k-images-idx3-ubyte");
        Path testLabels = find(folder, "t10k-labels-idx1-ubyte");
        for (Path p : List.of(trainImages, trainLabels, testImages, testLabels)) {
            if (!Files.isRegularFile(p)) {
                throw new NoSuchFileException(p.toString(), null, missingHint(c));
            }
        }
        Images train = Images.read(trainImages, trainLabels, c.limitTrain());
        Images test = Images.read(testImages, testLabels, c.limitTest());
        if (train.rows != test.rows || train.cols != test.cols) {
            throw new IOException(testImages + ": test images are " + test.rows + "x" + test.cols + " but training images are "
                    + train.rows + "x" + train.cols);
        }
        if (c.valSize() >= train.count()) {
            throw new ConfigException("val_size", "val_size = " + c.valSize() + " is not accepted: expected fewer than the "
                    + train.count() + " training images");
        }
        int dim = train.rows * train.cols;
        float[] xTrain = train.pixels();
        float[] xTest = test.pixels();
        normalise(c.normalize(), xTrain, xTest);

        ArraySplit all = new ArraySplit("train-all", xTrain, train.labels, dim);
        Map<String, Split> splits = new LinkedHashMap<>();
        if (c.valSize() > 0) {
            Split[] tv = Holdout.split(all, c.valSize(), ctx.seed() ^ 0x6d6e697374L);
            splits.put("train", tv[0]);
            splits.put("val", tv[1]);
        } else {
            splits.put("train", new ArraySplit("train", xTrain, train.labels, dim));
        }
        splits.put("test", new ArraySplit("test", xTest, test.labels, dim));
        List<String> names = c.variant().equals("fashion-mnist") ? FASHION_NAMES : null;
        DataSpec spec = new DataSpec(new int[]{1, train.rows, train.cols}, 10, names);
        String fingerprint = Fingerprint.text(Fingerprint.files(trainImages, trainLabels, testImages, testLabels)
                + "|limit_train=" + c.limitTrain() + "|limit_test=" + c.limitTest());
        return new SplitsSource("mnist", spec, splits, fingerprint);
    }

    private static String missingHint(Config c) {
        return c.variant().equals("fashion-mnist")
                ? "Fashion-MNIST is missing: apt-get install dataset-fashion-mnist, or ./sparselab data fetch fashion-mnist, "
                + "or set root: to any folder of the four IDX files"
                : "MNIST is missing: fetch it with ./sparselab data fetch mnist, or set root: to any folder of the four IDX files";
    }

    /** In place; standardisation uses the statistics of the (whole) training file. */
    static void normalise(String mode, float[] train, float[] test) {
        if (mode.equals("none")) {
            return;
        }
        for (float[] x : List.of(train, test)) {
            for (int i = 0; i < x.length; i++) {
                x[i] /= 255f;
            }
        }
        if (mode.equals("standardize")) {
            double sum = 0;
            double sq = 0;
            for (float v : train) {
                sum += v;
                sq += (double) v * v;
            }
            double mean = sum / train.length;
            double std = Math.sqrt(Math.max(sq / train.length - mean * mean, 1e-12));
            for (float[] x : List.of(train, test)) {
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) ((x[i] - mean) / std);
                }
            }
        }
    }

    /** Images and labels of one IDX pair, checked against each other. */
    static final class Images {
        final int rows;
        final int cols;
        final byte[] bytes;
        final int[] labels;

        private Images(int rows, int cols, byte[] bytes, int[] labels) {
            this.rows = rows;
            this.cols = cols;
            this.bytes = bytes;
            this.labels = labels;
        }

        static Images read(Path images, Path labels, Integer limit) throws IOException {
            IdxFile img = IdxFile.read(images);
            if (img.dims().length != 3) {
                throw new IOException(images + ": expected images (3 dimensions: count x rows x cols), found " + IdxFile.shape(img.dims()));
            }
            IdxFile lab = IdxFile.read(labels);
            if (lab.dims().length != 1) {
                throw new IOException(labels + ": expected labels (1 dimension), found " + IdxFile.shape(img.dims()));
            }
            if (lab.count() != img.count()) {
                throw new IOException(labels + " holds " + lab.count() + " labels but " + images.getFileName() + " holds "
                        + img.count() + " images: the files do not belong together");
            }
            int n = limit == null ? img.count() : Math.min(limit, img.count());
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                y[i] = lab.data()[i] & 0xff;
                if (y[i] > 9) {
                    throw new IOException(labels + ": label " + y[i] + " of sample " + i + " is outside 0..9");
                }
            }
            int rows = img.dims()[1];
            int cols = img.dims()[2];
            byte[] px = n == img.count() ? img.data() : Arrays.copyOf(img.data(), n * rows * cols);
            return new Images(rows, cols, px, y);
        }

        int count() {
            return labels.length;
        }

        float[] pixels() {
            float[] x = new float[bytes.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = bytes[i] & 0xff;
            }
            return x;
        }
    }

    // ---- fetching ----------------------------------------------------------------------------------

    @Override
    public List<String> fetchableNames() {
        return VARIANTS;
    }

    @Override
    public String fetchNameFor(Record config) {
        Config c = (Config) config;
        return c.root() == null ? c.variant() : null;
    }

    @Override
    public void fetch(String name, Path dataRoot, Consumer<String> log) throws IOException {
        if (name.equals("mnist")) {
            MnistFetcher.fetchMnist(dataRoot.resolve("mnist"), log);
        } else if (name.equals("fashion-mnist")) {
            MnistFetcher.fetchFashion(dataRoot.resolve("fashion-mnist"), DEBIAN_FASHION, log);
        } else {
            throw new IOException("mnist can fetch " + VARIANTS + ", not '" + name + "'");
        }
    }
}

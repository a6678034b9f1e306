package org.sparselab.plugins.patches;

import javax.imageio.ImageIO;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Image files to grey crops, as the original's torchvision pipeline does per image (spec vdl.md §8, step 1):
 * shorter side resized to {@code imageSize} (bilinear, with the filter widened when shrinking, as PIL does), a
 * square crop, ITU-R 601 luma, {@code [0, 1]}, then {@code (v − 0.457) / 0.259}. Colour channels are resized and
 * rounded to 8 bits before the luma (rounded to 8 bits too), as in the 8-bit PIL pipeline; PIL's own fixed-point
 * rounding inside the resize is not imitated, so values can differ from it by one grey level.
 */
final class GreyCrops {

    /** Normalisation of the grey values (torchvision Normalize in the original). */
    static final double PIXEL_MEAN = 0.457;
    static final double PIXEL_STD = 0.259;

    /** File name endings read as images, lower case. */
    static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");
    static final String ACCEPTED = "PNG, JPEG, BMP or GIF files (.png .jpg .jpeg .bmp .gif, any case)";

    private GreyCrops() {
    }

    static boolean isImageName(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /**
     * The image files under {@code root}, searched recursively (links followed), ordered by their path relative to
     * root with '/' separators, so the order is the same on every file system.
     */
    static List<Path> list(Path root) throws IOException {
        if (!Files.exists(root)) {
            throw new NoSuchFileException(root.toString(), null,
                    "image-patches needs a folder of images (" + ACCEPTED + ", searched recursively; set root:, relative paths are relative to the data folder)");
        }
        if (!Files.isDirectory(root)) {
            throw new IOException(root + " is not a folder: image-patches needs root: to be a folder of " + ACCEPTED);
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root, FileVisitOption.FOLLOW_LINKS)) {
            s.filter(p -> Files.isRegularFile(p) && isImageName(p)).forEach(files::add);
        } catch (java.io.UncheckedIOException e) {
            if (e.getCause() instanceof FileSystemLoopException loop) {
                throw new IOException("the image folder " + root + " contains a link cycle at " + loop.getFile(), loop);
            }
            throw e.getCause();
        }
        if (files.isEmpty()) {
            throw new IOException("the image folder " + root + " holds no images: image-patches reads " + ACCEPTED
                    + " in it and its subfolders");
        }
        files.sort(Comparator.comparing(p -> relative(root, p)));
        return files;
    }

    static String relative(Path root, Path p) {
        return root.relativize(p).toString().replace('\\', '/');
    }

    /** Decodes one file; the message names the file and what is accepted. */
    static BufferedImage read(Path f) throws IOException {
        BufferedImage im;
        try {
            im = ImageIO.read(f.toFile());
        } catch (IOException | RuntimeException e) {
            throw new BadImage(f + " cannot be decoded (" + e.getMessage() + "); image-patches reads " + ACCEPTED
                    + " (JPEG in RGB or grey, not CMYK); remove it or set skip_bad_images: true", e);
        }
        if (im == null) {
            throw new BadImage(f + " is not an image any reader recognises; image-patches reads " + ACCEPTED
                    + "; remove it or set skip_bad_images: true", null);
        }
        return im;
    }

    /** An image that cannot be used; skipped with skip_bad_images. */
    static final class BadImage extends IOException {
        private static final long serialVersionUID = 1L;

        BadImage(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Size {@code [width, height]} after the resize of the shorter side to {@code imageSize} (0 = none), as torchvision. */
    static int[] resized(int w, int h, int imageSize) {
        if (imageSize == 0) {
            return new int[]{w, h};
        }
        if (w <= h) {
            return new int[]{imageSize, (int) ((long) imageSize * h / w)};
        }
        return new int[]{(int) ((long) imageSize * w / h), imageSize};
    }

    /**
     * A normalised grey crop, row-major {@code crop × crop}, of the image resized to {@code imageSize}; its top-left
     * corner is at fractions {@code fy, fx} ∈ [0, 1) of the possible positions.
     */
    static double[] crop(BufferedImage im, Path file, int imageSize, int crop, double fy, double fx) throws IOException {
        int w = im.getWidth();
        int h = im.getHeight();
        int[] size = resized(w, h, imageSize);
        if (size[0] < crop || size[1] < crop) {
            throw new BadImage(file + " is " + w + "×" + h + ", smaller than the " + crop + "×" + crop
                    + " crop (patch_size + 2 (filter_size − 1)); set image_size: to resize the shorter side, or skip_bad_images: true", null);
        }
        int top = (int) (fy * (size[1] - crop + 1));
        int left = (int) (fx * (size[0] - crop + 1));
        Taps rows = Taps.of(h, size[1], top, crop);
        Taps cols = Taps.of(w, size[0], left, crop);
        int ww = cols.hi - cols.lo;
        int wh = rows.hi - rows.lo;
        int[][] rgb = window(im, cols.lo, rows.lo, ww, wh);
        // columns first: [wh rows][crop cols][3 channels], then rows
        double[] tmp = new double[wh * crop * 3];
        for (int r = 0; r < wh; r++) {
            for (int j = 0; j < crop; j++) {
                double[] wt = cols.weights[j];
                int start = cols.start[j] - cols.lo;
                for (int ch = 0; ch < 3; ch++) {
                    double acc = 0;
                    int[] plane = rgb[ch];
                    for (int t = 0; t < wt.length; t++) {
                        acc += wt[t] * plane[r * ww + start + t];
                    }
                    tmp[(r * crop + j) * 3 + ch] = acc;
                }
            }
        }
        double[] out = new double[crop * crop];
        int[] c8 = new int[3];
        for (int i = 0; i < crop; i++) {
            double[] wt = rows.weights[i];
            int start = rows.start[i] - rows.lo;
            for (int j = 0; j < crop; j++) {
                for (int ch = 0; ch < 3; ch++) {
                    double acc = 0;
                    for (int t = 0; t < wt.length; t++) {
                        acc += wt[t] * tmp[((start + t) * crop + j) * 3 + ch];
                    }
                    c8[ch] = (int) Math.max(0, Math.min(255, Math.round(acc)));
                }
                out[i * crop + j] = normalise(luma(c8[0], c8[1], c8[2]));
            }
        }
        return out;
    }

    /** ITU-R 601 luma of 8-bit R, G, B, rounded to an 8-bit level. */
    static int luma(int r, int g, int b) {
        return (299 * r + 587 * g + 114 * b + 500) / 1000;
    }

    /** An 8-bit grey level to the training scale: (level / 255 − 0.457) / 0.259. */
    static double normalise(int level) {
        return (level / 255.0 - PIXEL_MEAN) / PIXEL_STD;
    }

    /**
     * 8-bit R, G, B planes of a window. Grey images are read from their samples (the JDK's RGB view of a grey
     * image would apply a gamma curve), everything else through the sRGB view.
     */
    static int[][] window(BufferedImage im, int x, int y, int w, int h) {
        int n = w * h;
        ColorSpace cs = im.getColorModel().getColorSpace();
        if (cs.getType() == ColorSpace.TYPE_GRAY && !(im.getColorModel() instanceof IndexColorModel)) {
            int[] v = im.getRaster().getSamples(x, y, w, h, 0, new int[n]);
            int bits = im.getColorModel().getComponentSize(0);
            if (bits != 8) {
                double max = (1L << bits) - 1;
                for (int i = 0; i < n; i++) {
                    v[i] = (int) Math.round(v[i] * 255.0 / max);
                }
            }
            return new int[][]{v, v, v};
        }
        int[] argb = im.getRGB(x, y, w, h, null, 0, w);
        int[][] p = new int[3][n];
        for (int i = 0; i < n; i++) {
            p[0][i] = (argb[i] >> 16) & 0xff;
            p[1][i] = (argb[i] >> 8) & 0xff;
            p[2][i] = argb[i] & 0xff;
        }
        return p;
    }

    /**
     * Input pixels and weights of a run of output pixels of a 1-D bilinear resize from {@code in} to {@code out}
     * samples: output pixel o is centred at (o + ½) · in/out in input coordinates and takes a triangle of half-width
     * max(in/out, 1) input pixels there (wider when shrinking, so every input pixel counts), normalised to sum 1.
     */
    static final class Taps {
        final int[] start;
        final double[][] weights;
        final int lo;
        final int hi;

        private Taps(int[] start, double[][] weights, int lo, int hi) {
            this.start = start;
            this.weights = weights;
            this.lo = lo;
            this.hi = hi;
        }

        static Taps of(int in, int out, int first, int count) {
            double scale = (double) in / out;
            double width = Math.max(scale, 1.0);
            int[] start = new int[count];
            double[][] weights = new double[count][];
            int lo = Integer.MAX_VALUE;
            int hi = 0;
            for (int k = 0; k < count; k++) {
                double centre = (first + k + 0.5) * scale;
                int a = Math.max(0, (int) Math.floor(centre - width));
                int b = Math.min(in, (int) Math.ceil(centre + width));
                double[] w = new double[b - a];
                double sum = 0;
                for (int i = a; i < b; i++) {
                    double t = Math.abs(i + 0.5 - centre) / width;
                    w[i - a] = t < 1 ? 1 - t : 0;
                    sum += w[i - a];
                }
                for (int i = 0; i < w.length; i++) {
                    w[i] /= sum;
                }
                start[k] = a;
                weights[k] = w;
                lo = Math.min(lo, a);
                hi = Math.max(hi, b);
            }
            return new Taps(start, weights, lo, hi);
        }
    }
}

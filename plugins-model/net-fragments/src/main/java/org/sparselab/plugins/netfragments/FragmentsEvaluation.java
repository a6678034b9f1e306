package org.sparselab.plugins.netfragments;

import org.sparselab.api.data.Npy;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The evaluation protocol of spec A6 on a trained model: a baseline run on clean, whole lines, then runs with
 * feature noise or interrupted lines, scored against the baseline at the final timestep. Samples run in parallel;
 * every random draw (S1/S2 Bernoulli, the noise positions) comes from a generator seeded by (seed, setting,
 * condition, sample), so results do not depend on threads.
 */
public final class FragmentsEvaluation {

    /** An S2 activation and power schedule the evaluation overrides the trained config with. */
    public record Setting(S2Activation activation, double[] gammas) {
        /** The original's folder name, e.g. {@code th-0.5_sf-1.2-2.2}. */
        public String label() {
            return "th-" + activation + "_sf-" + num(gammas[0]) + "-" + num(gammas[gammas.length - 1]);
        }

        /** The schedule as the plots title it, γ = a + bt (b from the first two entries). */
        public String schedule() {
            return gammas.length < 2 ? num(gammas[0]) : num(gammas[0]) + "+" + num(gammas[1] - gammas[0]) + "t";
        }
    }

    /** Clean whole-line outputs of every sample: the reference of every metric. */
    public record Baseline(float[][] outputs, float[][] images) {
        public void store(Path dir, Setting s) throws IOException {
            Files.createDirectories(dir);
            Npy.write(dir.resolve("outputs.npy"), flat(outputs), outputs.length, outputs[0].length);
            Npy.write(dir.resolve("images.npy"), flat(images), images.length, images[0].length);
            Files.writeString(dir.resolve("setting.txt"), s.label() + "\n");
        }

        /** A stored baseline; it must have been made with the same setting (θ, γ) and number of samples. */
        public static Baseline load(Path dir, int samples, Setting s) throws IOException {
            if (!Files.isRegularFile(dir.resolve("outputs.npy"))) {
                throw new IOException(dir + " holds no stored baseline (outputs.npy, images.npy, setting.txt from --store-baseline or a sweep's baselines/)");
            }
            Path setting = dir.resolve("setting.txt");
            if (Files.isRegularFile(setting) && !Files.readString(setting).trim().equals(s.label())) {
                throw new IOException(dir + " is the baseline of " + Files.readString(setting).trim() + "; this evaluation is "
                        + s.label() + " (a baseline must use the same threshold and power factors)");
            }
            Npy.Matrix o = Npy.read(dir.resolve("outputs.npy"));
            Npy.Matrix i = Npy.read(dir.resolve("images.npy"));
            if (o.rows() != samples || i.rows() != samples || o.cols() != S1Filters.CHANNELS * NetFragments.PIXELS
                    || i.cols() != NetFragments.PIXELS) {
                throw new IOException(dir + ": the stored baseline holds " + o.rows() + " samples of " + o.cols()
                        + " outputs; this evaluation needs " + samples + " samples of " + S1Filters.CHANNELS * NetFragments.PIXELS);
            }
            return new Baseline(rows(o.data(), samples), rows(i.data(), samples));
        }
    }

    /** Sample means of the metrics of one condition, and the overlap diagnostics. */
    public record Result(String setting, double threshold, String schedule, double noise, int lineInterrupt, int samples,
                         double noiseReduction, double lineReconstruction, double accuracy, double recall, double precision,
                         double avgActive, double avgInactive, double avgOverlap, double avgBiggestOverlap,
                         int vacuousRecall, int vacuousPrecision) {
        /** One JSON line, with the original's keys where it has them. */
        public String json() {
            return String.format(Locale.ROOT, "{\"config\":\"%s\",\"act_threshold\":%s,\"square_factor\":\"%s\",\"noise\":%s,"
                            + "\"line_interrupt\":%d,\"n_samples\":%d,\"noise_reduction\":%s,\"avg_line_recon_accuracy_meter\":%s,"
                            + "\"recon_accuracy\":%s,\"recon_recall\":%s,\"recon_precision\":%s,\"avg_active\":%s,\"avg_inactive\":%s,"
                            + "\"avg_overlap\":%s,\"avg_biggest_overlap\":%s,\"vacuous_recall\":%d,\"vacuous_precision\":%d}",
                    setting, json(threshold), schedule, json(noise), lineInterrupt, samples, json(noiseReduction),
                    json(lineReconstruction), json(accuracy), json(recall), json(precision), json(avgActive), json(avgInactive),
                    json(avgOverlap), json(avgBiggestOverlap), vacuousRecall, vacuousPrecision);
        }

        private static String json(double v) {
            return Double.isNaN(v) ? "null" : Double.toString(v);
        }
    }

    private final NetFragments net;
    private final long seed;

    public FragmentsEvaluation(NetFragments net, long seed) {
        this.net = net;
        this.seed = seed;
    }

    /** The baseline: clean images, no noise, the same setting. */
    public Baseline baseline(float[][] clean, Setting s) {
        float[][] out = new float[clean.length][];
        IntStream.range(0, clean.length).parallel().forEach(i -> {
            SplittableRandom rng = rng(s, -1, 0, i);
            LateralLayer.Cycle c = net.run(net.features(clean[i], rng), s.activation(), s.gammas(), rng, false, null);
            out[i] = net.merge(c.last());
        });
        return new Baseline(out, clean);
    }

    /**
     * One condition: the (possibly interrupted) images with {@code noise} of the S1 features flipped. Writes frame
     * sheets of the first {@code frames} samples into {@code frameDir} when it is not null.
     */
    public Result evaluate(Baseline b, float[][] images, Setting s, double noise, int lineInterrupt, int frames, Path frameDir)
            throws IOException {
        int n = images.length;
        double[] nr = new double[n];
        double[] gap = new double[n];
        double[] acc = new double[n];
        double[] rec = new double[n];
        double[] prec = new double[n];
        boolean[] vacRec = new boolean[n];
        boolean[] vacPrec = new boolean[n];
        float[][] outputs = new float[n][];
        java.awt.image.BufferedImage[] sheets = new java.awt.image.BufferedImage[Math.min(frames, n)];
        IntStream.range(0, n).parallel().forEach(i -> {
            SplittableRandom rng = rng(s, noise, lineInterrupt, i);
            float[] f = net.features(images[i], rng);
            int[] flipped = FragmentsMetrics.flip(f, noise, rng);
            LateralLayer.Cycle c = net.run(f, s.activation(), s.gammas(), rng, i < sheets.length, null);
            float[] l = net.merge(c.last());
            outputs[i] = l;
            nr[i] = FragmentsMetrics.noiseReduction(l, f, flipped);
            gap[i] = FragmentsMetrics.gapReconstruction(l, b.outputs()[i], images[i], b.images()[i]);
            acc[i] = FragmentsMetrics.accuracy(l, b.outputs()[i]);
            rec[i] = FragmentsMetrics.recall(l, b.outputs()[i]);
            prec[i] = FragmentsMetrics.precision(l, b.outputs()[i]);
            vacRec[i] = FragmentsMetrics.isVacuous(b.outputs()[i]);
            vacPrec[i] = FragmentsMetrics.isVacuous(l);
            if (i < sheets.length) {
                sheets[i] = FrameSheets.sheet(net, images[i], f, c);
            }
        });
        if (frameDir != null && sheets.length > 0) {
            Files.createDirectories(frameDir);
            for (int i = 0; i < sheets.length; i++) {
                String name = String.format(Locale.ROOT, "%s_%s_li-%d_sample-%02d.png", s.label(),
                        noise == 0 ? "no-noise" : "noise-" + num(noise), lineInterrupt, i);
                Path tmp = frameDir.resolve(name + ".tmp");
                ImageIO.write(sheets[i], "png", tmp.toFile());
                Files.move(tmp, frameDir.resolve(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        double[] o = FragmentsMetrics.overlaps(outputs);
        return new Result(s.label(), s.activation().threshold(), s.schedule(), noise, lineInterrupt, n, mean(nr), mean(gap),
                mean(acc), mean(rec), mean(prec), o[0], o[1], o[2], o[3], count(vacRec), count(vacPrec));
    }

    private SplittableRandom rng(Setting s, double noise, int li, int sample) {
        long h = seed;
        h = h * 31 + Double.hashCode(s.activation().threshold());
        h = h * 31 + Arrays.hashCode(s.gammas());
        h = h * 31 + Double.hashCode(noise);
        h = h * 31 + li;
        return new SplittableRandom(new SplittableRandom(h).split().nextLong() + sample * 0x9E3779B97F4A7C15L);
    }

    static String num(double v) {
        String s = String.format(Locale.ROOT, "%.4f", v).replaceAll("0+$", "");
        return s.endsWith(".") ? s + "0" : s;
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }

    private static int count(boolean[] v) {
        int n = 0;
        for (boolean b : v) {
            n += b ? 1 : 0;
        }
        return n;
    }

    static float[] flat(float[][] rows) {
        int w = rows[0].length;
        float[] out = new float[rows.length * w];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, out, i * w, w);
        }
        return out;
    }

    static float[][] rows(float[] flat, int n) {
        int w = flat.length / n;
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) {
            out[i] = Arrays.copyOfRange(flat, i * w, (i + 1) * w);
        }
        return out;
    }
}

package org.sparselab.plugins.synthetic;

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

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code synthetic-sparse}: x = D z + noise, with a known dictionary D (atoms as rows, unit L2 norm) and
 * k-sparse non-negative codes z (k atoms drawn without replacement, coefficients uniform in
 * [min_coef, max_coef]), Gaussian noise of std {@code noise}. Everything is generated from the seed with
 * SplittableRandom and StrictMath, so it is the same on every machine. The ground truth {@code dictionary} lets {@code dictionary_recovery} score a model's atoms.
 * Unlabelled.
 */
@Extension
public final class SyntheticSparseDataset implements Dataset<SyntheticSparseDataset.Config> {

    /** Largest float array the JVM reliably allocates; each split is held as one. */
    static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    /** Parameters of {@code synthetic-sparse}. */
    public record Config(
            @Param("input dimension (length of a sample)") Integer dim,
            @Param("number of dictionary atoms") Integer atoms,
            @Param("active atoms per sample (1 .. atoms)") Integer k,
            @Param("training samples") Integer trainSize,
            @Param("validation samples; 0 = no val split") Integer valSize,
            @Param("test samples") Integer testSize,
            @Param("standard deviation of the additive Gaussian noise (>= 0)") Double noise,
            @Param("smallest code coefficient (>= 0)") Double minCoef,
            @Param("largest code coefficient (>= min_coef)") Double maxCoef,
            @Param("draw the dictionary's entries as |N(0,1)| instead of N(0,1) (before normalising the atoms)") Boolean nonnegativeDictionary,
            @Param("generator seed; unset = the run's seed") Long seed) {

        public Config {
            dim = Check.atLeast("dim", Check.orDefault(dim, 64), 1);
            atoms = Check.atLeast("atoms", Check.orDefault(atoms, 128), 1);
            k = Check.atLeast("k", Check.orDefault(k, 5), 1);
            if (k > atoms) {
                throw ConfigException.invalid("k", k, "an integer in [1, atoms = " + atoms + "]");
            }
            trainSize = Check.atLeast("train_size", Check.orDefault(trainSize, 10000), 1);
            valSize = Check.atLeast("val_size", Check.orDefault(valSize, 1000), 0);
            testSize = Check.atLeast("test_size", Check.orDefault(testSize, 1000), 1);
            fits("atoms", atoms, dim);
            fits("train_size", trainSize, dim);
            fits("val_size", valSize, dim);
            fits("test_size", testSize, dim);
            noise = Check.atLeast("noise", Check.orDefault(noise, 0.01), 0.0);
            minCoef = Check.atLeast("min_coef", Check.orDefault(minCoef, 0.5), 0.0);
            maxCoef = Check.orDefault(maxCoef, 1.5);
            if (!(maxCoef >= minCoef) || Double.isInfinite(maxCoef)) {
                throw ConfigException.invalid("max_coef", maxCoef, "a finite number >= min_coef = " + minCoef);
            }
            nonnegativeDictionary = Check.orDefault(nonnegativeDictionary, Boolean.FALSE);
        }

        private static void fits(String key, int rows, int dim) {
            if ((long) rows * dim > MAX_ARRAY) {
                throw ConfigException.invalid(key, rows, "at most " + MAX_ARRAY / dim + " for dim = " + dim
                        + " (the data are held in memory as one float array)");
            }
        }
    }

    @Override
    public String id() {
        return "synthetic-sparse";
    }

    @Override
    public String description() {
        return "x = D z + noise with a known unit-norm dictionary D and k-sparse non-negative codes z (seeded)";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public DataSource open(Config c, DataContext ctx) {
        long seed = c.seed() != null ? c.seed() : ctx.seed();
        // One root stream split in a fixed order (dictionary, then codes and noise of train, val, test): a
        // split's data do not depend on the other splits' sizes, and the clean signal D z does not depend on
        // the noise level, so runs that differ only in noise see the same codes.
        SplittableRandom root = new SplittableRandom(seed);
        float[] dict = dictionary(c, root.split());
        Map<String, Split> splits = new LinkedHashMap<>();
        int[] sizes = {c.trainSize(), c.valSize(), c.testSize()};
        String[] names = {"train", "val", "test"};
        for (int s = 0; s < names.length; s++) {
            SplittableRandom codes = root.split();
            SplittableRandom noise = root.split();
            if (sizes[s] > 0) {
                splits.put(names[s], new ArraySplit(names[s], samples(c, dict, sizes[s], codes, noise, null), null, c.dim()));
            }
        }
        FloatTensor truth = new FloatTensor(dict, new int[]{c.atoms(), c.dim()});
        return new SplitsSource("synthetic-sparse", DataSpec.of(new int[]{c.dim()}, 0), splits, fingerprint(c, seed),
                Map.of("dictionary", truth));
    }

    /** Digest of the resolved settings; the version tag changes whenever the generator does. */
    static String fingerprint(Config c, long seed) {
        return Fingerprint.text("synthetic-sparse generator=2 dim=" + c.dim() + " atoms=" + c.atoms() + " k=" + c.k()
                + " train_size=" + c.trainSize() + " val_size=" + c.valSize() + " test_size=" + c.testSize()
                + " noise=" + c.noise() + " min_coef=" + c.minCoef() + " max_coef=" + c.maxCoef()
                + " nonnegative_dictionary=" + c.nonnegativeDictionary() + " seed=" + seed);
    }

    /** Atoms as rows {@code [atoms, dim]}: Gaussian (or |Gaussian|) entries, each row scaled to unit L2 norm. */
    static float[] dictionary(Config c, SplittableRandom r) {
        int dim = c.dim();
        float[] d = new float[c.atoms() * dim];
        double[] row = new double[dim];
        for (int a = 0; a < c.atoms(); a++) {
            double norm;
            do {
                norm = 0;
                for (int j = 0; j < dim; j++) {
                    double v = gaussian(r);
                    row[j] = c.nonnegativeDictionary() ? Math.abs(v) : v;
                    norm += row[j] * row[j];
                }
            } while (norm == 0); // only possible for dim = 1 with a draw of exactly 0; redraw rather than divide by 0
            double inv = 1 / Math.sqrt(norm);
            for (int j = 0; j < dim; j++) {
                d[a * dim + j] = (float) (row[j] * inv);
            }
        }
        return d;
    }

    /**
     * {@code n} samples x = D z + noise, row-major {@code [n, dim]}.
     *
     * @param z when not null, receives the codes, row-major {@code [n, atoms]} (for tests)
     */
    static float[] samples(Config c, float[] dict, int n, SplittableRandom codes, SplittableRandom noise, float[] z) {
        int dim = c.dim();
        int atoms = c.atoms();
        float[] x = new float[n * dim];
        double[] acc = new double[dim];
        int[] pool = new int[atoms];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < atoms; a++) {
                pool[a] = a;
            }
            Arrays.fill(acc, 0);
            // partial Fisher-Yates: the first k entries of pool become k distinct atoms
            for (int j = 0; j < c.k(); j++) {
                int pick = j + codes.nextInt(atoms - j);
                int atom = pool[pick];
                pool[pick] = pool[j];
                pool[j] = atom;
                double coef = c.minCoef() + (c.maxCoef() - c.minCoef()) * codes.nextDouble();
                if (z != null) {
                    z[i * atoms + atom] = (float) coef;
                }
                for (int d = 0; d < dim; d++) {
                    acc[d] += coef * dict[atom * dim + d];
                }
            }
            for (int d = 0; d < dim; d++) {
                // the noise stream is drawn from even at noise = 0, so that its use never shifts with the setting
                x[i * dim + d] = (float) (acc[d] + c.noise() * gaussian(noise));
            }
        }
        return x;
    }

    /**
     * Box-Muller (SplittableRandom has no nextGaussian in Java 17); 1 - u keeps the logarithm finite. StrictMath,
     * because Math.log and Math.cos may differ in the last bit between CPUs and JVMs.
     */
    static double gaussian(SplittableRandom r) {
        double u1 = 1.0 - r.nextDouble();
        double u2 = r.nextDouble();
        return StrictMath.sqrt(-2 * StrictMath.log(u1)) * StrictMath.cos(2 * StrictMath.PI * u2);
    }
}

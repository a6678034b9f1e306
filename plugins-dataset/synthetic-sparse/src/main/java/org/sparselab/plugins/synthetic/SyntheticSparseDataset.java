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

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code synthetic-sparse}: x = D z + noise, with a known dictionary D (atoms as rows, unit L2 norm) and
 * k-sparse non-negative codes z (k atoms drawn without replacement, coefficients uniform in
 * [min_coef, max_coef]). Everything is generated from the seed with SplittableRandom, so it is the same on
 * every machine. The ground truth {@code dictionary} lets {@code dictionary_recovery} score a model's atoms.
 * Unlabelled.
 */
@Extension
public final class SyntheticSparseDataset implements Dataset<SyntheticSparseDataset.Config> {

    /** Parameters of {@code synthetic-sparse}. */
    public record Config(
            @Param("input dimension") Integer dim,
            @Param("number of dictionary atoms") Integer atoms,
            @Param("active atoms per sample") Integer k,
            @Param("training samples") Integer trainSize,
            @Param("validation samples") Integer valSize,
            @Param("test samples") Integer testSize,
            @Param("standard deviation of the additive Gaussian noise") Double noise,
            @Param("smallest code coefficient") Double minCoef,
            @Param("largest code coefficient") Double maxCoef,
            @Param("draw dictionary entries >= 0 (before normalisation)") Boolean nonnegativeDictionary,
            @Param("generator seed; unset = the run's seed") Long seed) {

        public Config {
            dim = Check.atLeast("dim", Check.orDefault(dim, 64), 1);
            atoms = Check.atLeast("atoms", Check.orDefault(atoms, 128), 1);
            k = Check.atLeast("k", Check.orDefault(k, 5), 1);
            if (k > atoms) {
                throw ConfigException.invalid("k", k, "an integer in [1, atoms=" + atoms + "]");
            }
            trainSize = Check.atLeast("train_size", Check.orDefault(trainSize, 10000), 1);
            valSize = Check.atLeast("val_size", Check.orDefault(valSize, 1000), 0);
            testSize = Check.atLeast("test_size", Check.orDefault(testSize, 1000), 1);
            noise = Check.atLeast("noise", Check.orDefault(noise, 0.01), 0.0);
            minCoef = Check.atLeast("min_coef", Check.orDefault(minCoef, 0.5), 0.0);
            maxCoef = Check.orDefault(maxCoef, 1.5);
            if (maxCoef < minCoef) {
                throw ConfigException.invalid("max_coef", maxCoef, "a number >= min_coef = " + minCoef);
            }
            nonnegativeDictionary = Check.orDefault(nonnegativeDictionary, Boolean.FALSE);
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
        float[] dict = dictionary(c, new SplittableRandom(seed));
        Map<String, Split> splits = new LinkedHashMap<>();
        // Each split has its own stream, so changing one split's size leaves the others unchanged.
        splits.put("train", new ArraySplit("train", samples(c, dict, c.trainSize(), new SplittableRandom(seed * 31 + 1)), null, c.dim()));
        if (c.valSize() > 0) {
            splits.put("val", new ArraySplit("val", samples(c, dict, c.valSize(), new SplittableRandom(seed * 31 + 2)), null, c.dim()));
        }
        splits.put("test", new ArraySplit("test", samples(c, dict, c.testSize(), new SplittableRandom(seed * 31 + 3)), null, c.dim()));
        String fingerprint = Fingerprint.text("synthetic-sparse " + c + " seed=" + seed);
        FloatTensor truth = new FloatTensor(dict, new int[]{c.atoms(), c.dim()});
        return new SplitsSource("synthetic-sparse", DataSpec.of(new int[]{c.dim()}, 0), splits, fingerprint, Map.of("dictionary", truth));
    }

    static float[] dictionary(Config c, SplittableRandom r) {
        float[] d = new float[c.atoms() * c.dim()];
        for (int a = 0; a < c.atoms(); a++) {
            double norm = 0;
            for (int j = 0; j < c.dim(); j++) {
                double v = gaussian(r);
                if (c.nonnegativeDictionary()) {
                    v = Math.abs(v);
                }
                d[a * c.dim() + j] = (float) v;
                norm += v * v;
            }
            float inv = (float) (1 / Math.sqrt(Math.max(norm, 1e-24)));
            for (int j = 0; j < c.dim(); j++) {
                d[a * c.dim() + j] *= inv;
            }
        }
        return d;
    }

    static float[] samples(Config c, float[] dict, int n, SplittableRandom r) {
        int dim = c.dim();
        float[] x = new float[n * dim];
        int[] pool = new int[c.atoms()];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < pool.length; a++) {
                pool[a] = a;
            }
            // partial Fisher-Yates: the first k entries of pool are k distinct atoms
            for (int j = 0; j < c.k(); j++) {
                int pick = j + r.nextInt(pool.length - j);
                int t = pool[j];
                pool[j] = pool[pick];
                pool[pick] = t;
                double coef = c.minCoef() + (c.maxCoef() - c.minCoef()) * r.nextDouble();
                int atom = pool[j];
                for (int d = 0; d < dim; d++) {
                    x[i * dim + d] += (float) (coef * dict[atom * dim + d]);
                }
            }
            if (c.noise() > 0) {
                for (int d = 0; d < dim; d++) {
                    x[i * dim + d] += (float) (c.noise() * gaussian(r));
                }
            }
        }
        return x;
    }

    /** Box-Muller on SplittableRandom (java.util.Random's nextGaussian is not on SplittableRandom in 17). */
    static double gaussian(SplittableRandom r) {
        double u1 = 1.0 - r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}

package org.sparselab.plugins.stripes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import org.pf4j.Extension;
import org.sparselab.api.Metric;
import org.sparselab.api.config.Check;
import org.sparselab.api.config.ConfigException;
import org.sparselab.api.config.Param;
import org.sparselab.api.metric.MetricAccumulator;
import org.sparselab.api.metric.MetricContext;
import org.sparselab.api.model.StepOutput;
import org.sparselab.api.model.TrainableModel;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code stripe_usage}: how a code split into stripes is used over a pass. {@code active_stripes}: mean number of
 * stripes with a nonzero unit per sample; {@code stripe_diversity}: the MSA notebook's diversity, the Frobenius
 * norm of the classes × classes matrix of Euclidean distances between the classes' mean stripe activations (mean
 * over each stripe's units), computed for this run's own code (the notebook's row/score pairing bug does not arise);
 * with {@code per_class: true}, also the repository's per-stripe logs {@code stripe<j>.class<d>}: the number of
 * samples of class d in which stripe j is on.
 */
@Extension
public final class StripeUsageMetric implements Metric<StripeUsageMetric.Config> {

    /** Parameters of {@code stripe_usage}. */
    public record Config(
            @Param("number of stripes the code is split into") Integer stripes,
            @Param("also report stripe<j>.class<d> counts (the repository's per-stripe TensorBoard scalars)") Boolean perClass) {
        public Config {
            stripes = Check.atLeast("stripes", Check.orDefault(stripes, 30), 1);
            perClass = Check.orDefault(perClass, Boolean.FALSE);
        }
    }

    @Override
    public String id() {
        return "stripe_usage";
    }

    @Override
    public String description() {
        return "Active stripes per sample, class diversity of stripe activations, optional per-class stripe counts";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public MetricAccumulator create(Config config, MetricContext context) {
        int s = config.stripes();
        if (context.codeSize() % s != 0) {
            throw ConfigException.invalid("stripes", s, "a divisor of the code width " + context.codeSize());
        }
        int width = context.codeSize() / s;
        int classes = Math.max(1, context.data().spec().numClasses());
        return new MetricAccumulator() {
            double activeSum;
            long samples;
            final double[][] meanSum = new double[classes][s];
            final long[][] onCount = new long[classes][s];
            final long[] perClass = new long[classes];

            @Override
            public void update(StepOutput out) {
                if (out.code() == null) {
                    return;
                }
                int n = (int) out.code().getShape().get(0);
                NDArray a3 = out.code().reshape(n, s, width);
                float[] means = a3.mean(new int[]{2}).toFloatArray();
                float[] on = a3.abs().max(new int[]{2}).gt(0f).toType(DataType.FLOAT32, false).toFloatArray();
                long[] y = out.labels() == null ? null : out.labels().toType(DataType.INT64, false).toLongArray();
                for (int i = 0; i < n; i++) {
                    int c = y == null ? 0 : (int) Math.min(Math.max(y[i], 0), classes - 1);
                    perClass[c]++;
                    for (int j = 0; j < s; j++) {
                        activeSum += on[i * s + j];
                        meanSum[c][j] += means[i * s + j];
                        onCount[c][j] += (long) on[i * s + j];
                    }
                }
                samples += n;
            }

            @Override
            public Map<String, Double> result(TrainableModel model) {
                Map<String, Double> r = new LinkedHashMap<>();
                r.put("active_stripes", samples == 0 ? Double.NaN : activeSum / samples);
                r.put("stripe_diversity", diversity(meanSum, perClass));
                if (config.perClass()) {
                    for (int j = 0; j < s; j++) {
                        for (int c = 0; c < classes; c++) {
                            r.put("stripe" + j + ".class" + c, (double) onCount[c][j]);
                        }
                    }
                }
                return r;
            }

            @Override
            public void reset() {
                activeSum = 0;
                samples = 0;
                for (int c = 0; c < classes; c++) {
                    java.util.Arrays.fill(meanSum[c], 0);
                    java.util.Arrays.fill(onCount[c], 0);
                }
                java.util.Arrays.fill(perClass, 0);
            }
        };
    }

    /** Frobenius norm of the matrix of Euclidean distances between the classes' mean stripe activations. */
    static double diversity(double[][] meanSum, long[] count) {
        int classes = meanSum.length;
        double[][] mean = new double[classes][];
        for (int c = 0; c < classes; c++) {
            mean[c] = new double[meanSum[c].length];
            for (int j = 0; j < mean[c].length; j++) {
                mean[c][j] = count[c] == 0 ? 0 : meanSum[c][j] / count[c];
            }
        }
        double fro = 0;
        for (int a = 0; a < classes; a++) {
            for (int b = 0; b < classes; b++) {
                double d2 = 0;
                for (int j = 0; j < mean[a].length; j++) {
                    double d = mean[a][j] - mean[b][j];
                    d2 += d * d;
                }
                fro += d2; // (Euclidean distance)² summed = squared Frobenius norm
            }
        }
        return Math.sqrt(fro);
    }
}

package org.sparselab.plugins.sdmtopk;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.nio.FloatBuffer;
import java.util.SplittableRandom;

/** Draws the noise of a {@link NoiseConfig}; normal, Laplace and exponential on the engine, Poisson in Java (seeded). */
final class NoiseLayer {
    private final NoiseConfig config;
    private final SplittableRandom poisson;
    private double sigma;

    NoiseLayer(NoiseConfig config, long seed) {
        this.config = config;
        this.sigma = config.sigma();
        this.poisson = new SplittableRandom(seed ^ 0x706f6973L);
    }

    boolean active(boolean training) {
        return !config.type().equals("none") && (training || config.duringEval());
    }

    double sigma() {
        return sigma;
    }

    void onEpochEnd(int epochsDone) {
        sigma = config.sigmaAt(epochsDone);
    }

    NDArray apply(NDArray x) {
        NDManager m = x.getManager();
        float s = (float) sigma;
        NDArray eps = switch (config.type()) {
            case "normal" -> m.randomNormal(0f, s, x.getShape(), x.getDataType());
            case "laplace" -> {
                // inverse CDF: −σ·sign(u)·ln(1 − 2|u|), u ~ U(−½, ½)
                NDArray u = m.randomUniform(-0.5f, 0.5f, x.getShape());
                yield u.sign().mul(u.abs().mul(-2f).add(1f).maximum(1e-12f).log()).mul(-s);
            }
            case "exponential" -> {
                double rate = config.exponentialMean() ? 1 / Math.max(sigma, 1e-14) : sigma;
                NDArray u = m.randomUniform(0f, 1f, x.getShape());
                yield u.mul(-1f).add(1f).maximum(1e-12f).log().mul((float) (-1 / rate));
            }
            case "poisson" -> {
                float[] v = new float[(int) x.size()];
                double limit = Math.exp(-sigma);
                for (int i = 0; i < v.length; i++) {
                    int k = 0;
                    double p = poisson.nextDouble();
                    while (p > limit && k < 10_000) {
                        k++;
                        p *= poisson.nextDouble();
                    }
                    v[i] = k;
                }
                yield m.create(FloatBuffer.wrap(v), x.getShape());
            }
            default -> null;
        };
        return eps == null ? x : x.add(eps);
    }
}

package org.sparselab.plugins.sdmmemory;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The learned projection of spec sdm.md §8: SDM attention in a learned 64-d space over raw images. Keys K (the
 * stored images) and a perturbed query ξ are projected by W_k and L2-normalised; the read is
 * out = K·softmax(β p_Kᵀ p_ξ) (values are raw images), trained with Adam on Σ(out − target)²/B through DJL's
 * autograd, every batch perturbed by a random h. Tested by iterating the read (up to {@code max_steps}) at fixed h,
 * with the learned W_k and with the same W_k before training, as the cosine of the result with the target.
 */
final class Projection {

    /** One test cell. */
    record Cell(int d, double beta, int init, String weights, int h, double baseline, double cosine) {
    }

    private Projection() {
    }

    static List<Cell> run(NDManager root, float[] images, int total, ProjectionConfig c, java.util.function.Consumer<String> log) {
        int n = 784;
        Random rnd = new Random(c.seed());
        float[] stored = new float[c.stored() * n];
        int[] pick = new int[c.stored()];
        for (int i = 0; i < c.stored(); i++) {
            pick[i] = rnd.nextInt(total);
            System.arraycopy(images, pick[i] * n, stored, i * n, n);
        }
        List<Cell> cells = new ArrayList<>();
        BinaryGeometry g = new BinaryGeometry(c.dim());
        for (int d : c.radii()) {
            double fitted = BetaFit.binary(g, d, Math.pow(2, c.dim()), 0, d - 1, BetaFit.Estimator.NUMPY).beta();
            for (int init = 0; init < c.inits(); init++) {
                try (NDManager m = root.newSubManager()) {
                    NDArray keys = m.create(stored, new Shape(c.stored(), n));
                    Engine.getInstance().setRandomSeed((int) (c.seed() * 97 + d * 13 + init));
                    NDArray w = m.randomNormal(new Shape(c.dim(), n));
                    NDArray w0 = w.duplicate();
                    NDArray beta = m.create(new float[]{c.learnBeta() ? (float) (1 + 29 * rnd.nextDouble()) : (float) fitted});
                    train(m, keys, stored, w, beta, c, rnd, log, d, init);
                    double b = beta.getFloat();
                    for (int h : c.testPerturb()) {
                        try (NDScope scope = new NDScope()) {
                            int[] idx = new int[c.testQueries()];
                            for (int i = 0; i < idx.length; i++) {
                                idx[i] = rnd.nextInt(c.stored());
                            }
                            NDArray target = rows(m, stored, idx, n);
                            NDArray query = Convergence.perturbContinuous(target, h, n, false, new Random(c.seed() + h));
                            double base = mean(Convergence.cosines(query, target, false));
                            cells.add(new Cell(d, b, init, "learned", h, base, mean(Convergence.cosines(retrieve(keys, w, b, query, c.maxSteps()), target, false))));
                            cells.add(new Cell(d, b, init, "random", h, base, mean(Convergence.cosines(retrieve(keys, w0, b, query, c.maxSteps()), target, false))));
                            log.accept(String.format(java.util.Locale.ROOT, "d=%d init=%d h=%d: learned %.4f, random %.4f (baseline %.4f)", d, init, h,
                                    cells.get(cells.size() - 2).cosine(), cells.get(cells.size() - 1).cosine(), base));
                        }
                    }
                }
            }
        }
        return cells;
    }

    private static void train(NDManager m, NDArray keys, float[] stored, NDArray w, NDArray beta, ProjectionConfig c, Random rnd,
                              java.util.function.Consumer<String> log, int d, int init) {
        w.setRequiresGradient(true);
        if (c.learnBeta()) {
            beta.setRequiresGradient(true);
        }
        // Adam (torch defaults β1 0.9, β2 0.999, ε 1e-8) with its moments outside the per-step scopes
        NDArray[] wState = {w.zerosLike(), w.zerosLike()};
        NDArray[] bState = {beta.zerosLike(), beta.zerosLike()};
        long t = 0;
        int steps = c.stored() / c.batch();
        for (int epoch = 0; epoch < c.epochs(); epoch++) {
            double lossSum = 0;
            for (int s = 0; s < steps; s++) {
                try (NDScope scope = new NDScope()) {
                    int[] idx = new int[c.batch()];
                    for (int i = 0; i < idx.length; i++) {
                        idx[i] = rnd.nextInt(c.stored());
                    }
                    NDArray target = rows(m, stored, idx, 784);
                    int h = c.perturbMin() + rnd.nextInt(c.perturbMax() - c.perturbMin() + 1);
                    NDArray query = Convergence.perturbContinuous(target, h, 784, false, rnd);
                    NDArray loss;
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray out = read(keys, w, beta, query);
                        loss = out.sub(target).square().sum().div((float) c.batch());
                        gc.backward(loss);
                    }
                    lossSum += loss.getFloat();
                    t++;
                    adam(w, wState, c.lr(), t);
                    if (c.learnBeta()) {
                        adam(beta, bState, c.lr(), t);
                    }
                }
            }
            log.accept(String.format(java.util.Locale.ROOT, "d=%d init=%d epoch %d: loss %.4f, beta %.3f", d, init, epoch + 1,
                    lossSum / Math.max(1, steps), beta.getFloat()));
        }
        w.setRequiresGradient(false);
    }

    private static void adam(NDArray p, NDArray[] state, double lr, long t) {
        NDArray g = p.getGradient();
        state[0].muli(0.9f).addi(g.mul(0.1f));
        state[1].muli(0.999f).addi(g.square().mul(0.001f));
        double c1 = 1 - Math.pow(0.9, t);
        double c2 = 1 - Math.pow(0.999, t);
        NDArray step = state[0].div((float) c1).div(state[1].div((float) c2).sqrt().add(1e-8f)).mul((float) lr);
        p.subi(step);
        g.muli(0f);
    }

    /** out = K·softmax(β p_Kᵀ p_ξ), projections L2-normalised. */
    static NDArray read(NDArray keys, NDArray w, NDArray beta, NDArray query) {
        NDArray pk = keys.matMul(w.transpose());
        pk = pk.div(pk.norm(new int[]{1}, true).maximum(1e-12f));
        NDArray pq = query.matMul(w.transpose());
        pq = pq.div(pq.norm(new int[]{1}, true).maximum(1e-12f));
        NDArray logits = pq.matMul(pk.transpose()).mul(beta);
        NDArray a = logits.sub(logits.max(new int[]{1}, true).stopGradient()).exp();
        return a.div(a.sum(new int[]{1}, true)).matMul(keys);
    }

    private static NDArray retrieve(NDArray keys, NDArray w, double beta, NDArray query, int maxSteps) {
        NDArray b = keys.getManager().create(new float[]{(float) beta});
        NDArray q = query;
        for (int s = 0; s < maxSteps; s++) {
            NDArray next = read(keys, w, b, q);
            boolean changed = next.sub(q).abs().max().getFloat() > 0.05f;
            q = next;
            if (!changed) {
                break;
            }
        }
        return q;
    }

    /** The chosen rows of a row-major [count, n] matrix, as a new array. */
    static NDArray rows(NDManager m, float[] all, int[] idx, int n) {
        float[] out = new float[idx.length * n];
        for (int i = 0; i < idx.length; i++) {
            System.arraycopy(all, idx[i] * n, out, i * n, n);
        }
        return m.create(out, new Shape(idx.length, n));
    }

    private static double mean(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x;
        }
        return s / v.length;
    }
}

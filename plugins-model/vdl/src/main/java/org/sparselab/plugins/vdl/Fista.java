package org.sparselab.plugins.vdl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;

/**
 * VDL's inference (spec vdl.md §2-§3) for a linear dictionary: batched (F)ISTA on
 * Energy(Z) = Σᵢ (1/P)‖yᵢ − D zᵢ‖² + β Σⱼ ReLU(T − σⱼ(Z))² + γ Σᵢ (1/d)‖zᵢ − eᵢ‖² + λ Σᵢ ‖zᵢ‖₁
 * with a fixed step η, the (non-negative) soft threshold, FISTA momentum, and the original's per-sample stopping:
 * a sample whose relative change fell below tol takes no gradient or threshold step at the next iteration (it still
 * moves with the momentum) and the solve ends when every sample is below tol. Every iteration is a handful of
 * batched tensor operations inside its own scope, so memory does not grow with the iterations.
 */
final class Fista {

    /** Problem and solver settings. */
    record Settings(double lambda, double step, double tol, int maxSteps, boolean positive, boolean fista,
                    double varianceReg, double hingeThreshold, double codeReg) {
    }

    /** The solution and how it was reached. */
    record Result(NDArray codes, int steps, double meanCountedSteps, double energy, double zeroFraction) {
    }

    private Fista() {
    }

    /**
     * The reconstruction term Σᵢ (1/P)‖yᵢ − Dec(zᵢ)‖² of one batch for a frozen decoder, and its gradient in z.
     * Arrays it precomputes are freed by {@link #close}.
     */
    interface Reconstruction extends AutoCloseable {
        /** ∇_z of the batch-summed reconstruction term, {@code [N, d]}. */
        NDArray gradient(NDArray z);

        /** The batch-summed reconstruction term. */
        double value(NDArray z);

        /** The targets y {@code [N, P]}. */
        NDArray targets();

        @Override
        void close();
    }

    /** A linear dictionary D {@code [P, d]} (atoms as columns): ŷ = D z. DᵀD and Dᵀy are computed on first use. */
    static final class Linear implements Reconstruction {
        final NDArray y;
        final NDArray dict;
        private NDArray dtd; // [d, d]: the gradient needs Dᵀ D z − Dᵀ y
        private NDArray dty; // [N, d]
        final long pixels;

        Linear(NDArray y, NDArray dict) {
            this.y = y;
            this.dict = dict;
            this.pixels = y.getShape().get(1);
        }

        NDArray dtd() {
            if (dtd == null) {
                dtd = dict.transpose().matMul(dict);
                NDScope.unregister(dtd); // kept until close(), also when first asked for inside a scope
            }
            return dtd;
        }

        NDArray dty() {
            if (dty == null) {
                dty = y.matMul(dict);
                NDScope.unregister(dty);
            }
            return dty;
        }

        @Override
        public NDArray gradient(NDArray z) {
            return z.matMul(dtd()).sub(dty()).mul((float) (2.0 / pixels));
        }

        @Override
        public double value(NDArray z) {
            try (NDScope scope = new NDScope()) {
                return y.sub(z.matMul(dict.transpose())).square().sum().toType(DataType.FLOAT64, false).getDouble() / pixels;
            }
        }

        @Override
        public NDArray targets() {
            return y;
        }

        @Override
        public void close() {
            if (dtd != null) {
                dtd.close();
            }
            if (dty != null) {
                dty.close();
            }
        }
    }

    /**
     * The one-hidden-layer decoder ŷ = W2·ReLU(W1 z + b1) with W1 {@code [H, d]}, b1 {@code [H]}, W2 {@code [P, H]}, given
     * in the row layout ŷ = ReLU(z·W1ᵀ + b1)·W2ᵀ as w1t = W1ᵀ {@code [d, H]} and w2t = W2ᵀ {@code [H, P]}:
     * ∇_z = −(2/P)·W1ᵀ[1(W1 z + b1 > 0) ⊙ W2ᵀ(y − ŷ)] per sample (ReLU's derivative at 0 taken as 0, as PyTorch).
     */
    static final class OneHidden implements Reconstruction {
        final NDArray y;
        final NDArray w1t; // [d, H]
        final NDArray b1;
        final NDArray w1;  // [H, d], a view
        final NDArray w2t; // [H, P]
        final NDArray w2;  // [P, H], a view
        final long pixels;

        OneHidden(NDArray y, NDArray w1t, NDArray b1, NDArray w2t) {
            this.y = y;
            this.w1t = w1t;
            this.b1 = b1;
            this.w2t = w2t;
            this.w1 = w1t.transpose();
            this.w2 = w2t.transpose();
            this.pixels = y.getShape().get(1);
        }

        @Override
        public NDArray gradient(NDArray z) {
            NDArray pre = z.matMul(w1t).add(b1);
            NDArray residual = pre.maximum(0f).matMul(w2t).sub(y);            // ŷ − y, [N, P]
            NDArray back = residual.matMul(w2).mul(pre.gt(0f).toType(z.getDataType(), false)); // [N, H]
            return back.matMul(w1).mul((float) (2.0 / pixels));
        }

        @Override
        public double value(NDArray z) {
            try (NDScope scope = new NDScope()) {
                NDArray out = z.matMul(w1t).add(b1).maximum(0f).matMul(w2t);
                return y.sub(out).square().sum().toType(DataType.FLOAT64, false).getDouble() / pixels;
            }
        }

        @Override
        public NDArray targets() {
            return y;
        }

        @Override
        public void close() {
            w1.close();
            w2.close();
        }
    }

    /**
     * Solves for codes [N, d] given inputs y [N, P], dictionary [P, d] (atoms as columns), a start z0 [N, d] and, for
     * the code term, the encoder's predictions e [N, d] (may be null when γ = 0).
     */
    static Result solve(NDArray y, NDArray dict, NDArray z0, NDArray e, Settings s) {
        return solve(y, dict, z0, e, s, true);
    }

    /** As {@link #solve(NDArray, NDArray, NDArray, NDArray, Settings)}; {@code kernel} as in {@link #solve(Reconstruction, NDArray, NDArray, Settings, boolean)}. */
    static Result solve(NDArray y, NDArray dict, NDArray z0, NDArray e, Settings s, boolean kernel) {
        try (Linear rec = new Linear(y, dict)) {
            return solve(rec, z0, e, s, kernel);
        }
    }

    /** Solves for codes [N, d] with any decoder's reconstruction term (see {@link #solve(NDArray, NDArray, NDArray, NDArray, Settings)}). */
    static Result solve(Reconstruction rec, NDArray z0, NDArray e, Settings s) {
        return solve(rec, z0, e, s, true);
    }

    /**
     * As {@link #solve(Reconstruction, NDArray, NDArray, Settings)}; with {@code kernel} false the affine case stays on
     * the tensor engine instead of {@link FistaKernel} (for tests and benchmarks that compare the two).
     */
    static Result solve(Reconstruction rec, NDArray z0, NDArray e, Settings s, boolean kernel) {
        if (kernel && s.positive() && s.varianceReg() <= 0 && rec instanceof Linear && rec.targets().getDataType() == DataType.FLOAT32
                && !rec.targets().getDevice().isGpu()) {
            return solveOnKernel((Linear) rec, z0, e, s);
        }
        NDArray y = rec.targets();
        NDManager m = y.getManager();
        int n = (int) y.getShape().get(0);
        NDArray z = z0.duplicate();
        NDArray a = z0.duplicate();
        DataType type = y.getDataType();
        NDArray flags = m.zeros(new ai.djl.ndarray.types.Shape(n, 1), type);
        NDArray counted = m.zeros(new ai.djl.ndarray.types.Shape(n, 1), type);
        double t = 1;
        int k = 0;
        boolean anyConverged = false;
        NDArray zNorm = z.norm(new int[]{1}, true);
        boolean code = s.codeReg() > 0 && e != null;
        // Linear decoder without the hinge, non-negative threshold: the gradient step (reconstruction and code term)
        // and the threshold fold into one affine map computed once, A − η(∇F(A) + λ) = A·Q + C with
        // Q = I − M, M = (2η/P)DᵀD + (2ηγ/d)I and C = (2η/P)·YD + (2ηγ/d)E − ηλ, so an iteration is a matmul, an add
        // and a ReLU (plus momentum and the stopping test); small batches are bound by the number of engine calls,
        // not by arithmetic.
        boolean affine = s.positive() && s.varianceReg() <= 0 && rec instanceof Linear;
        NDArray q = null;
        NDArray c = null;
        NDArray mq = null;
        if (affine) {
            Linear lin = (Linear) rec;
            int d = (int) lin.dict.getShape().get(1);
            try (NDScope scope = new NDScope()) {
                NDArray eye = m.eye(d).toType(type, false);
                mq = lin.dtd().mul((float) (2 * s.step() / lin.pixels));
                c = lin.dty().mul((float) (2 * s.step() / lin.pixels)).sub((float) (s.step() * s.lambda()));
                if (code) {
                    float g = (float) (2 * s.step() * s.codeReg() / d);
                    mq = mq.add(eye.mul(g));
                    c = c.add(e.mul(g));
                }
                q = eye.sub(mq);
                NDScope.unregister(q, c, mq);
            }
        }
        for (k = 1; k <= s.maxSteps(); k++) {
            try (NDScope scope = new NDScope()) {
                NDArray zNew;
                if (affine && !anyConverged) {
                    zNew = a.matMul(q).add(c).maximum(0f);
                } else if (affine) {
                    // converged samples take no step: A − m ⊙ (A·M − C)
                    zNew = a.sub(a.matMul(mq).sub(c).mul(flags.neg().add(1f))).maximum(0f);
                } else if (s.positive()) {
                    NDArray g = gradient(a, rec, e, s);
                    // ReLU(A − m·η·G − m·η·λ) = ReLU(A − m·η·(G + λ)); m = 1 for every sample until one converges
                    NDArray stepTerm = g.add((float) s.lambda()).mul((float) s.step());
                    zNew = a.sub(anyConverged ? stepTerm.mul(flags.neg().add(1f)) : stepTerm).maximum(0f);
                } else {
                    NDArray g = gradient(a, rec, e, s);
                    NDArray move = flags.neg().add(1f);
                    NDArray pre = a.sub(anyConverged ? g.mul(move).mul((float) s.step()) : g.mul((float) s.step()));
                    NDArray thr = anyConverged ? move.mul((float) (s.step() * s.lambda())) : null;
                    zNew = thr == null ? pre.sign().mul(pre.abs().sub((float) (s.step() * s.lambda())).maximum(0f))
                            : pre.sign().mul(pre.abs().sub(thr).maximum(0f));
                }
                double tNew = s.fista() ? (1 + Math.sqrt(1 + 4 * t * t)) / 2 : 1;
                NDArray diff = zNew.sub(z);
                NDArray aNew = s.fista() ? zNew.add(diff.mul((float) ((t - 1) / tNew))) : zNew;
                // r = ‖Z − Z_old‖ / ‖Z_old‖ per sample; 0/0 or x/0 (NaN, ∞) counts as not converged
                NDArray newNorm = zNew.norm(new int[]{1}, true);
                NDArray newFlags = diff.norm(new int[]{1}, true).div(zNorm).lt((float) s.tol()).toType(type, false);
                counted.addi(newFlags);
                t = tNew;
                NDScope.unregister(zNew, aNew, newFlags, newNorm);
                if (a != z) {
                    a.close();
                }
                z.close();
                flags.close();
                zNorm.close();
                z = zNew;
                a = aNew;
                flags = newFlags;
                zNorm = newNorm;
                double converged = flags.sum().toType(DataType.FLOAT64, false).getDouble();
                anyConverged = converged > 0;
                if (k < s.maxSteps() && converged >= n) {
                    break;
                }
            }
        }
        if (q != null) {
            q.close();
            c.close();
            mq.close();
        }
        zNorm.close();
        int steps = Math.min(k, s.maxSteps());
        // counted holds, per sample, the iterations that ended below tol; the original counts the others
        double meanCounted = Math.min(k, s.maxSteps()) - counted.toType(DataType.FLOAT64, false).mean().getDouble();
        double energy = energy(rec, z, e, s);
        double zeros = z.eq(0f).toType(DataType.FLOAT32, false).mean().getFloat();
        if (a != z) {
            a.close();
        }
        flags.close();
        counted.close();
        return new Result(z, steps, meanCounted, energy, zeros);
    }

    /**
     * The affine case on plain float arrays ({@link FistaKernel}): the same iterations without an engine call each.
     * DᵀD, YD, Q, C and the final energy are computed here too, so a solve makes no engine call besides copying its
     * inputs and its codes.
     */
    private static Result solveOnKernel(Linear lin, NDArray z0, NDArray e, Settings s) {
        int n = (int) z0.getShape().get(0);
        int d = (int) z0.getShape().get(1);
        boolean code = s.codeReg() > 0 && e != null;
        int pixels = (int) lin.pixels;
        // DᵀD, YD and Σ‖y‖² here too: a dense product through the engine costs milliseconds when its threads compete
        // with other work for the cores, about as long as the whole solve of a small batch
        float[] yv = lin.y.toFloatArray();
        float[] dv = lin.dict.toFloatArray();
        float[] dtd = FistaKernel.gram(dv, pixels, d);
        float[] dty = FistaKernel.project(yv, dv, n, pixels, d);
        float[] ev = code ? e.toFloatArray() : null;
        // the engine path's Q = I − M, M = (2η/P)DᵀD (+ (2ηγ/d)I), C = (2η/P)·YD − ηλ (+ (2ηγ/d)E), in its float order
        float scale = (float) (2 * s.step() / lin.pixels);
        float shift = (float) (s.step() * s.lambda());
        float g = (float) (2 * s.step() * s.codeReg() / d);
        float[] q = new float[d * d];
        for (int j = 0; j < d; j++) {
            for (int k = 0; k < d; k++) {
                float mjk = dtd[j * d + k] * scale;
                if (code && j == k) {
                    mjk += g;
                }
                q[j * d + k] = (j == k ? 1f : 0f) - mjk;
            }
        }
        float[] c = new float[n * d];
        for (int i = 0; i < c.length; i++) {
            c[i] = dty[i] * scale - shift;
            if (code) {
                c[i] += ev[i] * g;
            }
        }
        FistaKernel kern = new FistaKernel(n, d, q, c, z0.toFloatArray(), s.fista(), s.tol());
        int steps = kern.run(s.maxSteps());
        long counted = 0;
        for (int i = 0; i < n; i++) {
            counted += kern.counted[i];
        }
        float[] codes = kern.codes();
        GramEnergy fit = GramEnergy.of(codes, dty, dtd, GramEnergy.sumSquares(yv), n, d);
        double codeTerm = 0;
        if (code) {
            for (int i = 0; i < codes.length; i++) {
                double diff = (double) codes[i] - ev[i];
                codeTerm += diff * diff;
            }
        }
        double energy = fit.squaredError() / lin.pixels + s.lambda() * fit.l1() + (code ? s.codeReg() * codeTerm / d : 0);
        long zeros = fit.zeros();
        NDArray z = z0.getManager().create(codes, z0.getShape());
        // counted holds, per sample, the iterations that ended below tol; the original counts the others
        return new Result(z, steps, steps - (double) counted / n, energy, (double) zeros / ((long) n * d));
    }

    /** ∇F at a: the reconstruction term's gradient, the variance hinge (masked where σ = 0) and the code term. */
    static NDArray gradient(NDArray a, Reconstruction rec, NDArray e, Settings s) {
        NDArray g = rec.gradient(a);
        if (s.varianceReg() > 0) {
            g = g.add(hingeGradient(a, s.varianceReg(), s.hingeThreshold()));
        }
        if (s.codeReg() > 0 && e != null) {
            g = g.add(a.sub(e).mul((float) (2 * s.codeReg() / a.getShape().get(1))));
        }
        return g;
    }

    /** ∂/∂z_ij of β Σ_j ReLU(T − σ_j)² = −2β ReLU(T − σ_j)(z_ij − μ_j)/((N − 1)σ_j), and 0 where σ_j = 0. */
    static NDArray hingeGradient(NDArray z, double beta, double threshold) {
        long n = z.getShape().get(0);
        NDArray mu = z.mean(new int[]{0}, true);
        NDArray centred = z.sub(mu);
        NDArray sigma = centred.square().sum(new int[]{0}, true).div((float) (n - 1)).sqrt();
        NDArray gap = sigma.neg().add((float) threshold).maximum(0f);
        NDArray safe = sigma.maximum(1e-30f);
        NDArray coef = gap.mul((float) (-2 * beta / (n - 1))).div(safe).mul(sigma.gt(0f).toType(DataType.FLOAT32, false));
        return centred.mul(coef);
    }

    /** The energy (sum over the batch) of codes z. */
    static double energy(NDArray y, NDArray dict, NDArray z, NDArray e, Settings s) {
        try (Linear rec = new Linear(y, dict)) {
            return energy(rec, z, e, s);
        }
    }

    /** The energy (sum over the batch) of codes z for any decoder's reconstruction term. */
    static double energy(Reconstruction rec, NDArray z, NDArray e, Settings s) {
        return rec.value(z) + penalties(z, e, s);
    }

    /** λ Σ‖zᵢ‖₁ + β Σⱼ ReLU(T − σⱼ)² + γ Σᵢ (1/d)‖zᵢ − eᵢ‖² (the terms that do not involve the decoder). */
    static double penalties(NDArray z, NDArray e, Settings s) {
        try (NDScope scope = new NDScope()) {
            double l1 = s.lambda() * z.abs().sum().toType(DataType.FLOAT64, false).getDouble();
            double hinge = 0;
            if (s.varianceReg() > 0) {
                hinge = s.varianceReg() * hinge(z, s.hingeThreshold());
            }
            double code = 0;
            if (s.codeReg() > 0 && e != null) {
                code = s.codeReg() * z.sub(e).square().sum().toType(DataType.FLOAT64, false).getDouble() / z.getShape().get(1);
            }
            return l1 + hinge + code;
        }
    }

    /** Σⱼ ReLU(T − σⱼ(Z))² with σⱼ the unbiased batch standard deviation of component j. */
    static double hinge(NDArray z, double threshold) {
        try (NDScope scope = new NDScope()) {
            long n = z.getShape().get(0);
            NDArray sigma = z.sub(z.mean(new int[]{0}, true)).square().sum(new int[]{0}).div((float) (n - 1)).sqrt();
            return sigma.neg().add((float) threshold).maximum(0f).square().sum().toType(DataType.FLOAT64, false).getDouble();
        }
    }
}

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
     * Solves for codes [N, d] given inputs y [N, P], dictionary [P, d] (atoms as columns), a start z0 [N, d] and, for
     * the code term, the encoder's predictions e [N, d] (may be null when γ = 0).
     */
    static Result solve(NDArray y, NDArray dict, NDArray z0, NDArray e, Settings s) {
        NDManager m = y.getManager();
        int n = (int) y.getShape().get(0);
        NDArray z = z0.duplicate();
        NDArray a = z0.duplicate();
        DataType type = y.getDataType();
        NDArray flags = m.zeros(new ai.djl.ndarray.types.Shape(n, 1), type);
        NDArray counted = m.zeros(new ai.djl.ndarray.types.Shape(n, 1), type);
        NDArray dtd = dict.transpose().matMul(dict); // [d, d]: the gradient needs Dᵀ D z − Dᵀ y
        NDArray dty = y.matMul(dict);                 // [N, d]
        double t = 1;
        int k = 0;
        boolean anyConverged = false;
        NDArray zNorm = z.norm(new int[]{1}, true);
        // Linear case without the hinge and code terms, non-negative threshold: the gradient step and the threshold
        // fold into one affine map computed once, A − η(∇F(A) + λ) = A·Q + C with Q = I − (2η/P)DᵀD and
        // C = (2η/P)·YD − ηλ, so an iteration is a matmul, an add and a ReLU (plus momentum and the stopping test);
        // small batches are bound by the number of engine calls, not by arithmetic.
        boolean affine = s.positive() && s.varianceReg() <= 0 && (s.codeReg() <= 0 || e == null);
        long pixels = y.getShape().get(1);
        NDArray q = null;
        NDArray c = null;
        NDArray mq = null;
        if (affine) {
            NDArray eye = m.eye((int) dtd.getShape().get(0)).toType(type, false);
            mq = dtd.mul((float) (2 * s.step() / pixels));
            q = eye.sub(mq);
            c = dty.mul((float) (2 * s.step() / pixels)).sub((float) (s.step() * s.lambda()));
            eye.close();
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
                    NDArray g = gradient(a, dtd, dty, e, s, pixels);
                    // ReLU(A − m·η·G − m·η·λ) = ReLU(A − m·η·(G + λ)); m = 1 for every sample until one converges
                    NDArray stepTerm = g.add((float) s.lambda()).mul((float) s.step());
                    zNew = a.sub(anyConverged ? stepTerm.mul(flags.neg().add(1f)) : stepTerm).maximum(0f);
                } else {
                    NDArray g = gradient(a, dtd, dty, e, s, pixels);
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
        double energy = energy(y, dict, z, e, s);
        double zeros = z.eq(0f).toType(DataType.FLOAT32, false).mean().getFloat();
        if (a != z) {
            a.close();
        }
        flags.close();
        counted.close();
        dtd.close();
        dty.close();
        return new Result(z, steps, meanCounted, energy, zeros);
    }

    /** ∇F at a: rec (2/P)(a DᵀD − yD), the variance hinge (masked where σ = 0) and the code term. */
    static NDArray gradient(NDArray a, NDArray dtd, NDArray dty, NDArray e, Settings s, long pixels) {
        NDArray g = a.matMul(dtd).sub(dty).mul((float) (2.0 / pixels));
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
        try (NDScope scope = new NDScope()) {
            long pixels = y.getShape().get(1);
            double rec = y.sub(z.matMul(dict.transpose())).square().sum().toType(DataType.FLOAT64, false).getDouble() / pixels;
            double l1 = s.lambda() * z.abs().sum().toType(DataType.FLOAT64, false).getDouble();
            double hinge = 0;
            if (s.varianceReg() > 0) {
                long n = z.getShape().get(0);
                NDArray sigma = z.sub(z.mean(new int[]{0}, true)).square().sum(new int[]{0}).div((float) (n - 1)).sqrt();
                hinge = s.varianceReg() * sigma.neg().add((float) s.hingeThreshold()).maximum(0f).square().sum().toType(DataType.FLOAT64, false).getDouble();
            }
            double code = 0;
            if (s.codeReg() > 0 && e != null) {
                code = s.codeReg() * z.sub(e).square().sum().toType(DataType.FLOAT64, false).getDouble() / z.getShape().get(1);
            }
            return rec + l1 + hinge + code;
        }
    }
}

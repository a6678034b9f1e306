package org.sparselab.plugins.sdmmemory;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The convergence experiment of spec sdm.md §7: store m patterns, perturb each by h (bit flips, or a rotation to
 * cosine 1 − 2h/n), iterate the memory until no query changes (binary: no bit; continuous: no entry by more than
 * 0.05) or {@code maxSteps}, and measure the cosine between the converged query and its pattern (binary: 1 − 2H/n).
 */
final class Convergence {

    /** One measured cell: algorithm, radius, perturbation, mean and spread of the final cosine over all queries. */
    record Cell(String algorithm, int d, int h, double baseline, double mean, double std, double meanSteps, double beta) {
    }

    private Convergence() {
    }

    /** Uniform(−1, 1) patterns; the binary version is [x > 0]. */
    static float[] randomUniform(Random rnd, int m, int n) {
        float[] x = new float[m * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return x;
    }

    /** Flip exactly h distinct bits of each row; resample (up to 10 times) while another pattern is closer than h. */
    static NDArray perturbBinary(NDArray patterns, int h, Random rnd) {
        int m = (int) patterns.getShape().get(0);
        int n = (int) patterns.getShape().get(1);
        float[] p = patterns.toFloatArray();
        float[] q = p.clone();
        for (int i = 0; i < m; i++) {
            for (int attempt = 0; attempt < 10; attempt++) {
                System.arraycopy(p, i * n, q, i * n, n);
                int[] idx = sample(rnd, n, h);
                for (int j : idx) {
                    q[i * n + j] = 1 - q[i * n + j];
                }
                if (h == 0 || nearestOther(p, q, i, m, n) >= h) {
                    break;
                }
            }
        }
        return patterns.getManager().create(q, patterns.getShape());
    }

    private static int nearestOther(float[] p, float[] q, int i, int m, int n) {
        int best = Integer.MAX_VALUE;
        for (int k = 0; k < m; k++) {
            if (k == i) {
                continue;
            }
            int dist = 0;
            for (int j = 0; j < n && dist < best; j++) {
                dist += p[k * n + j] != q[i * n + j] ? 1 : 0;
            }
            best = Math.min(best, dist);
        }
        return best;
    }

    private static int[] sample(Random rnd, int n, int h) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        for (int i = 0; i < h; i++) {
            int j = i + rnd.nextInt(n - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        return java.util.Arrays.copyOf(all, h);
    }

    /**
     * Rotate each unit row to cosine c = 1 − 2h/nBase with its pattern: ξ = c·u + √(1−c²)·v⊥ (v uniform(−1,1),
     * orthogonalised to u, normalised), then rescaled to the pattern's norm; with {@code noCloser}, resample (up to
     * 10 times) while another pattern has a cosine above c + 1e-5.
     */
    static NDArray perturbContinuous(NDArray patterns, int h, int nBase, boolean noCloser, Random rnd) {
        int m = (int) patterns.getShape().get(0);
        int n = (int) patterns.getShape().get(1);
        double c = 1 - 2.0 * h / nBase;
        float[] p = patterns.toFloatArray();
        float[] q = new float[p.length];
        double[] norms = new double[m];
        for (int i = 0; i < m; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += p[i * n + j] * (double) p[i * n + j];
            }
            norms[i] = Math.sqrt(s);
        }
        for (int i = 0; i < m; i++) {
            for (int attempt = 0; attempt < 10; attempt++) {
                double[] v = new double[n];
                double dot = 0;
                for (int j = 0; j < n; j++) {
                    v[j] = rnd.nextDouble() * 2 - 1;
                    dot += v[j] * p[i * n + j] / norms[i];
                }
                double vn = 0;
                for (int j = 0; j < n; j++) {
                    v[j] -= dot * p[i * n + j] / norms[i];
                    vn += v[j] * v[j];
                }
                vn = Math.sqrt(vn);
                double s = Math.sqrt(Math.max(0, 1 - c * c));
                for (int j = 0; j < n; j++) {
                    q[i * n + j] = (float) (norms[i] * (c * p[i * n + j] / norms[i] + s * v[j] / vn));
                }
                if (!noCloser || h == 0 || !closer(p, q, norms, i, m, n, c)) {
                    break;
                }
            }
        }
        return patterns.getManager().create(q, patterns.getShape());
    }

    private static boolean closer(float[] p, float[] q, double[] norms, int i, int m, int n, double c) {
        double qn = 0;
        for (int j = 0; j < n; j++) {
            qn += q[i * n + j] * (double) q[i * n + j];
        }
        qn = Math.sqrt(qn);
        for (int k = 0; k < m; k++) {
            if (k == i) {
                continue;
            }
            double dot = 0;
            for (int j = 0; j < n; j++) {
                dot += p[k * n + j] * (double) q[i * n + j];
            }
            if (dot / (norms[k] * qn) > c + 1e-5) {
                return true;
            }
        }
        return false;
    }

    /** Iterates to convergence; returns the final queries and the number of steps taken. */
    static NDArray converge(Memories memory, NDArray queries, boolean binary, int maxSteps, int[] steps) {
        NDArray q = queries;
        int s = 0;
        while (s < maxSteps) {
            NDArray next;
            boolean changed;
            // One scope per update: the intermediates of a step ([queries, patterns] or [queries, neurons] matrices)
            // are freed at once instead of piling up over up to max_steps iterations.
            try (ai.djl.ndarray.NDScope scope = new ai.djl.ndarray.NDScope()) {
                next = memory.update(q);
                changed = binary ? next.neq(q).any().getBoolean() : next.sub(q).abs().max().getFloat() > 0.05f;
                ai.djl.ndarray.NDScope.unregister(next);
            }
            s++;
            if (q != queries && q != next) {
                q.close();
            }
            q = next;
            if (!changed) {
                break;
            }
        }
        steps[0] = s;
        return q;
    }

    /** Cosine of each converged row with its target row (binary: 1 − 2H/n). */
    static float[] cosines(NDArray out, NDArray target, boolean binary) {
        if (binary) {
            int n = (int) out.getShape().get(1);
            return out.neq(target).toType(DataType.FLOAT32, false).sum(new int[]{1}).mul(-2f / n).add(1f).toFloatArray();
        }
        NDArray dot = out.mul(target).sum(new int[]{1});
        return dot.div(out.norm(new int[]{1}).mul(target.norm(new int[]{1})).maximum(1e-30f)).toFloatArray();
    }

    /** Runs every (algorithm, d, h) cell over the given pattern sets and repeats. */
    static List<Cell> run(NDManager manager, List<float[]> patternSets, int m, int n, List<Memories.Kind> algorithms, List<Integer> radii,
                          List<Integer> perturbations, int repeats, double r, int maxSteps, boolean noCloser, long seed,
                          java.util.function.Consumer<String> progress) {
        List<Cell> cells = new ArrayList<>();
        for (Memories.Kind kind : algorithms) {
            for (int d : radii) {
                for (int h : perturbations) {
                    double sum = 0;
                    double sq = 0;
                    long count = 0;
                    double stepSum = 0;
                    double beta = Double.NaN;
                    for (int set = 0; set < patternSets.size(); set++) {
                        try (NDManager sub = manager.newSubManager(); NDScope scope = new NDScope()) {
                            float[] raw = patternSets.get(set);
                            NDArray base = sub.create(raw, new Shape(m, n));
                            NDArray patterns = kind.binary() ? base.gt(0f).toType(DataType.FLOAT32, false)
                                    : base.div(base.norm(new int[]{1}, true).maximum(1e-30f));
                            Memories memory = new Memories(kind, patterns, d, r, seed + set, false);
                            beta = memory.beta();
                            for (int rep = 0; rep < repeats; rep++) {
                                Random rnd = new Random(seed * 1_000_003L + set * 7919L + rep * 31L + h);
                                NDArray queries = kind.binary() ? perturbBinary(patterns, h, rnd) : perturbContinuous(patterns, h, n, noCloser, rnd);
                                int[] steps = new int[1];
                                NDArray out = converge(memory, queries, kind.binary(), maxSteps, steps);
                                for (float c : cosines(out, patterns, kind.binary())) {
                                    sum += c;
                                    sq += c * (double) c;
                                    count++;
                                }
                                stepSum += steps[0];
                            }
                        }
                    }
                    double mean = sum / count;
                    Cell cell = new Cell(kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), d, h, 1 - 2.0 * h / n, mean,
                            Math.sqrt(Math.max(0, sq / count - mean * mean)), stepSum / (patternSets.size() * repeats), beta);
                    cells.add(cell);
                    progress.accept(String.format(java.util.Locale.ROOT, "%s d=%d h=%d: cosine %.4f (baseline %.4f)", cell.algorithm(), d, h,
                            mean, cell.baseline()));
                }
            }
        }
        return cells;
    }
}

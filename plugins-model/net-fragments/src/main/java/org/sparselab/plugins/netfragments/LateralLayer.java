package org.sparselab.plugins.netfragments;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Stage S2 (spec A4): the lateral Hebbian layer. Every feature channel has {@code alternatives} cells; each cell
 * sees an 11×11 neighbourhood of the 4 S1 channels and of all cells' previous outputs (44 input channels), with
 * weights W {@code [cells, 44*121]} in [0,1], index d = ci*121 + j*11 + k for offset (j-5, k-5).
 *
 * <p>The inputs are binary and sparse (a line and its neighbourhood), and so is W (a trained W has about 1% of
 * its entries above 0), so the support is computed by scattering each active input's nonzero weights into the
 * output instead of a dense 11×11 convolution over 44 channels: the same sums, with work proportional to the
 * active inputs times the nonzero weights they reach. Not thread-safe for {@link #hebbianUpdate}; concurrent
 * {@link #run} calls are safe between updates.
 */
public final class LateralLayer {

    public static final int LOCALITY = 5;
    public static final int KERNEL = 2 * LOCALITY + 1;
    public static final int TAPS = KERNEL * KERNEL;

    private final int size;
    private final int pixels;
    private final int features;
    private final int alternatives;
    private final int cells;
    private final int inputs;
    private final int patch;
    private final double supportLimit;
    private final double lr;
    private final boolean negativeCorrelation;

    /** W as the checkpoint holds it: {@code [cells][inputs*121]}. */
    private final float[] weights;
    /** The nonzero weights by patch entry (compressed rows): entry d's cells and weights are at [tapStart[d], tapStart[d+1]). */
    private int[] tapStart;
    private int[] tapCell;
    private float[] tapWeight;
    /** Number of positive weights per cell. */
    private final int[] onCount;
    /** Scratch of the Hebbian update (U and one cell's patch sums). */
    private final double[] updateBuffer;
    private final double[] rowBuffer;

    public LateralLayer(int size, int features, int alternatives, double supportFactor, double lr, boolean negativeCorrelation) {
        this.size = size;
        this.pixels = size * size;
        this.features = features;
        this.alternatives = alternatives;
        this.cells = features * alternatives;
        this.inputs = features + cells;
        this.patch = inputs * TAPS;
        this.supportLimit = supportFactor * KERNEL;
        this.lr = lr;
        this.negativeCorrelation = negativeCorrelation;
        this.weights = new float[cells * patch];
        this.onCount = new int[cells];
        this.updateBuffer = new double[cells * patch];
        this.rowBuffer = new double[patch];
        initialise();
    }

    /**
     * The original's initial weights: only the centre tap is nonzero, 1 from the cell's feature channel
     * (co / alternatives) and from the cell's own previous state (input channel co + features).
     */
    private void initialise() {
        int centre = LOCALITY * KERNEL + LOCALITY;
        for (int co = 0; co < cells; co++) {
            weights[co * patch + (co / alternatives) * TAPS + centre] = 1f;
            weights[co * patch + (co + features) * TAPS + centre] = 1f;
        }
        weightsChanged();
    }

    public int cells() {
        return cells;
    }

    public int alternatives() {
        return alternatives;
    }

    public int patchSize() {
        return patch;
    }

    public double supportLimit() {
        return supportLimit;
    }

    /** The live weights {@code [cells * patch]}; call {@link #weightsChanged()} after writing them. */
    public float[] weights() {
        return weights;
    }

    /** Rebuilds the scatter layout from {@link #weights()} (after loading a checkpoint or an update). */
    public void weightsChanged() {
        Arrays.fill(onCount, 0);
        int[] start = new int[patch + 1];
        for (int co = 0; co < cells; co++) {
            for (int d = 0; d < patch; d++) {
                if (weights[co * patch + d] > 0) {
                    start[d + 1]++;
                    onCount[co]++;
                }
            }
        }
        for (int d = 0; d < patch; d++) {
            start[d + 1] += start[d];
        }
        int[] cell = new int[start[patch]];
        float[] weight = new float[start[patch]];
        int[] fill = Arrays.copyOf(start, patch);
        for (int d = 0; d < patch; d++) {
            for (int co = 0; co < cells; co++) {
                float w = weights[co * patch + d];
                if (w > 0) {
                    cell[fill[d]] = co;
                    weight[fill[d]++] = w;
                }
            }
        }
        tapStart = start;
        tapCell = cell;
        tapWeight = weight;
    }

    /**
     * What one image's recurrent run produced. Arrays are channel-major {@code [cells][pixels]}; the lists hold every
     * timestep when the run kept them, else only the last output (and no x_norm or support).
     */
    public record Cycle(List<float[]> outputs, List<float[]> normalised, List<float[]> support, int[] chosen, float[] median) {
        /** The final timestep's output. */
        public float[] last() {
            return outputs.get(outputs.size() - 1);
        }
    }

    /** Receives the raw support and output of every forward step (the original's S2 stat meters). */
    public interface StepObserver {
        void step(float[] support, float[] normalised, float[] output);
    }

    /**
     * Runs S2 for {@code timesteps} steps on one image's S1 features {@code [features*pixels]}: the input of step t
     * is (features, output of step t-1), binarised at 0.5; the alternative cell of every (feature, pixel) is chosen
     * at t = 0 and kept. Returns every step's output, x_norm and raw support when {@code keepSteps} (else the last
     * only), the choice, and the lower temporal median of the outputs.
     */
    public Cycle run(float[] featureMaps, int timesteps, double[] gammas, S2Activation activation, SplittableRandom rng,
                     boolean keepSteps, StepObserver observer) {
        if (gammas.length < timesteps) {
            throw new IllegalArgumentException(timesteps + " timesteps need as many power factors, got " + gammas.length);
        }
        int[] featureOn = active(featureMaps, 0, features);
        int[] chosen = new int[features * pixels];
        int[] ones = new int[cells * pixels];
        List<float[]> outs = new ArrayList<>();
        List<float[]> norms = new ArrayList<>();
        List<float[]> supports = new ArrayList<>();
        float[] scratch = new float[pixels * cells];
        choose(featureOn, scratch, chosen);
        // Only the chosen alternative of each (feature, pixel) can fire: work on those 4·1024 "slots", ordered by
        // (cell, pixel) as the dense arrays are, so sums and random draws happen in the dense order
        int slots = features * pixels;
        int[] slotCell = new int[slots];
        int[] slotPixel = new int[slots];
        int[] perCell = new int[cells + 1];
        for (int f = 0; f < features; f++) {
            for (int p = 0; p < pixels; p++) {
                perCell[f * alternatives + chosen[f * pixels + p] + 1]++;
            }
        }
        for (int co = 0; co < cells; co++) {
            perCell[co + 1] += perCell[co];
        }
        for (int f = 0; f < features; f++) {
            for (int p = 0; p < pixels; p++) {
                int at = perCell[f * alternatives + chosen[f * pixels + p]]++;
                slotCell[at] = f * alternatives + chosen[f * pixels + p];
                slotPixel[at] = p;
            }
        }
        float limit = (float) supportLimit;
        float[] norm = new float[slots];
        float[] max = new float[features];
        int[] cellOn = new int[0];
        int[] fired = new int[slots];
        for (int t = 0; t < timesteps; t++) {
            Arrays.fill(scratch, 0f);
            scatter(featureOn, false, scratch);
            scatter(cellOn, false, scratch);
            Arrays.fill(max, 0f);
            for (int i = 0; i < slots; i++) {
                float capped = cap(scratch[slotPixel[i] * cells + slotCell[i]], limit);
                norm[i] = capped;
                int f = slotCell[i] / alternatives;
                max[f] = Math.max(max[f], capped);
            }
            int n = 0;
            float theta = (float) activation.threshold();
            for (int i = 0; i < slots; i++) {
                float v = norm[i] / (1e-10f + max[slotCell[i] / alternatives]);
                norm[i] = v;
                if (v == 0f) {
                    continue; // 0^γ = 0 never fires (θ > 0) and has probability 0
                }
                boolean on;
                if (activation.bernoulli()) {
                    on = rng.nextDouble() < Math.min(1, Math.pow(Math.min(1f, Math.max(0f, v)), gammas[t]));
                } else {
                    on = (float) Math.pow(v, gammas[t]) >= theta;
                }
                if (on) {
                    fired[n++] = i;
                }
            }
            cellOn = new int[n];
            for (int k = 0; k < n; k++) {
                int i = fired[k];
                int index = slotCell[i] * pixels + slotPixel[i];
                cellOn[k] = features * pixels + index;
                ones[index]++;
            }
            boolean last = t == timesteps - 1;
            if (keepSteps || observer != null) {
                float[] support = transpose(scratch);
                float[] fullNorm = new float[cells * pixels];
                for (int i = 0; i < slots; i++) {
                    fullNorm[slotCell[i] * pixels + slotPixel[i]] = norm[i];
                }
                float[] out = output(cellOn);
                if (observer != null) {
                    observer.step(support, fullNorm, out);
                }
                if (keepSteps) {
                    outs.add(out);
                    norms.add(fullNorm);
                    supports.add(support);
                } else if (last) {
                    outs.add(out);
                }
            } else if (last) {
                outs.add(output(cellOn));
            }
        }
        // lower median of binary values: element floor((T-1)/2) of the sorted T outputs is 1 iff at most that many are 0
        int need = timesteps - (timesteps - 1) / 2;
        float[] median = new float[cells * pixels];
        for (int i = 0; i < median.length; i++) {
            median[i] = ones[i] >= need ? 1f : 0f;
        }
        return new Cycle(outs, norms, supports, chosen, median);
    }

    /** The dense output {@code [cells][pixels]} of the active cell inputs. */
    private float[] output(int[] cellOn) {
        float[] out = new float[cells * pixels];
        for (int input : cellOn) {
            out[input - features * pixels] = 1f;
        }
        return out;
    }

    /** Indices (channel offset + c)*pixels + p of the entries > 0.5 of {@code maps}, with c in [0, channels). */
    private int[] active(float[] maps, int channelOffset, int channels) {
        int[] on = new int[channels * pixels];
        int n = 0;
        for (int i = 0; i < channels * pixels; i++) {
            if (maps[i] > 0.5f) {
                on[n++] = channelOffset * pixels + i;
            }
        }
        return Arrays.copyOf(on, n);
    }

    /**
     * Scatters the active inputs' nonzero weights (or 1 for each, {@code binary}):
     * {@code acc[p*cells + co]} = Σ over active inputs of the tap's weight.
     */
    private void scatter(int[] on, boolean binary, float[] acc) {
        int[] start = tapStart;
        int[] cell = tapCell;
        float[] weight = tapWeight;
        for (int input : on) {
            int ci = input / pixels;
            int q = input % pixels;
            int qy = q / size;
            int qx = q % size;
            for (int j = 0; j < KERNEL; j++) {
                int y = qy - j + LOCALITY;
                if (y < 0 || y >= size) {
                    continue;
                }
                for (int k = 0; k < KERNEL; k++) {
                    int x = qx - k + LOCALITY;
                    if (x < 0 || x >= size) {
                        continue;
                    }
                    int d = ci * TAPS + j * KERNEL + k;
                    int dst = (y * size + x) * cells;
                    for (int e = start[d], end = start[d + 1]; e < end; e++) {
                        acc[dst + cell[e]] += binary ? 1f : weight[e];
                    }
                }
            }
        }
    }


    private float[] transpose(float[] byPixel) {
        float[] s = new float[cells * pixels];
        for (int p = 0; p < pixels; p++) {
            for (int co = 0; co < cells; co++) {
                s[co * pixels + p] = byPixel[p * cells + co];
            }
        }
        return s;
    }

    /**
     * The alternative cell of every (feature, pixel) at t = 0: the one whose binary weight pattern best matches
     * the binary input patch, score = (#both on - #mismatches)/D = (3·both - |w| - |x|)/D; |x| is the same for all
     * alternatives, so the argmax of 3·both - |w| (first index on ties, as torch's argmax) is the same choice,
     * computed exactly in integers.
     */
    private void choose(int[] featureOn, float[] scratch, int[] chosen) {
        if (alternatives == 1) {
            Arrays.fill(chosen, 0);
            return;
        }
        Arrays.fill(scratch, 0f);
        scatter(featureOn, true, scratch);
        for (int p = 0; p < pixels; p++) {
            for (int f = 0; f < features; f++) {
                int best = 0;
                long bestScore = Long.MIN_VALUE;
                for (int a = 0; a < alternatives; a++) {
                    int co = f * alternatives + a;
                    long score = 3L * Math.round(scratch[p * cells + co]) - onCount[co];
                    if (score > bestScore) {
                        bestScore = score;
                        best = a;
                    }
                }
                chosen[f * pixels + p] = best;
            }
        }
    }


    /** Support beyond the limit inhibits: it falls by half the excess (and turns negative above 3λ). */
    static float cap(float s, float limit) {
        return s < limit ? s : limit - 0.5f * (s - limit);
    }


    /**
     * The Hebbian update after one image (spec A4): with x the patch of (S1 features as they are, median output)
     * and y the median output, U[co,d] = mean over pixels of clip(y·x) - clip(y·[x==0]) - clip((1-y)·x) (the first
     * term only without negative correlation); U = max(U, 0), min-max scaled over the whole matrix, then
     * W = clip(W + lr·U, 0, 1). With one cell per feature, W[co] is then divided by 1e-10 + 0.2·‖W[co]‖.
     *
     * <p>With c = clip(x, 0, 1), the sum over pixels is 2·Σ_{y=1} c + #{y=1, x≠0} - #{y=1} - Σ_all c: only the
     * cell's active pixels need a pass over their patch; Σ_all c is a box sum of each channel.
     */
    public void hebbianUpdate(float[] featureMaps, float[] median) {
        float[] x = new float[inputs * pixels];
        System.arraycopy(featureMaps, 0, x, 0, features * pixels);
        System.arraycopy(median, 0, x, features * pixels, cells * pixels);
        double[] total = negativeCorrelation ? boxSums(x) : null;
        // reused across images: one update per training image, and U is 40 × 5324 doubles
        double[] u = updateBuffer;
        java.util.Arrays.fill(u, 0);
        double[] row = rowBuffer;
        for (int co = 0; co < cells; co++) {
            int count = 0;
            java.util.Arrays.fill(row, 0);
            for (int p = 0; p < pixels; p++) {
                if (median[co * pixels + p] <= 0.5f) {
                    continue;
                }
                count++;
                int py = p / size;
                int px = p % size;
                for (int ci = 0; ci < inputs; ci++) {
                    for (int j = 0; j < KERNEL; j++) {
                        int y = py + j - LOCALITY;
                        if (y < 0 || y >= size) {
                            continue;
                        }
                        int src = ci * pixels + y * size;
                        int dst = ci * TAPS + j * KERNEL;
                        for (int k = 0; k < KERNEL; k++) {
                            int xx = px + k - LOCALITY;
                            if (xx < 0 || xx >= size) {
                                continue;
                            }
                            float v = x[src + xx];
                            if (v != 0f) {
                                double c = Math.min(1.0, Math.max(0.0, v));
                                row[dst + k] += negativeCorrelation ? 2 * c + 1 : c;
                            }
                        }
                    }
                }
            }
            if (count == 0) {
                continue; // a silent cell: U = max(0, -Σ_all clip(x) / pixels) = 0
            }
            for (int d = 0; d < patch; d++) {
                double sum = negativeCorrelation ? row[d] - count - total[d] : row[d];
                u[co * patch + d] = Math.max(0.0, sum / pixels);
            }
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : u) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double range = max - min + 1e-10;
        boolean normalise = alternatives <= 1;
        for (int i = 0; i < u.length; i++) {
            double step = lr * ((u[i] - min) / range);
            if (step == 0) {
                continue; // W + 0 is W: only the (few) entries that learn are written and mirrored
            }
            weights[i] = (float) Math.min(1.0, Math.max(0.0, weights[i] + step));
        }
        if (normalise) {
            for (int co = 0; co < cells; co++) {
                double norm = 0;
                for (int d = 0; d < patch; d++) {
                    norm += (double) weights[co * patch + d] * weights[co * patch + d];
                }
                double div = 1e-10 + 0.2 * Math.sqrt(norm);
                for (int d = 0; d < patch; d++) {
                    weights[co * patch + d] = (float) (weights[co * patch + d] / div);
                }
            }
        }
        weightsChanged();
    }

    /**
     * Σ over target pixels p of clip(x[ci, p + offset(j,k)], 0, 1) with zeros outside the image, for every patch
     * entry d: the sum of channel ci over the source rectangle the offset reaches, from a summed-area table.
     */
    private double[] boxSums(float[] x) {
        double[] out = new double[patch];
        int s1 = size + 1;
        double[] table = new double[s1 * s1];
        for (int ci = 0; ci < inputs; ci++) {
            for (int y = 0; y < size; y++) {
                for (int xx = 0; xx < size; xx++) {
                    double c = Math.min(1.0, Math.max(0.0, x[ci * pixels + y * size + xx]));
                    table[(y + 1) * s1 + xx + 1] = c + table[y * s1 + xx + 1] + table[(y + 1) * s1 + xx] - table[y * s1 + xx];
                }
            }
            for (int j = 0; j < KERNEL; j++) {
                int y0 = Math.max(0, j - LOCALITY);
                int y1 = Math.min(size, size + j - LOCALITY);
                for (int k = 0; k < KERNEL; k++) {
                    int x0 = Math.max(0, k - LOCALITY);
                    int x1 = Math.min(size, size + k - LOCALITY);
                    out[ci * TAPS + j * KERNEL + k] = table[y1 * s1 + x1] - table[y0 * s1 + x1] - table[y1 * s1 + x0] + table[y0 * s1 + x0];
                }
            }
        }
        return out;
    }
}

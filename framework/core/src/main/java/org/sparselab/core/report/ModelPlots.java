package org.sparselab.core.report;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparselab.api.Task;
import org.sparselab.api.data.Batch;
import org.sparselab.api.data.DataSpec;
import org.sparselab.api.data.Split;
import org.sparselab.api.model.TrainableModel;
import org.sparselab.api.plot.FigureContext;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The figures drawn from a trained model: atoms as images (or a heat map for vector data), test inputs beside
 * their reconstructions, how often each code unit is active, and the model's own figures. Each figure is drawn
 * on its own: one that fails is logged and listed, and the others are still drawn.
 */
final class ModelPlots {
    private static final Logger LOG = LoggerFactory.getLogger(ModelPlots.class);
    /** Test samples for the activity histograms (enough for stable fractions, cheap to encode). */
    static final int SAMPLES = 1000;
    /** Atoms drawn as images. */
    static final int ATOMS = 100;
    /** Input / reconstruction pairs. */
    static final int PAIRS = 10;
    /** Test inputs handed to the model's own figures. */
    static final int MODEL_SAMPLES = 256;
    /** Vector atoms wider than this are not drawn as a heat map. */
    static final int MAX_HEATMAP_DIM = 1024;

    /**
     * What the model figures need from an opened run.
     *
     * @param modelId the model's id, for the section title
     * @param test the split whose first samples are drawn (test where there is one)
     */
    record Input(String modelId, DataSpec spec, Split test, TrainableModel model, NDManager manager) {
    }

    private ModelPlots() {
    }

    static void draw(PngFigures fig, Input in, List<String> failures) {
        int n = Math.min(SAMPLES, in.test().size());
        // Arrays made here (slices, codes, whatever atoms() computes) are freed with the scope.
        try (NDScope scope = new NDScope()) {
            fig.section("Learned representation");
            attempt("atoms", failures, () -> atoms(fig, in));
            if (n == 0) {
                failures.add("activity and reconstructions: the " + in.test().name() + " split is empty");
                return;
            }
            int[] idx = new int[n];
            Arrays.setAll(idx, i -> i);
            Batch batch = in.test().batch(idx, in.manager());
            attempt("reconstructions", failures, () -> reconstructions(fig, in, batch.x()));
            fig.section("Unit activity");
            attempt("unit activity", failures, () -> activity(fig, in, batch.x()));
            fig.section("Model figures (" + in.modelId() + ")");
            int m = Math.min(MODEL_SAMPLES, n);
            attempt("the model's own figures", failures, () -> in.model().figures(fig,
                    new FigureContext(in.spec(), batch.x().get("0:" + m), batch.y() == null ? null : batch.y().get("0:" + m))));
        }
    }

    /** Runs one figure; a failure (a bad shape, a plugin's exception) is logged and listed, never thrown. */
    static void attempt(String what, List<String> failures, Runnable figure) {
        try {
            figure.run();
        } catch (RuntimeException | LinkageError | AssertionError e) {
            LOG.warn("figure '{}' could not be drawn: {}", what, e.toString());
            failures.add(what + ": " + e);
        }
    }

    private static void atoms(PngFigures fig, Input in) {
        Optional<NDArray> found = in.model().atoms();
        if (found.isEmpty()) {
            return;
        }
        NDArray atoms = found.get();
        long[] shape = atoms.getShape().getShape();
        if (shape.length != 2) {
            throw new IllegalArgumentException("atoms() must be [atoms, inputDim], got " + atoms.getShape());
        }
        int count = (int) shape[0];
        int dim = (int) shape[1];
        int shown = Math.min(ATOMS, count);
        if (shown == 0) {
            return;
        }
        float[] px = atoms.get("0:" + shown).toType(DataType.FLOAT32, false).toFloatArray();
        String which = shown < count ? "the first " + shown + " of " + count : "all " + count;
        if (in.spec().isImage() && dim == in.spec().inputDim()) {
            int[] s = in.spec().sampleShape();
            fig.caption("Rows of the model's atoms (" + which + ": filters, dictionary atoms or SDM addresses) shown as "
                    + s[1] + "×" + s[2] + " images, each scaled to its own range (min black, max white).");
            fig.grid("atoms", "Learned atoms (" + which + ")", px, shown, s[0], s[1], s[2], 0, null);
        } else if (dim <= MAX_HEATMAP_DIM) {
            float[][] m = new float[shown][];
            for (int i = 0; i < shown; i++) {
                m[i] = Arrays.copyOfRange(px, i * dim, (i + 1) * dim);
            }
            fig.caption("The model's atoms (" + which + ") as rows over the " + dim + " input dimensions.");
            fig.heatmap("atoms", "Learned atoms (rows) × input dimensions", m, null, null);
        }
    }

    private static void reconstructions(PngFigures fig, Input in, NDArray x) {
        DataSpec spec = in.spec();
        if (in.model().task() != Task.RECONSTRUCTION || !spec.isImage()) {
            return;
        }
        int pairs = (int) Math.min(PAIRS, x.getShape().get(0));
        NDArray inputs = x.get("0:" + pairs);
        Optional<NDArray> rec = in.model().predict(inputs);
        if (rec.isEmpty()) {
            return;
        }
        int dim = spec.inputDim();
        if (rec.get().getShape().size() != (long) pairs * dim) {
            throw new IllegalArgumentException("predict() of " + pairs + " inputs gave " + rec.get().getShape() + ", not [" + pairs + ", " + dim + "]");
        }
        float[] a = inputs.toType(DataType.FLOAT32, false).toFloatArray();
        float[] b = rec.get().toType(DataType.FLOAT32, false).toFloatArray();
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float v : a) {
            if (Float.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        float[] both = new float[2 * pairs * dim];
        System.arraycopy(a, 0, both, 0, pairs * dim);
        System.arraycopy(b, 0, both, pairs * dim, pairs * dim);
        int[] s = spec.sampleShape();
        fig.caption("Top row: the first " + pairs + " test inputs; bottom row: the model's reconstructions of them. Both on the "
                + "inputs' scale (" + PngFigures.fmt(lo) + " black, " + PngFigures.fmt(hi) + " white; values beyond are clipped).");
        fig.grid("reconstructions", "Test inputs (top) and reconstructions (bottom)", both, 2 * pairs, s[0], s[1], s[2], pairs,
                lo < hi ? new float[]{lo, hi} : null);
    }

    private static void activity(PngFigures fig, Input in, NDArray x) {
        if (in.model().codeSize() == 0) {
            return;
        }
        NDArray code = in.model().encode(x);
        long[] shape = code.getShape().getShape();
        int n = (int) x.getShape().get(0);
        if (shape.length != 2 || shape[0] != n) {
            throw new IllegalArgumentException("encode() of " + n + " inputs gave " + code.getShape());
        }
        int units = (int) shape[1];
        float[] c = code.toType(DataType.FLOAT32, false).toFloatArray();
        double[] perUnit = new double[units];
        double[] perInput = new double[n];
        for (int i = 0; i < n; i++) {
            int on = 0;
            for (int u = 0; u < units; u++) {
                if (c[i * units + u] != 0) {
                    perUnit[u]++;
                    on++;
                }
            }
            perInput[i] = on / (double) units;
        }
        int dead = 0;
        double max = 0;
        for (int u = 0; u < units; u++) {
            perUnit[u] /= n;
            dead += perUnit[u] == 0 ? 1 : 0;
            max = Math.max(max, perUnit[u]);
        }
        // Never-active units would be one bar at 0 that flattens the rest: count them in the title instead.
        double[] alive = dead == units ? perUnit : Arrays.stream(perUnit).filter(v -> v > 0).toArray();
        fig.caption("For each code unit, the fraction of " + n + " test inputs on which it is active (code ≠ 0). "
                + (dead > 0 && dead < units ? dead + " units never active on these inputs are left out of the bars." : ""));
        fig.histogram("unit-activity", String.format(Locale.ROOT, "Unit activity (%d of %d units active, %d never)", units - dead, units, dead),
                "fraction of test inputs on which the unit is active", alive, 40, 0, max > 0 ? Math.min(1, niceCeil(max * 1.05)) : 1);
        double mean = Arrays.stream(perInput).average().orElse(0);
        double top = Arrays.stream(perInput).max().orElse(0);
        fig.caption("For each of " + n + " test inputs, the fraction of the " + units + " code units that are active.");
        fig.histogram("active-per-input", String.format(Locale.ROOT, "Active fraction per test input (mean %.3f)", mean),
                "fraction of code units active", perInput, 40, 0, top > 0 ? Math.min(1, niceCeil(top * 1.2)) : 1);
    }

    /** The smallest of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 (times a power of ten) that is at least v, for round axis ends. */
    static double niceCeil(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[]{1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
            if (m * p >= v * (1 - 1e-12)) {
                return m * p;
            }
        }
        return 10 * p;
    }
}

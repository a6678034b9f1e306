package org.sparselab.core.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.sparselab.api.data.Batch;
import org.sparselab.api.data.Split;
import org.sparselab.core.run.RunState;
import org.sparselab.core.train.BatchOrder;

import java.nio.FloatBuffer;
import java.util.Locale;
import java.util.function.Function;

/** Runs held-out samples through ONNX Runtime and through the Java model, and compares. */
public final class OnnxVerifier {

    /** Criteria. */
    public record Criteria(double tolerance, double minActiveSetAgreement, double minClassAgreement) {
    }

    private OnnxVerifier() {
    }

    /**
     * @param javaSide the Java computation on a batch {@code [n, inputDim]}, in inference mode
     * @param sparse compare active sets (codes)
     * @param classes compare arg-max (class scores)
     */
    public static OnnxCheck verify(String file, OrtSessions.Opened ort, String outputName, RunState state, Split split, int maxSamples,
                                   Function<NDArray, NDArray> javaSide, boolean sparse, boolean classes, Criteria criteria)
            throws OrtException {
        return verify(file, ort, outputName, state.manager(), split, maxSamples, state.run().training().evalBatchSize(), javaSide,
                sparse, classes, criteria, java.util.Set.of(), new java.util.HashSet<>());
    }

    /**
     * As above; rows (sample positions) in {@code excludedRows} are left out of the max |diff| (their classes are
     * still compared): the forward check skips the samples whose codes had rank swaps, which the encoder check
     * adds to {@code swappedRows}.
     */
    public static OnnxCheck verify(String file, OrtSessions.Opened ort, String outputName, RunState state, Split split, int maxSamples,
                                   Function<NDArray, NDArray> javaSide, boolean sparse, boolean classes, Criteria criteria,
                                   java.util.Set<Integer> excludedRows, java.util.Set<Integer> swappedRows) throws OrtException {
        return verify(file, ort, outputName, state.manager(), split, maxSamples, state.run().training().evalBatchSize(), javaSide,
                sparse, classes, criteria, excludedRows, swappedRows);
    }

    /**
     * The same without a run: the first {@code maxSamples} samples of {@code split} (all when {@code <= 0}) in
     * batches of {@code batchSize}, Java arrays made with {@code manager}.
     */
    public static OnnxCheck verify(String file, OrtSessions.Opened ort, String outputName, NDManager manager, Split split, int maxSamples,
                                   int batchSize, Function<NDArray, NDArray> javaSide, boolean sparse, boolean classes, Criteria criteria)
            throws OrtException {
        return verify(file, ort, outputName, manager, split, maxSamples, batchSize, javaSide, sparse, classes, criteria,
                java.util.Set.of(), new java.util.HashSet<>());
    }

    private static OnnxCheck verify(String file, OrtSessions.Opened ort, String outputName, NDManager manager, Split split, int maxSamples,
                                    int batchSize, Function<NDArray, NDArray> javaSide, boolean sparse, boolean classes, Criteria criteria,
                                    java.util.Set<Integer> excludedRows, java.util.Set<Integer> swappedRows) throws OrtException {
        int n = maxSamples <= 0 ? split.size() : Math.min(maxSamples, split.size());
        int bs = Math.max(1, batchSize);
        Stats st = new Stats();
        st.excluded = excludedRows;
        st.swappedRows = swappedRows;
        int[] order = BatchOrder.permutation(n, 0, 0, false);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        for (int b = 0; b < BatchOrder.batches(n, bs); b++) {
            int[] idx = BatchOrder.batch(order, b, bs);
            float[] java;
            float[] x;
            int width;
            try (NDScope scope = new NDScope()) {
                Batch batch = split.batch(idx, manager);
                x = batch.x().toFloatArray();
                NDArray out = javaSide.apply(batch.x());
                width = (int) out.getShape().get(1);
                java = out.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
            }
            float[] onnx = run(env, ort.session(), outputName, x, idx.length, split.inputDim());
            if (onnx.length != java.length) {
                st.fail = String.format(Locale.ROOT, "the ONNX output '%s' has %d values for %d samples, Java has %d", outputName,
                        onnx.length, idx.length, java.length);
                break;
            }
            st.rowIds = idx;
            st.add(java, onnx, idx.length, width, sparse, classes, criteria.tolerance());
        }
        return st.check(file, outputName, ort.provider(), split.name(), n, sparse, classes, criteria);
    }

    /** One ORT call on a row-major float batch; returns the named output flattened. */
    public static float[] run(OrtEnvironment env, OrtSession session, String outputName, float[] x, int rows, int cols) throws OrtException {
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[]{rows, cols});
             OrtSession.Result r = session.run(java.util.Map.of(OnnxModels.INPUT, t))) {
            OnnxTensor out = (OnnxTensor) r.get(outputName).orElseThrow(() -> new IllegalStateException("no output " + outputName));
            FloatBuffer fb = out.getFloatBuffer();
            float[] v = new float[fb.remaining()];
            fb.get(v);
            return v;
        }
    }

    /** Running comparison figures. */
    public static final class Stats {
        double maxAbs;
        double maxRel;
        long rows;
        long sameSets;
        int ties;
        /** Entries whose values two units exchanged (rank-dependent operators at near-equal activations). */
        long swaps;
        /** Rows left out of the max |diff| (see verify), counted in {@link #swaps} for dense outputs. */
        java.util.Set<Integer> excluded = java.util.Set.of();
        /** Collects the ids of rows with exchanged entries. */
        java.util.Set<Integer> swappedRows = new java.util.HashSet<>();
        /** Sample ids of the rows of the current batch (null: positions). */
        int[] rowIds;
        long sameClass;
        String fail;

        public void add(float[] java, float[] onnx, int n, int width, boolean sparse, boolean classes, double tol) {
            for (int r = 0; r < n; r++) {
                int off = r * width;
                int id = rowIds == null ? r : rowIds[r];
                if (excluded.contains(id)) {
                    swaps++;
                    continue;
                }
                for (int i = off; i < off + width; i++) {
                    double d = Math.abs(java[i] - onnx[i]);
                    if (Double.isNaN(d)) {
                        d = Double.POSITIVE_INFINITY;
                    }
                    if (d > tol && sparse && swapped(java, onnx, off, width, i, tol)) {
                        // Two units of (nearly) equal activation exchanged ranks under rounding: a tie, not an error.
                        swaps++;
                        swappedRows.add(id);
                        continue;
                    }
                    maxAbs = Math.max(maxAbs, d);
                    maxRel = Math.max(maxRel, d / Math.max(Math.abs(java[i]), 1e-3));
                }
            }
            for (int r = 0; r < n; r++) {
                int off = r * width;
                if (sparse) {
                    int verdict = activeSets(java, onnx, off, width, Math.max(tol, 1e-5));
                    if (verdict >= 0) {
                        sameSets++;
                    }
                    if (verdict == 1) {
                        ties++;
                    }
                }
                if (classes && argMax(java, off, width) == argMax(onnx, off, width)) {
                    sameClass++;
                }
            }
            rows += n;
        }

        /**
         * -1: sets differ; 0: same; 1: differ only in ties. A unit active on one side only is a tie when its value
         * is within {@code tieTol} of zero (a ReLU or soft threshold crossed by rounding) or of both sides' smallest
         * active value (two units of equal value competing for the last top-k place).
         */
        static int activeSets(float[] a, float[] b, int off, int width, double tieTol) {
            float minA = Float.MAX_VALUE;
            float minB = Float.MAX_VALUE;
            boolean differ = false;
            for (int j = off; j < off + width; j++) {
                if (a[j] != 0) {
                    minA = Math.min(minA, Math.abs(a[j]));
                }
                if (b[j] != 0) {
                    minB = Math.min(minB, Math.abs(b[j]));
                }
                differ |= (a[j] != 0) != (b[j] != 0);
            }
            if (!differ) {
                return 0;
            }
            for (int j = off; j < off + width; j++) {
                if ((a[j] != 0) != (b[j] != 0)) {
                    float v = a[j] != 0 ? Math.abs(a[j]) : Math.abs(b[j]);
                    float min = a[j] != 0 ? minA : minB;
                    float other = a[j] != 0 ? minB : minA;
                    boolean atZero = v <= tieTol;
                    boolean atTopK = Math.abs(v - min) <= tieTol && Math.abs(v - other) <= tieTol;
                    if (!atZero && !atTopK) {
                        return -1;
                    }
                }
            }
            return 1;
        }

        /**
         * Whether entry i's mismatch is an exchange with another unit j of the same row: Java's value at i is
         * ONNX's at j and vice versa (within tol), as when two nearly equal activations swap ranks in an operator
         * whose output depends on the rank (a weighted top-k window).
         */
        static boolean swapped(float[] java, float[] onnx, int off, int width, int i, double tol) {
            for (int j = off; j < off + width; j++) {
                if (j != i && Math.abs(java[i] - onnx[j]) <= tol && Math.abs(java[j] - onnx[i]) <= tol
                        && Math.abs(java[j] - onnx[j]) > tol) {
                    return true;
                }
            }
            return false;
        }

        static int argMax(float[] v, int off, int width) {
            int best = off;
            for (int j = off + 1; j < off + width; j++) {
                if (v[j] > v[best]) {
                    best = j;
                }
            }
            return best - off;
        }

        public OnnxCheck check(String file, String output, String provider, String split, int n, boolean sparse, boolean classes, Criteria c) {
            Double sets = sparse && rows > 0 ? sameSets / (double) rows : null;
            Double cls = classes && rows > 0 ? sameClass / (double) rows : null;
            StringBuilder why = new StringBuilder();
            if (fail != null) {
                why.append(fail);
            }
            if (!(maxAbs <= c.tolerance())) {
                why.append(String.format(Locale.ROOT, "max |java - onnx| = %.3g exceeds %.3g; ", maxAbs, c.tolerance()));
            }
            if (sets != null && sets < c.minActiveSetAgreement()) {
                why.append(String.format(Locale.ROOT, "active sets agree on %.4f of samples, below %.4f; ", sets, c.minActiveSetAgreement()));
            }
            if (cls != null && cls < c.minClassAgreement()) {
                why.append(String.format(Locale.ROOT, "predicted classes agree on %.4f of samples, below %.4f; ", cls, c.minClassAgreement()));
            }
            boolean passed = why.length() == 0;
            return new OnnxCheck(file, output, provider, split, n, maxAbs, maxRel, sets, ties, cls, c.tolerance(), passed,
                    passed ? null : why.toString().replaceAll("; $", ""), swaps);
        }
    }
}

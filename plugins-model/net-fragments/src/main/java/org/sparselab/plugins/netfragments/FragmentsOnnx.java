package org.sparselab.plugins.netfragments;

import org.sparselab.api.onnx.OnnxGraph;
import org.sparselab.api.onnx.OnnxOps;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXRef;

import java.util.List;
import java.util.Map;

/**
 * Inference of S1 + S2 unrolled over the timesteps as an ONNX graph (fixed-threshold mode): the convolutions are
 * dense here (ONNX Runtime has no sparse scatter), the alternative choice is an ArgMax (first index on ties, as
 * the Java code), the output the final step merged over alternatives, {@code [batch, 4·1024]}.
 */
final class FragmentsOnnx {

    private FragmentsOnnx() {
    }

    static ONNXRef<?> encoder(OnnxGraph g, ONNXRef<?> x, NetFragments net, S2Activation act, double[] gammas) {
        ONNXContext ctx = g.context();
        int size = NetFragments.SIZE;
        int f = S1Filters.CHANNELS;
        LateralLayer s2 = net.s2();
        int a = s2.alternatives();
        int cells = s2.cells();
        int k = LateralLayer.KERNEL;
        int taps = LateralLayer.TAPS;

        ONNXNode img = g.reshape(x, -1, 1, size, size);
        float[][] kernels = net.s1().kernels();
        float[] k1 = new float[f * 25];
        for (int c = 0; c < f; c++) {
            System.arraycopy(kernels[c], 0, k1, c * 25, 25);
        }
        ONNXInitializer s1w = ctx.floatTensor("s1_kernels", List.of(f, 1, 5, 5), fb -> fb.put(k1));
        ONNXNode resp = g.conv2d(img, s1w, 2);
        ONNXNode features = switch (net.s1().activation()) {
            case THRESHOLD -> resp.apply(ONNXOperators.GREATER, g.scalar("zero", 0f)).cast(float.class);
            case RELU -> g.relu(resp);
            case BERNOULLI -> throw new IllegalStateException("Bernoulli S1 has no deterministic export");
        };
        ONNXNode binary = features.apply(ONNXOperators.GREATER, g.scalar("half", 0.5f)).cast(float.class);

        // W [cells, (4 + cells)·121] split into the feature part and the recurrent part, as conv kernels
        float[] w = s2.weights();
        int patch = s2.patchSize();
        float[] wf = new float[cells * f * taps];
        float[] wfOn = new float[wf.length];
        float[] wz = new float[cells * cells * taps];
        float[] onCount = new float[cells];
        for (int co = 0; co < cells; co++) {
            System.arraycopy(w, co * patch, wf, co * f * taps, f * taps);
            System.arraycopy(w, co * patch + f * taps, wz, co * cells * taps, cells * taps);
            for (int d = 0; d < patch; d++) {
                onCount[co] += w[co * patch + d] > 0 ? 1 : 0;
            }
        }
        for (int i = 0; i < wf.length; i++) {
            wfOn[i] = wf[i] > 0 ? 1f : 0f;
        }
        ONNXInitializer wF = ctx.floatTensor("s2_w_features", List.of(cells, f, k, k), fb -> fb.put(wf));
        ONNXInitializer wFOn = ctx.floatTensor("s2_w_features_on", List.of(cells, f, k, k), fb -> fb.put(wfOn));
        ONNXInitializer wZ = ctx.floatTensor("s2_w_cells", List.of(cells, cells, k, k), fb -> fb.put(wz));
        ONNXInitializer counts = ctx.floatTensor("s2_on_count", List.of(1, cells, 1, 1), fb -> fb.put(onCount));

        int pad = LateralLayer.LOCALITY;
        ONNXNode fromFeatures = g.conv2d(binary, wF, pad);
        // alternative choice at t = 0: argmax over alternatives of 3·both - |w| (|x| is common to all alternatives)
        ONNXNode both = g.conv2d(binary, wFOn, pad);
        ONNXNode score = g.sub(g.mul(both, g.scalar("three", 3f)), counts);
        ONNXNode best = ctx.operation(OnnxOps.ARG_MAX, List.of(g.reshape(score, -1, f, a, size, size)), "alt_choice",
                Map.of("axis", 2, "keepdims", 1));
        long[] ids = new long[a];
        for (int i = 0; i < a; i++) {
            ids[i] = i;
        }
        ONNXNode alternatives = g.reshape(ctx.array("alt_ids", ids), 1, 1, a, 1, 1);
        ONNXNode mask = best.apply(OnnxOps.EQUAL, alternatives).cast(float.class);

        ONNXInitializer limit = g.scalar("support_limit", (float) s2.supportLimit());
        ONNXNode z5 = null;
        ONNXNode z = null;
        for (int t = 0; t < net.config().maxTimesteps(); t++) {
            ONNXNode s = t == 0 ? fromFeatures : g.add(fromFeatures, g.conv2d(z, wZ, pad));
            // s below the limit, else limit - (s - limit)/2
            ONNXNode capped = g.sub(s.apply(OnnxOps.MIN, limit), g.mul(g.relu(g.sub(s, limit)), g.scalar("half_excess", 0.5f)));
            ONNXNode masked = g.mul(g.reshape(capped, -1, f, a, size, size), mask);
            ONNXNode max = masked.apply(OnnxOps.REDUCE_MAX, Map.of("axes", new int[]{2, 3, 4}, "keepdims", 1));
            ONNXNode norm = g.div(masked, g.add(max, g.scalar("eps", 1e-10f)));
            ONNXNode powered = norm.apply(ONNXOperators.POW, g.scalar("gamma_" + t, (float) gammas[t]));
            z5 = powered.apply(ONNXOperators.GREATER_OR_EQUAL, g.scalar("theta", (float) act.threshold())).cast(float.class);
            z = g.reshape(z5, -1, cells, size, size);
        }
        ONNXNode merged = z5.apply(OnnxOps.REDUCE_MAX, Map.of("axes", new int[]{2}, "keepdims", 0));
        return g.reshape(merged, -1, (long) f * NetFragments.PIXELS);
    }
}

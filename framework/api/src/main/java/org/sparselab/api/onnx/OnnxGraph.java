package org.sparselab.api.onnx;

import ai.djl.ndarray.NDArray;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXRef;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a model or sparsifier writes its inference computation into: Tribuo's {@link ONNXContext} plus the
 * compound operations sparse coders need, each matching the Java semantics of the framework's operators.
 * Weights become initializers; everything is float32 with a dynamic batch dimension first.
 */
public final class OnnxGraph {
    /** The single default-domain opset every exported graph declares. */
    public static final int OPSET = 13;

    private final ONNXContext ctx;

    public OnnxGraph(ONNXContext ctx) {
        this.ctx = ctx;
    }

    public ONNXContext context() {
        return ctx;
    }

    /** The array's values as a constant tensor of the same shape. */
    public ONNXInitializer weights(String name, NDArray array) {
        float[] v = array.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
        List<Integer> dims = new ArrayList<>();
        for (long d : array.getShape().getShape()) {
            dims.add((int) d);
        }
        return ctx.floatTensor(name, dims, fb -> fb.put(v));
    }

    /** The array, transposed (for {@code x · Wᵀ} with W stored as [out, in]). */
    public ONNXInitializer weightsTransposed(String name, NDArray array) {
        try (NDArray t = array.transpose()) {
            return weights(name, t);
        }
    }

    public ONNXInitializer scalar(String name, float value) {
        return ctx.constant(name, value);
    }

    /** A stride-1 2-D cross-correlation of {@code [N, C, H, W]} with {@code [M, C, kH, kW]}, zero padding {@code pad} on every side. */
    public ONNXNode conv2d(ONNXRef<?> x, ONNXRef<?> weights, int pad) {
        return ctx.operation(OnnxOps.CONV, List.of(x, weights), "conv", Map.of("pads", new int[]{pad, pad, pad, pad}));
    }

    public ONNXNode matMul(ONNXRef<?> a, ONNXRef<?> b) {
        return a.apply(OnnxOps.MATMUL, b);
    }

    public ONNXNode add(ONNXRef<?> a, ONNXRef<?> b) {
        return a.apply(ONNXOperators.ADD, b);
    }

    public ONNXNode sub(ONNXRef<?> a, ONNXRef<?> b) {
        return a.apply(ONNXOperators.SUB, b);
    }

    public ONNXNode mul(ONNXRef<?> a, ONNXRef<?> b) {
        return a.apply(ONNXOperators.MUL, b);
    }

    public ONNXNode div(ONNXRef<?> a, ONNXRef<?> b) {
        return a.apply(ONNXOperators.DIV, b);
    }

    public ONNXNode relu(ONNXRef<?> a) {
        return a.apply(OnnxOps.RELU);
    }

    /** Elementwise max(a, c). */
    public ONNXNode maximum(ONNXRef<?> a, float c) {
        return a.apply(OnnxOps.MAX, scalar("max_floor", c));
    }

    /** x / max(||x||₂ per row, eps), as the models' input normalisation. */
    public ONNXNode l2NormalizeRows(ONNXRef<?> x, float eps) {
        ONNXNode norm = x.apply(OnnxOps.REDUCE_L2, Map.of("axes", new int[]{1}, "keepdims", 1));
        return div(x, maximum(norm, eps));
    }

    /** The k-th largest value of each row, {@code [batch, 1]} (TopK values, then their minimum). */
    public ONNXNode kthLargest(ONNXRef<?> a, int k) {
        return kthLargest(a, k, 1);
    }

    /** The k-th largest value along {@code axis}, that axis kept with size 1 (for groups, e.g. stripes {@code [batch, S, D]}). */
    public ONNXNode kthLargest(ONNXRef<?> a, int k, int axis) {
        ONNXInitializer kk = ctx.array("topk_k", new long[]{k});
        List<ONNXNode> top = ctx.operation(OnnxOps.TOPK, List.of(a, kk), List.of("topk_values", "topk_indices"),
                Map.of("axis", axis, "largest", 1, "sorted", 0));
        return top.get(0).apply(ONNXOperators.REDUCE_MIN, Map.of("axes", new int[]{axis}, "keepdims", 1));
    }

    /**
     * Keeps, per row, the entries at least as large as the row's k-th largest value and zeroes the rest (the
     * {@code topk} sparsifier's mask form; ties at the threshold are kept, as in Java).
     */
    public ONNXNode topKMask(ONNXRef<?> a, int k) {
        return topKMask(a, k, 1);
    }

    /** {@link #topKMask(ONNXRef, int)} along {@code axis}: the k largest of every slice along that axis survive. */
    public ONNXNode topKMask(ONNXRef<?> a, int k, int axis) {
        ONNXNode keep = a.apply(ONNXOperators.GREATER_OR_EQUAL, kthLargest(a, k, axis));
        return ctx.operation(ONNXOperators.WHERE, List.of(keep, a, scalar("zero", 0f)), "topk_masked");
    }

    /** Non-negative soft threshold: max(a - theta, 0), theta a scalar or a broadcastable tensor. */
    public ONNXNode softThreshold(ONNXRef<?> a, ONNXRef<?> theta) {
        return relu(sub(a, theta));
    }

    /** Signed soft threshold (the shrinkage of ISTA/LISTA): sign(a) · max(|a| - theta, 0). */
    public ONNXNode softThresholdSigned(ONNXRef<?> a, ONNXRef<?> theta) {
        return mul(a.apply(OnnxOps.SIGN), relu(sub(a.apply(OnnxOps.ABS), theta)));
    }

    /** The tensor with a new shape ({@code -1} once for an inferred dimension, {@code 0} to copy one), e.g. {@code [batch, S, D]}. */
    public ONNXNode reshape(ONNXRef<?> a, long... shape) {
        return a.apply(OnnxOps.RESHAPE, ctx.array("shape", shape));
    }

    /**
     * Per row, the {@code w.length} largest entries, the r-th largest multiplied by {@code w[r]}, written back
     * at their positions; every other entry 0 (TopK sorted, Mul, ScatterElements into zeros). A top-k mask
     * whose last ranks are weighted, as the learned-k sigmoid window.
     */
    public ONNXNode topKRankWeighted(ONNXRef<?> a, float[] w) {
        ONNXInitializer kk = ctx.array("topk_k", new long[]{w.length});
        List<ONNXNode> top = ctx.operation(OnnxOps.TOPK, List.of(a, kk), List.of("topk_values", "topk_indices"),
                Map.of("axis", 1, "largest", 1, "sorted", 1));
        ONNXInitializer weights = ctx.floatTensor("rank_weights", List.of(1, w.length), fb -> fb.put(w));
        ONNXNode weighted = mul(top.get(0), weights);
        ONNXNode zeros = mul(a, scalar("zero", 0f));
        return ctx.operation(OnnxOps.SCATTER_ELEMENTS, List.of(zeros, top.get(1), weighted), "rank_weighted", Map.of("axis", 1));
    }
}

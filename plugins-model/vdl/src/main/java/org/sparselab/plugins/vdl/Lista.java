package org.sparselab.plugins.vdl;

import ai.djl.ndarray.NDArray;
import org.sparselab.api.onnx.OnnxGraph;
import org.tribuo.util.onnx.ONNXRef;

/**
 * The LISTA encoder of §1, shared by the VDL model and the supervised LISTA classifier: B = y W + b; Z⁰ = ReLU(B);
 * Zᵏ = ReLU(B + Zᵏ⁻¹ S) for k = 1..K, in Java (DJL) and as an ONNX graph.
 */
final class Lista {

    private Lista() {
    }

    static NDArray forward(NDArray y, NDArray w, NDArray b, NDArray s, int iterations) {
        NDArray bias = y.matMul(w).add(b);
        NDArray z = bias.maximum(0f);
        for (int k = 0; k < iterations; k++) {
            z = bias.add(z.matMul(s)).maximum(0f);
        }
        return z;
    }

    /** The same, unrolled: K + 1 ReLUs, K products with S. */
    static ONNXRef<?> onnx(OnnxGraph g, ONNXRef<?> x, NDArray w, NDArray b, NDArray s, int iterations) {
        ONNXRef<?> bias = g.add(g.matMul(x, g.weights("lista_w", w)), g.weights("lista_b", b));
        ONNXRef<?> z = g.relu(bias);
        if (iterations > 0) {
            ONNXRef<?> sw = g.weights("lista_s", s);
            for (int k = 0; k < iterations; k++) {
                z = g.relu(g.add(bias, g.matMul(z, sw)));
            }
        }
        return z;
    }
}

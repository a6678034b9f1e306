package org.sparselab.plugins.topk;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.onnxruntime.OrtEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparselab.api.Mode;
import org.sparselab.api.onnx.OnnxGraph;
import org.sparselab.api.sparsity.SparsifierContext;
import org.sparselab.api.sparsity.SparsityOp;
import org.sparselab.core.onnx.OnnxModels;
import org.sparselab.core.onnx.OnnxVerifier;
import org.sparselab.core.onnx.OrtSessions;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXPlaceholder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spec sdm.md §10 checks 16 and 17: Top-K modes, the GABA switch and the k schedules. */
class TopKVariantsTest {

    private static SparsifierContext ctx(NDManager m, int units) {
        return new SparsifierContext(units, m, 1, 200, 32);
    }

    private static NDArray positive(NDManager m, int rows, int units) {
        // distinct positive values: no ties
        return m.randomUniform(0.01f, 1f, new Shape(rows, units)).add(m.arange(units).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).mul(1e-6f));
    }

    private static long[] positivesPerRow(NDArray out) {
        return out.gt(0).sum(new int[]{1}).toLongArray();
    }

    @Test
    void maskKeepsExactlyKAndSubtractKeepsKMinusOne() {
        Engine.getInstance().setRandomSeed(1);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = positive(m, 16, 100);
            SparsityOp mask = new TopKSparsifier().create(new TopKSparsifier.Config(7, null, "mask", null, null), ctx(m, 100));
            SparsityOp sub = new TopKSparsifier().create(new TopKSparsifier.Config(7, null, "subtract", null, null), ctx(m, 100));
            for (long c : positivesPerRow(mask.apply(a, Mode.TRAIN))) {
                assertEquals(7, c);
            }
            for (long c : positivesPerRow(sub.apply(a, Mode.TRAIN))) {
                assertTrue(c <= 6, "subtract keeps at most k - 1: " + c);
            }
        }
    }

    @Test
    void stripesCheck14OrdinaryLayerModeKeepsKOrFewerWhenFewerArePositive() {
        // netfragments-stripes.md check 14 (the modular-stripes model's layer_sparsity_mode = ordinary is this op)
        try (NDManager m = NDManager.newBaseManager()) {
            SparsityOp op = new TopKSparsifier().create(new TopKSparsifier.Config(4, null, "mask", null, null), ctx(m, 10));
            NDArray many = m.create(new float[]{0.1f, 0.9f, 0.3f, 0.7f, 0.5f, 0.2f, 0.8f, 0.4f, 0.6f, 0.05f}, new Shape(1, 10));
            assertEquals(4, positivesPerRow(op.apply(many, Mode.TRAIN))[0]);
            NDArray few = m.create(new float[]{0, 0.9f, 0, 0, 0.5f, 0, 0, 0, 0, 0}, new Shape(1, 10));
            NDArray out = op.apply(few, Mode.TRAIN);
            assertEquals(2, positivesPerRow(out)[0], "fewer than k positive: the zeros pass the tie but stay zero");
            assertEquals(0.9f, out.getFloat(0, 1));
        }
    }

    @Test
    void gammaIsMinusOneZeroOneAtZeroHalfAndFullThreshold() {
        try (NDManager m = NDManager.newBaseManager()) {
            GabaSwitchSparsifier.Op op = (GabaSwitchSparsifier.Op) new GabaSwitchSparsifier()
                    .create(new GabaSwitchSparsifier.Config(1, 100.0, null, null, null), ctx(m, 3));
            op.state().get("counts").set(new float[]{0, 50, 100});
            float[] g = op.gamma().toFloatArray();
            assertEquals(-1f, g[0], 1e-6);
            assertEquals(0f, g[1], 1e-6);
            assertEquals(1f, g[2], 1e-6);
        }
    }

    @Test
    void gabaIsExactTopKWhenSwitchedAndExcitesEveryNeuronWhenNew() {
        Engine.getInstance().setRandomSeed(2);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = positive(m, 16, 50);
            GabaSwitchSparsifier.Op fresh = (GabaSwitchSparsifier.Op) new GabaSwitchSparsifier()
                    .create(new GabaSwitchSparsifier.Config(5, 1000.0, null, null, null), ctx(m, 50));
            NDArray out0 = fresh.apply(a, Mode.INFERENCE);
            NDArray h = a.topK(6, -1, true, true).get(0).get(":, 5:6");
            // γ = −1: every neuron outputs ReLU(a) + h >= h > 0
            assertTrue(out0.sub(a.add(h)).abs().max().getFloat() < 1e-5);
            for (long c : positivesPerRow(out0)) {
                assertEquals(50, c);
            }
            fresh.state().get("counts").set(new float[50]);
            fresh.state().get("counts").addi(1000f);
            for (long c : positivesPerRow(fresh.apply(a, Mode.INFERENCE))) {
                assertEquals(5, c, "counters >= T: exact top-k with k survivors (h is the (k+1)-th value)");
            }
        }
    }

    @Test
    void countersMoveOnlyInTraining() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = positive(m, 8, 20);
            SparsityOp bin = new GabaSwitchSparsifier().create(new GabaSwitchSparsifier.Config(3, 1e6, "binary", null, null), ctx(m, 20));
            bin.apply(a, Mode.INFERENCE);
            assertEquals(0f, bin.state().get("counts").sum().getFloat());
            NDArray out = bin.apply(a, Mode.TRAIN);
            assertEquals(out.gt(0).sum().getLong(), (long) bin.state().get("counts").sum().getFloat());
            SparsityOp sum = new GabaSwitchSparsifier().create(new GabaSwitchSparsifier.Config(3, 1e6, "summed", null, null), ctx(m, 20));
            NDArray o2 = sum.apply(a, Mode.TRAIN);
            assertEquals(o2.sum().getFloat(), sum.state().get("counts").sum().getFloat(), 1e-3);
        }
    }

    @Test
    void kSchedulesFollowTheSpec() {
        KSchedule lin = new KSchedule("linear_decay", 10, 1000, 100);
        assertEquals(1000, lin.k(0));
        assertEquals(505, lin.k(50));
        assertEquals(10, lin.k(100));
        assertEquals(10, lin.k(500));
        KSchedule exp = new KSchedule("exp_decay", 10, 1000, 100);
        assertEquals(1000, exp.k(0));
        assertEquals(100, exp.k(50));
        assertEquals(10, exp.k(100));
        assertEquals(10, new KSchedule("flat", 10, 1000, 100).k(77));
        try (NDManager m = NDManager.newBaseManager()) {
            TopKSparsifier.Op op = (TopKSparsifier.Op) new TopKSparsifier().create(
                    new TopKSparsifier.Config(10, null, null, "linear_decay", 100.0), ctx(m, 1000));
            assertEquals(1000, op.currentK());
            for (int e = 0; e < 50; e++) {
                op.onEpochEnd(e);
            }
            assertEquals(505, op.currentK(), "the epoch counter advances at each epoch end");
            assertEquals(505.0, op.stats().get("k"));
        }
    }

    @Test
    void dropoutScalesInTrainingAndIsIdentityAtInference() {
        Engine.getInstance().setRandomSeed(9);
        try (NDManager m = NDManager.newBaseManager()) {
            SparsityOp d = new DropoutSparsifier().create(new DropoutSparsifier.Config(0.25), ctx(m, 1000));
            NDArray a = m.ones(new Shape(64, 1000));
            NDArray t = d.apply(a, Mode.TRAIN);
            double zero = t.eq(0f).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).mean().getFloat();
            assertEquals(0.25, zero, 0.01);
            assertEquals(1.0, t.mean().getFloat(), 0.02, "inverted dropout keeps the expected value");
            assertEquals(64000f, d.apply(a, Mode.INFERENCE).sum().getFloat());
        }
    }

    @Test
    void onnxFormsMatchJava(@TempDir Path dir) throws Exception {
        Engine.getInstance().setRandomSeed(3);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(32, 40));
            NDArray counts = m.randomUniform(0, 200, new Shape(40));
            SparsityOp[] ops = {
                    new TopKSparsifier().create(new TopKSparsifier.Config(6, null, "mask", null, null), ctx(m, 40)),
                    new TopKSparsifier().create(new TopKSparsifier.Config(6, null, "subtract", null, null), ctx(m, 40)),
                    new GabaSwitchSparsifier().create(new GabaSwitchSparsifier.Config(6, 100.0, null, null, null), ctx(m, 40)),
                    new LearnedBiasSparsifier().create(new LearnedBiasSparsifier.Config(-0.3), ctx(m, 40))};
            ops[2].state().get("counts").set(counts.toFloatArray());
            int i = 0;
            for (SparsityOp op : ops) {
                ONNXContext c = new ONNXContext();
                ONNXPlaceholder in = c.floatInput("input", 40);
                op.onnx(new OnnxGraph(c), in).orElseThrow().assignTo(c.floatOutput("code", 40));
                Path f = dir.resolve("op" + (i++) + ".onnx");
                Files.write(f, OnnxModels.wrap(c.buildGraph(), Map.of()).toByteArray());
                try (OrtSessions.Opened ort = OrtSessions.open(f, false)) {
                    float[] onnx = OnnxVerifier.run(OrtEnvironment.getEnvironment(), ort.session(), "code", x.toFloatArray(), 32, 40);
                    float[] java = op.apply(x, Mode.INFERENCE).toFloatArray();
                    for (int j = 0; j < java.length; j++) {
                        assertEquals(java[j], onnx[j], 1e-5, "op " + (i - 1) + " entry " + j);
                    }
                }
            }
        }
    }
}

package org.sparselab.plugins.topk;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.onnxruntime.OrtEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparselab.api.Mode;
import org.sparselab.api.onnx.OnnxGraph;
import org.sparselab.api.sparsity.SparsifierChain;
import org.sparselab.api.sparsity.SparsifierContext;
import org.sparselab.api.sparsity.SparsityOp;
import org.sparselab.api.train.ParameterSet;
import org.sparselab.core.onnx.OnnxModels;
import org.sparselab.core.onnx.OnnxVerifier;
import org.sparselab.core.onnx.OrtSessions;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXPlaceholder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spec sdm.md §1.6 LEARN_K_SIGMOID and LEARN_K_REINFORCE. */
class LearnedKTest {

    private static SparsifierContext ctx(NDManager m, int units) {
        return new SparsifierContext(units, m, 1, 10, 32);
    }

    private static NDArray distinctPositive(NDManager m, int rows, int units) {
        return m.randomUniform(0.01f, 1f, new Shape(rows, units))
                .add(m.arange(units).toType(DataType.FLOAT32, false).mul(1e-6f));
    }

    @Test
    void sigmoidWindowFollowsTheOriginalsFormula() {
        // N = 100, window 10%: k0 = 10.1, k = 10, window ranks [5, 15), weights 1 - σ(linspace(-10, 10, 10) - 0.1).
        LearnedKSigmoidSparsifier.Window w = LearnedKSigmoidSparsifier.Window.of(10, 100, 10);
        assertEquals(15, w.high());
        assertEquals(10, w.allowed());
        assertEquals(5, w.below());
        float[] v = LearnedKSigmoidSparsifier.Op.rankWeightsValues(w, 10.1);
        assertEquals(15, v.length);
        for (int i = 0; i < 5; i++) {
            assertEquals(1f, v[i]);
        }
        for (int i = 0; i < 10; i++) {
            double s = -10 + 20.0 * i / 9;
            assertEquals(1 - 1 / (1 + Math.exp(-(s - 0.1))), v[5 + i], 1e-6);
        }
        // Clipped at the top: k near N leaves ranks up to N - 1.
        LearnedKSigmoidSparsifier.Window top = LearnedKSigmoidSparsifier.Window.of(98, 100, 10);
        assertEquals(99, top.high());
        assertEquals(93, top.high() - top.allowed());
        assertEquals(1, top.above());
    }

    @Test
    void sigmoidOpKeepsTheTopRanksAndGivesKAGradient() {
        Engine.getInstance().setRandomSeed(5);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = distinctPositive(m, 8, 100);
            LearnedKSigmoidSparsifier.Op op = (LearnedKSigmoidSparsifier.Op) new LearnedKSigmoidSparsifier()
                    .create(new LearnedKSigmoidSparsifier.Config(10.0, null, null), ctx(m, 100));
            NDArray out = op.apply(a, Mode.TRAIN);
            float[] rowA = a.get(0).toFloatArray();
            float[] rowO = out.get(0).toFloatArray();
            Integer[] order = new Integer[100];
            for (int i = 0; i < 100; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, (p, q) -> Float.compare(rowA[q], rowA[p]));
            float[] w = LearnedKSigmoidSparsifier.Op.rankWeightsValues(op.window(), op.k());
            for (int r = 0; r < 100; r++) {
                float expected = r < w.length ? rowA[order[r]] * w[r] : 0f;
                assertEquals(expected, rowO[order[r]], 1e-6, "rank " + r);
            }
            // Gradient reaches k0: more active mass is rewarded when the loss is -sum(out).
            ParameterSet params = new ParameterSet();
            new SparsifierChain(List.of(new SparsifierChain.Link("hidden.0.learned-k-sigmoid", op))).addTrainableTo(params);
            assertEquals(10.0, params.entries().get(0).lrScale());
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(op.apply(a, Mode.TRAIN).sum().neg());
            }
            float g = op.trainable().get("k").getGradient().getFloat();
            assertTrue(g < 0, "raising k lowers -sum(out): gradient " + g);
        }
    }

    @Test
    void reinforceSamplesAKPerExampleAndIsDeterministicAtInference() {
        Engine.getInstance().setRandomSeed(7);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = distinctPositive(m, 64, 200);
            SparsityOp op = new LearnedKReinforceSparsifier()
                    .create(new LearnedKReinforceSparsifier.Config(2.5, 0.5, null, null), ctx(m, 200));
            long[] counts = op.apply(a, Mode.TRAIN).gt(0).sum(new int[]{1}).toLongArray();
            long min = Long.MAX_VALUE;
            long max = 0;
            for (long c : counts) {
                assertTrue(c >= 1 && c <= 200);
                min = Math.min(min, c);
                max = Math.max(max, c);
            }
            assertNotEquals(min, max, "each example draws its own k");
            int k = (int) Math.round(Math.exp(2.5));
            for (long c : op.apply(a, Mode.INFERENCE).gt(0).sum(new int[]{1}).toLongArray()) {
                assertEquals(k, c);
            }
        }
    }

    @Test
    void reinforceGradientPushesMuTowardsTheCheaperK() {
        // Loss of example i = its number of active units: smaller k is cheaper, so the REINFORCE gradient on μ is
        // positive (a descent step lowers μ). The original's undetached sample would give exactly 0 here.
        Engine.getInstance().setRandomSeed(11);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = distinctPositive(m, 512, 300);
            LearnedKReinforceSparsifier.Op op = (LearnedKReinforceSparsifier.Op) new LearnedKReinforceSparsifier()
                    .create(new LearnedKReinforceSparsifier.Config(3.0, 0.5, null, true), ctx(m, 300));
            NDArray stats = op.trainable().get("log_k_stats");
            stats.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray out = op.apply(a, Mode.TRAIN);
                NDArray perExample = out.gt(0).toType(DataType.FLOAT32, false).sum(new int[]{1});
                NDArray aux = op.auxiliaryLoss(() -> perExample).orElseThrow();
                gc.backward(aux);
            }
            float gMu = stats.getGradient().getFloat(0);
            assertTrue(gMu > 0, "dLoss/dμ should be positive, was " + gMu);
            // Outside training there is no auxiliary term.
            op.apply(a, Mode.INFERENCE);
            assertTrue(op.auxiliaryLoss(() -> a).isEmpty());
        }
    }

    @Test
    void onnxFormsMatchJava(@TempDir Path dir) throws Exception {
        Engine.getInstance().setRandomSeed(3);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(32, 60));
            SparsityOp[] ops = {
                    new LearnedKSigmoidSparsifier().create(new LearnedKSigmoidSparsifier.Config(12.0, 0.2, null), ctx(m, 60)),
                    new LearnedKReinforceSparsifier().create(new LearnedKReinforceSparsifier.Config(2.0, null, null, null), ctx(m, 60))};
            ops[0].state().get("k").set(new float[]{12.37f});
            int i = 0;
            for (SparsityOp op : ops) {
                ONNXContext c = new ONNXContext();
                ONNXPlaceholder in = c.floatInput("input", 60);
                op.onnx(new OnnxGraph(c), in).orElseThrow().assignTo(c.floatOutput("code", 60));
                Path f = dir.resolve("op" + (i++) + ".onnx");
                Files.write(f, OnnxModels.wrap(c.buildGraph(), Map.of()).toByteArray());
                try (OrtSessions.Opened ort = OrtSessions.open(f, false)) {
                    float[] onnx = OnnxVerifier.run(OrtEnvironment.getEnvironment(), ort.session(), "code", x.toFloatArray(), 32, 60);
                    float[] java = op.apply(x, Mode.INFERENCE).toFloatArray();
                    for (int j = 0; j < java.length; j++) {
                        assertEquals(java[j], onnx[j], 1e-5, "op " + (i - 1) + " entry " + j);
                    }
                }
            }
        }
    }
}

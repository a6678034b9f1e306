package org.sparselab.plugins.stripes;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparselab.api.Mode;
import org.sparselab.api.Task;
import org.sparselab.api.data.Batch;
import org.sparselab.api.model.StepOutput;
import org.sparselab.api.model.TrainableModel;
import org.sparselab.api.sparsity.SparsifierChain;
import org.sparselab.api.sparsity.SparsifierContext;
import org.sparselab.api.sparsity.SparsityOp;
import org.sparselab.api.train.OptimizerSpec;
import org.sparselab.api.train.ParameterSet;
import org.sparselab.core.train.DjlUpdater;
import org.sparselab.core.train.ModelStore;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spec netfragments-stripes.md checks 15-20, in faithful and corrected behaviour where they differ. */
class StripesChecksTest {
    private static final int S = 6;
    private static final int D = 4;

    private static SparsifierContext ctx(NDManager m, int units) {
        return new SparsifierContext(units, m, 1, 20, 8);
    }

    /** Distinct positive activations. */
    private static NDArray positive(NDManager m, int rows, int units) {
        return m.randomUniform(0.05f, 1f, new Shape(rows, units))
                .add(m.arange(units).toType(DataType.FLOAT32, false).mul(1e-5f));
    }

    private static StripesSparsifier.Op stripes(NDManager m, String gate, int k, double p, double q, String behaviour, Integer gateIn) {
        return (StripesSparsifier.Op) new StripesSparsifier().create(
                new StripesSparsifier.Config(S, k, gate, gateIn, 0.0, p, q, 0.025, behaviour), ctx(m, S * D));
    }

    private static float[][] stripeMeans(NDArray a) {
        int n = (int) a.getShape().get(0);
        float[] v = a.reshape(n, S, D).mean(new int[]{2}).toFloatArray();
        float[][] out = new float[n][S];
        for (int i = 0; i < n; i++) {
            System.arraycopy(v, i * S, out[i], 0, S);
        }
        return out;
    }

    private static Set<Integer> topIdx(float[] v, int k) {
        Integer[] idx = new Integer[v.length];
        for (int i = 0; i < v.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (x, y) -> Float.compare(v[y], v[x]));
        return new HashSet<>(Arrays.asList(idx).subList(0, k));
    }

    @Test
    void check15OrdinaryStripesKeepTheTopKMeansAndRoutingTheTopKScores() {
        Engine.getInstance().setRandomSeed(1);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = positive(m, 16, S * D);
            float[][] in = stripeMeans(a);
            for (String behaviour : List.of("faithful", "corrected")) {
                float[][] out = stripeMeans(stripes(m, "mean", 2, 1.0, 0.0, behaviour, null).apply(a, Mode.TRAIN));
                for (int i = 0; i < 16; i++) {
                    Set<Integer> on = new HashSet<>();
                    for (int j = 0; j < S; j++) {
                        if (out[i][j] != 0) {
                            on.add(j);
                        }
                    }
                    assertEquals(topIdx(in[i], 2), on, behaviour + " sample " + i);
                }
            }
            // routing: scores r = W g + b from the side input
            NDArray g = m.randomNormal(new Shape(16, 5));
            StripesSparsifier.Op routing = stripes(m, "routing", 2, 1.0, 0.0, "faithful", 5);
            NDArray out = routing.apply(a, Mode.TRAIN, Map.of("gate_input", g));
            float[] r = g.matMul(routing.trainable().get("gate_weight").transpose()).add(routing.trainable().get("gate_bias")).toFloatArray();
            float[][] o = stripeMeans(out);
            for (int i = 0; i < 16; i++) {
                Set<Integer> top = topIdx(Arrays.copyOfRange(r, i * S, i * S + S), 2);
                for (int j = 0; j < S; j++) {
                    assertEquals(top.contains(j), o[i][j] != 0, "routing sample " + i + " stripe " + j);
                }
            }
        }
    }

    @Test
    void check16LifetimeStripesKeepEachStripeInAtMostCeilPBSamples() {
        Engine.getInstance().setRandomSeed(2);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = positive(m, 8, S * D);
            for (String behaviour : List.of("faithful", "corrected")) {
                float[][] out = stripeMeans(stripes(m, "mean", S, 0.25, 0.0, behaviour, null).apply(a, Mode.TRAIN));
                for (int j = 0; j < S; j++) {
                    int on = 0;
                    for (int i = 0; i < 8; i++) {
                        on += out[i][j] != 0 ? 1 : 0;
                    }
                    assertEquals(2, on, behaviour + " stripe " + j + " (distinct means: exactly ceil(0.25*8))");
                }
            }
        }
    }

    @Test
    void check17LifetimeLayer() {
        Engine.getInstance().setRandomSeed(3);
        try (NDManager m = NDManager.newBaseManager()) {
            int units = 30;
            NDArray a = positive(m, 8, units);
            // faithful: one set of k units (top batch means) for every sample
            SparsityOp faithful = new LifetimeTopKSparsifier().create(new LifetimeTopKSparsifier.Config(5, "faithful", null), ctx(m, units));
            float[] out = faithful.apply(a, Mode.TRAIN).toFloatArray();
            float[] means = a.mean(new int[]{0}).toFloatArray();
            Set<Integer> top = topIdx(means, 5);
            for (int i = 0; i < 8; i++) {
                for (int u = 0; u < units; u++) {
                    assertEquals(top.contains(u), out[i * units + u] != 0, "sample " + i + " unit " + u);
                }
            }
            // corrected (WTA): each unit fires in ceil(k/units * B) = ceil(5/30*8) = 2 samples of the batch
            SparsityOp wta = new LifetimeTopKSparsifier().create(new LifetimeTopKSparsifier.Config(5, "corrected", null), ctx(m, units));
            float[] w = wta.apply(a, Mode.TRAIN).toFloatArray();
            for (int u = 0; u < units; u++) {
                int on = 0;
                for (int i = 0; i < 8; i++) {
                    on += w[i * units + u] != 0 ? 1 : 0;
                }
                assertEquals(2, on, "unit " + u);
            }
            assertArrayEquals(a.toFloatArray(), wta.apply(a, Mode.INFERENCE).toFloatArray(), "no constraint at inference by default");
        }
    }

    @Test
    void check18BoostedFaithfulFollowsTheRepositoryOnEveryCall() {
        Engine.getInstance().setRandomSeed(4);
        try (NDManager m = NDManager.newBaseManager()) {
            int units = 20;
            BoostedTopKSparsifier.Op op = (BoostedTopKSparsifier.Op) new BoostedTopKSparsifier().create(
                    new BoostedTopKSparsifier.Config(4, null, null, "faithful"), ctx(m, units));
            NDArray a = positive(m, 8, units);
            NDArray first = op.apply(a, Mode.TRAIN);
            NDArray plain = a.mul(Masks.kmask(a, 4, 1));
            assertArrayEquals(plain.toFloatArray(), first.toFloatArray(), "first batch = ordinary top-k");
            float[] n = first.gt(0).toType(DataType.FLOAT32, false).sum(new int[]{0}).toFloatArray();
            float[] duty = op.state().get("duty").toFloatArray();
            float[] boosts = op.boosts().toFloatArray();
            for (int u = 0; u < units; u++) {
                assertEquals(0.8f * n[u], duty[u], 1e-5, "score = 0.8 n");
                assertEquals(Math.exp(-1.2 * 0.8 * n[u]), boosts[u], 1e-5, "boost = exp(-1.2 * 0.8 n) (target int(k/units) = 0)");
            }
            op.apply(a, Mode.INFERENCE);
            assertFalse(Arrays.equals(duty, op.state().get("duty").toFloatArray()), "faithful: evaluation calls update the scores too");

            // corrected: duty is the win fraction, target k/units, frozen at inference
            BoostedTopKSparsifier.Op paper = (BoostedTopKSparsifier.Op) new BoostedTopKSparsifier().create(
                    new BoostedTopKSparsifier.Config(4, 0.5, null, "corrected"), ctx(m, units));
            NDArray out = paper.apply(a, Mode.TRAIN);
            float[] frac = out.gt(0).toType(DataType.FLOAT32, false).mean(new int[]{0}).toFloatArray();
            float[] d2 = paper.state().get("duty").toFloatArray();
            float[] b2 = paper.boosts().toFloatArray();
            for (int u = 0; u < units; u++) {
                assertEquals(0.5f * frac[u], d2[u], 1e-6);
                assertEquals(Math.exp(1.2 * (4.0 / units - d2[u])), b2[u], 1e-5);
            }
            paper.apply(a, Mode.INFERENCE);
            assertArrayEquals(d2, paper.state().get("duty").toFloatArray(), "corrected: frozen at inference");
        }
    }

    @Test
    void check19DistortionFlipsAtRateQAndDecaysPerEpoch() {
        Engine.getInstance().setRandomSeed(5);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray mask = m.zeros(new Shape(400, 50));
            double rate = Masks.distort(mask, 0.4).mean().getFloat();
            assertEquals(0.4, rate, 0.02);
            StripesSparsifier.Op op = stripes(m, "mean", 2, 1.0, 0.4, "faithful", null);
            for (int e = 0; e < 20; e++) {
                op.onEpochEnd(e);
                assertEquals(Math.max(0.4 - 0.025 * (e + 1), 0), op.distortProb(), 1e-6, "after epoch " + e);
            }
            // faithful distorts evaluation too, corrected does not
            NDArray a = positive(m, 64, S * D);
            StripesSparsifier.Op f = stripes(m, "mean", 2, 1.0, 0.4, "faithful", null);
            StripesSparsifier.Op c = stripes(m, "mean", 2, 1.0, 0.4, "corrected", null);
            NDArray clean = stripes(m, "mean", 2, 1.0, 0.0, "corrected", null).apply(a, Mode.INFERENCE);
            assertArrayEquals(clean.toFloatArray(), c.apply(a, Mode.INFERENCE).toFloatArray());
            assertFalse(Arrays.equals(clean.toFloatArray(), f.apply(a, Mode.INFERENCE).toFloatArray()));
            assertTrue(f.onnx(null, null).isEmpty(), "a randomly distorted evaluation has no ONNX form");
        }
    }

    @Test
    void check20RoutingGateGetsOnlyTheL1GradientWhenFaithfulAndLearnsWhenCorrected() {
        for (String behaviour : List.of("faithful", "corrected")) {
            for (double l1 : new double[]{0.0, 0.01}) {
                Engine.getInstance().setRandomSeed(6);
                try (NDManager m = NDManager.newBaseManager()) {
                    StripesSparsifier.Op op = (StripesSparsifier.Op) new StripesSparsifier().create(
                            new StripesSparsifier.Config(S, 2, "routing", 5, l1, 1.0, 0.0, 0.0, behaviour), ctx(m, S * D));
                    NDArray w = op.trainable().get("gate_weight");
                    float[] before = w.toFloatArray();
                    ParameterSet ps = new ParameterSet();
                    new SparsifierChain(List.of(new SparsifierChain.Link("stripes", op))).addTrainableTo(ps);
                    NDArray enc = m.randomNormal(new Shape(S * D, 5));
                    ps.weight("enc", enc);
                    DjlUpdater u = new DjlUpdater(ps, new OptimizerSpec("sgdm", 0.01, 0.9, null, null, null, null, null), 0);
                    NDArray x = m.randomUniform(0, 1, new Shape(8, 5));
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray c = x.matMul(enc.transpose()).maximum(0f);
                        NDArray out = op.apply(c, Mode.TRAIN, Map.of("gate_input", x));
                        NDArray loss = out.sub(0.5f).square().mean();
                        gc.backward(op.auxiliaryLoss(() -> null).map(loss::add).orElse(loss));
                    }
                    u.step();
                    float[] after = w.toFloatArray();
                    if (behaviour.equals("faithful")) {
                        for (int i = 0; i < before.length; i++) {
                            float expected = l1 == 0 ? before[i] : before[i] - 0.01f * (float) l1 * Math.signum(before[i]);
                            assertEquals(expected, after[i], l1 == 0 ? 0f : 1e-7f, behaviour + " l1=" + l1 + " entry " + i);
                        }
                    } else {
                        assertNotEquals(Arrays.toString(before), Arrays.toString(after), "corrected: the gate learns from the reconstruction");
                    }
                }
            }
        }
    }

    @Test
    void boostedAndStripeStateSurviveASaveLoadRoundTrip(@TempDir Path dir) throws Exception {
        Engine.getInstance().setRandomSeed(7);
        try (NDManager m = NDManager.newBaseManager()) {
            SparsifierChain chain = chain(m);
            NDArray a = positive(m, 8, S * D);
            for (int i = 0; i < 3; i++) {
                chain.apply(a, Mode.TRAIN, Map.of("gate_input", m.randomNormal(new Shape(8, 5))));
            }
            chain.onEpochEnd(0);
            Map<String, float[]> saved = new java.util.LinkedHashMap<>();
            chain.state().forEach((k, v) -> saved.put(k, v.toFloatArray()));
            Path file = dir.resolve("model.npz");
            ModelStore.save(file, new NoModel(), Map.of("code", chain));

            SparsifierChain fresh = chain(m);
            assertNotEquals(Arrays.toString(saved.get("boosted.duty")), Arrays.toString(fresh.state().get("boosted.duty").toFloatArray()));
            ModelStore.load(file, new NoModel(), Map.of("code", fresh), m);
            fresh.state().forEach((k, v) -> assertArrayEquals(saved.get(k), v.toFloatArray(), k));
            assertEquals(Set.of("boosted.duty", "stripes.distort_prob", "stripes.gate_weight", "stripes.gate_bias"), fresh.state().keySet());
        }
    }

    private static SparsifierChain chain(NDManager m) {
        SparsityOp boosted = new BoostedTopKSparsifier().create(new BoostedTopKSparsifier.Config(6, 0.3, null, "corrected"), ctx(m, S * D));
        SparsityOp stripes = new StripesSparsifier().create(new StripesSparsifier.Config(S, 2, "routing", 5, 0.0, 0.5, 0.3, 0.025, "corrected"),
                ctx(m, S * D));
        return new SparsifierChain(List.of(new SparsifierChain.Link("boosted", boosted), new SparsifierChain.Link("stripes", stripes)));
    }

    /** A model without state of its own, so that only the sparsifiers' state goes through the store. */
    private static final class NoModel implements TrainableModel {
        @Override
        public Task task() {
            return Task.NONE;
        }

        @Override
        public int codeSize() {
            return 0;
        }

        @Override
        public StepOutput trainStep(Batch batch) {
            throw new UnsupportedOperationException();
        }

        @Override
        public StepOutput evaluate(Batch batch) {
            throw new UnsupportedOperationException();
        }

        @Override
        public NDArray encode(NDArray x) {
            return x;
        }

        @Override
        public Map<String, NDArray> state() {
            return Map.of();
        }

        @Override
        public void close() {
        }
    }
}

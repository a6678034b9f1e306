package org.sparselab.core.onnx;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OrtEnvironment;
import com.google.protobuf.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparselab.api.Task;
import org.sparselab.api.data.ArraySplit;
import org.sparselab.api.data.Batch;
import org.sparselab.api.model.StepOutput;
import org.sparselab.api.model.TrainableModel;
import org.sparselab.api.onnx.OnnxGraph;
import org.sparselab.core.UserException;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.ONNXExportable;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ONNX export end to end with a small test model: graph building (the compound operators against their Java
 * semantics), verification passing, a corrupted weight failing with its figures, check.json bookkeeping, the CPU
 * fallback, and the encoder → Tribuo pipeline against Tribuo's own predictions.
 */
class OnnxExportTest {
    private static final OnnxVerifier.Criteria STRICT = new OnnxVerifier.Criteria(1e-4, 0.999, 0.999);
    private static final int IN = 20;
    private static final int UNITS = 30;
    private static final int K = 4;
    private static final int CLASSES = 3;

    static NDManager manager;

    @BeforeAll
    static void engine() {
        Engine.getInstance().setRandomSeed(11);
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void free() {
        manager.close();
    }

    /** x → L2 rows → x·Wᵀ → ReLU → top-k mask → code; code · Hᵀ → class scores. */
    static final class LinearTopK implements TrainableModel {
        final NDArray w;
        final NDArray head;

        LinearTopK(NDManager m) {
            w = m.randomNormal(new Shape(UNITS, IN));
            head = m.randomNormal(new Shape(CLASSES, UNITS));
        }

        @Override
        public Task task() {
            return Task.CLASSIFICATION;
        }

        @Override
        public int codeSize() {
            return UNITS;
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
            NDArray q = x.div(x.norm(new int[]{1}, true).maximum(1e-12f));
            NDArray a = q.matMul(w.transpose()).maximum(0f);
            NDArray kth = a.topK(K, -1, true, false).get(0).min(new int[]{-1}, true);
            return a.mul(a.gte(kth).toType(a.getDataType(), false));
        }

        @Override
        public Optional<NDArray> predict(NDArray x) {
            return Optional.of(encode(x).matMul(head.transpose()));
        }

        @Override
        public Map<String, NDArray> state() {
            return Map.of("w", w, "head", head);
        }

        @Override
        public Optional<ONNXRef<?>> onnxEncode(OnnxGraph g, ONNXRef<?> x) {
            ONNXRef<?> q = g.l2NormalizeRows(x, 1e-12f);
            return Optional.of(g.topKMask(g.relu(g.matMul(q, g.weightsTransposed("w_t", w))), K));
        }

        @Override
        public Optional<ONNXRef<?>> onnxPredict(OnnxGraph g, ONNXRef<?> x) {
            return onnxEncode(g, x).map(c -> g.matMul(c, g.weightsTransposed("head_t", head)));
        }

        @Override
        public void close() {
        }
    }

    private static ArraySplit split(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * IN];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(CLASSES);
        }
        return new ArraySplit("test", x, y, IN);
    }

    private static Path write(Path file, OnnxMl.ModelProto proto) throws IOException {
        Files.write(file, proto.toByteArray());
        return file;
    }

    @Test
    void compoundOperatorsMatchTheirJavaSemantics(@TempDir Path dir) throws Exception {
        ONNXContext ctx = new ONNXContext();
        OnnxGraph g = new OnnxGraph(ctx);
        ONNXPlaceholder in = ctx.floatInput(OnnxModels.INPUT, 6);
        g.l2NormalizeRows(in, 1e-6f).assignTo(ctx.floatOutput("norm", 6));
        g.topKMask(g.relu(in), 2).assignTo(ctx.floatOutput("topk", 6));
        g.softThreshold(in, g.scalar("theta", 0.5f)).assignTo(ctx.floatOutput("soft", 6));
        g.softThresholdSigned(in, g.scalar("theta", 0.5f)).assignTo(ctx.floatOutput("shrink", 6));
        // two stripes of three units, one winner per stripe, back to rows
        g.reshape(g.topKMask(g.reshape(in, -1, 2, 3), 1, 2), -1, 6).assignTo(ctx.floatOutput("stripes", 6));
        Path f = write(dir.resolve("ops.onnx"), OnnxModels.wrap(ctx.buildGraph(), Map.of()));
        float[] x = {
                3, 3, 1, 0, -2, 4,      // a tie at the 2nd place: both 3s stay beside the 4
                -1, -2, 5, -3, 0, 0,     // one positive value for k = 2: the k-th value is 0, zeros stay zeros
                0, 0, 0, 0, 0, 0};       // all zero: the norm's eps keeps it finite
        try (OrtSessions.Opened ort = OrtSessions.open(f, false)) {
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            float n0 = (float) Math.sqrt(9 + 9 + 1 + 4 + 16);
            assertRows(new float[]{3 / n0, 3 / n0, 1 / n0, 0, -2 / n0, 4 / n0}, OnnxVerifier.run(env, ort.session(), "norm", x, 3, 6), 0, 1e-6);
            assertRows(new float[]{0, 0, 0, 0, 0, 0}, OnnxVerifier.run(env, ort.session(), "norm", x, 3, 6), 2, 0);
            float[] topk = OnnxVerifier.run(env, ort.session(), "topk", x, 3, 6);
            assertRows(new float[]{3, 3, 0, 0, 0, 4}, topk, 0, 0);
            assertRows(new float[]{0, 0, 5, 0, 0, 0}, topk, 1, 0);
            assertRows(new float[]{2.5f, 2.5f, 0.5f, 0, 0, 3.5f}, OnnxVerifier.run(env, ort.session(), "soft", x, 3, 6), 0, 1e-6);
            assertRows(new float[]{-0.5f, -1.5f, 4.5f, -2.5f, 0, 0}, OnnxVerifier.run(env, ort.session(), "shrink", x, 3, 6), 1, 1e-6);
            assertRows(new float[]{3, 3, 0, 0, 0, 4}, OnnxVerifier.run(env, ort.session(), "stripes", x, 3, 6), 0, 0);
            assertRows(new float[]{0, 0, 5, 0, 0, 0}, OnnxVerifier.run(env, ort.session(), "stripes", x, 3, 6), 1, 0);
        }
    }

    private static void assertRows(float[] expected, float[] actual, int row, double tol) {
        for (int j = 0; j < expected.length; j++) {
            assertEquals(expected[j], actual[row * expected.length + j], tol, "row " + row + " column " + j);
        }
    }

    @Test
    void theExportOfATestModelPassesItsCheckAndCarriesItsMetadata(@TempDir Path dir) throws Exception {
        LinearTopK model = new LinearTopK(manager);
        ArraySplit test = split(100, 1);
        Map<String, String> meta = Map.of("run_name", "t", "provenance_sha256", "abc");
        Path enc = write(dir.resolve("encoder.onnx"), OnnxModels.build(model, OnnxModels.Part.ENCODER, IN, UNITS, meta).orElseThrow());
        Path fwd = write(dir.resolve("model.onnx"), OnnxModels.build(model, OnnxModels.Part.FORWARD, IN, CLASSES, meta).orElseThrow());
        try (OrtSessions.Opened ort = OrtSessions.open(enc, false)) {
            OnnxCheck c = OnnxVerifier.verify("encoder.onnx", ort, "code", manager, test, 0, 32, model::encode, true, false, STRICT);
            assertTrue(c.passed(), c.toString());
            assertEquals(100, c.samples());
            assertEquals("CPU", c.provider());
            assertEquals(1.0, c.activeSetAgreement());
            assertTrue(c.maxAbsDiff() <= 1e-5, c.toString());
            Map<String, String> custom = ort.session().getMetadata().getCustomMetadata();
            assertEquals("abc", custom.get("provenance_sha256"));
            assertEquals("sparselab", ort.session().getMetadata().getProducerName());
        }
        try (OrtSessions.Opened ort = OrtSessions.open(fwd, false)) {
            OnnxCheck c = OnnxVerifier.verify("model.onnx", ort, "output", manager, test, 40, 7, x -> model.predict(x).orElseThrow(),
                    false, true, STRICT);
            assertTrue(c.passed(), c.toString());
            assertEquals(40, c.samples());
            assertEquals(1.0, c.classAgreement());
        }
        OnnxMl.ModelProto proto = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(enc));
        assertEquals(13, proto.getOpsetImportList().stream().filter(o -> o.getDomain().isEmpty()).findFirst().orElseThrow().getVersion());
        assertTrue(proto.getIrVersion() >= 7);
    }

    @Test
    void aCorruptedWeightFailsTheCheckWithItsFigures(@TempDir Path dir) throws Exception {
        LinearTopK model = new LinearTopK(manager);
        ArraySplit test = split(64, 2);
        OnnxMl.ModelProto good = OnnxModels.build(model, OnnxModels.Part.ENCODER, IN, UNITS, Map.of()).orElseThrow();
        Path bad = write(dir.resolve("encoder.onnx"), corruptFirstWeight(good, 0.75f));
        OnnxCheck c;
        try (OrtSessions.Opened ort = OrtSessions.open(bad, false)) {
            c = OnnxVerifier.verify("encoder.onnx", ort, "code", manager, test, 0, 16, model::encode, true, false, STRICT);
        }
        assertFalse(c.passed());
        assertTrue(c.maxAbsDiff() > 1e-3, c.toString());
        assertTrue(c.failure().contains("max |java - onnx| = "), c.failure());

        Path export = dir.resolve("export");
        Files.createDirectories(export);
        UserException e = assertThrows(UserException.class, () -> Exporter.conclude(export, List.of(c), true));
        assertTrue(e.getMessage().contains("encoder.onnx on CPU (64 test samples): max|diff|"), e.getMessage());
        assertTrue(e.getMessage().contains("FAILED"), e.getMessage());
        String json = Files.readString(export.resolve("check.json"));
        assertTrue(json.contains("\"passed\" : false"), json);
        assertTrue(json.contains("\"max_abs_diff\""), json);
        // recorded but not fatal when fail_on_mismatch is off
        assertFalse(Exporter.conclude(export, List.of(c), false).passed());
    }

    /** The first float initializer with one value shifted by {@code delta}. */
    private static OnnxMl.ModelProto corruptFirstWeight(OnnxMl.ModelProto model, float delta) {
        OnnxMl.GraphProto.Builder g = model.getGraph().toBuilder();
        for (int i = 0; i < g.getInitializerCount(); i++) {
            OnnxMl.TensorProto t = g.getInitializer(i);
            if (t.getDataType() == OnnxMl.TensorProto.DataType.FLOAT.getNumber() && t.getDimsCount() == 2) {
                OnnxMl.TensorProto.Builder tb = t.toBuilder();
                if (!t.getRawData().isEmpty()) {
                    ByteBuffer b = ByteBuffer.wrap(t.getRawData().toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
                    b.putFloat(0, b.getFloat(0) + delta);
                    tb.setRawData(ByteString.copyFrom(b.array()));
                } else {
                    tb.setFloatData(0, t.getFloatData(0) + delta);
                }
                g.setInitializer(i, tb.build());
                return model.toBuilder().setGraph(g).build();
            }
        }
        throw new AssertionError("no weight to corrupt");
    }

    @Test
    void checkJsonKeepsTheChecksOfOtherFiles(@TempDir Path dir) throws IOException {
        OnnxCheck pipeline = new OnnxCheck("pipeline.onnx", "scores", "CPU", "test", 10, 1e-6, 1e-6, null, 0, 1.0, 1e-4, true, null);
        Exporter.writeChecks(dir, List.of(pipeline));
        OnnxCheck encoder = new OnnxCheck("encoder.onnx", "code", "CPU", "test", 10, 1e-7, 1e-7, 1.0, 0, null, 1e-4, true, null);
        Exporter.conclude(dir, List.of(encoder), true);
        Exporter.conclude(dir, List.of(encoder), true);
        List<OnnxCheck> all = Exporter.readChecks(dir);
        assertEquals(List.of("pipeline.onnx", "encoder.onnx"), all.stream().map(OnnxCheck::file).toList());
        Files.writeString(dir.resolve("check.json"), "{ not json");
        Exporter.conclude(dir, List.of(encoder), true);
        assertEquals(1, Exporter.readChecks(dir).size());
    }

    @Test
    void withoutCudaTheGpuRequestFallsBackToTheCpuAndSaysSo(@TempDir Path dir) throws Exception {
        LinearTopK model = new LinearTopK(manager);
        Path f = write(dir.resolve("encoder.onnx"), OnnxModels.build(model, OnnxModels.Part.ENCODER, IN, UNITS, Map.of()).orElseThrow());
        boolean nvidia = Files.exists(Path.of("/dev/nvidiactl"));
        try (OrtSessions.Opened ort = OrtSessions.open(f, true)) {
            assertTrue(ort.provider().equals("CPU") || ort.provider().equals("CUDA"), ort.provider());
            if (!nvidia) {
                assertEquals("CPU", ort.provider());
            }
            OnnxCheck c = OnnxVerifier.verify("encoder.onnx", ort, "code", manager, split(20, 3), 0, 8, model::encode, true, false, STRICT);
            assertTrue(c.passed(), c.toString());
            assertEquals(ort.provider(), c.provider());
        }
    }

    @Test
    void reluThresholdCrossingsAreTiesNotDisagreements() {
        // a unit just above zero in Java, exactly zero in ONNX: rounding across the ReLU threshold
        assertEquals(1, OnnxVerifier.Stats.activeSets(new float[]{0.5f, 2e-6f, 0, 1.5f}, new float[]{0.5f, 0, 0, 1.5f}, 0, 4, 1e-4));
        // a clearly active unit missing is a disagreement
        assertEquals(-1, OnnxVerifier.Stats.activeSets(new float[]{0.5f, 0.2f, 0, 1.5f}, new float[]{0.5f, 0, 0, 1.5f}, 0, 4, 1e-4));
    }

    @Test
    void exchangedValuesOfTiedUnitsAreNotErrorsButOtherDifferencesAre() {
        // units 1 and 2 (activations equal up to rounding) swapped ranks: their weighted outputs exchanged
        OnnxVerifier.Stats swap = new OnnxVerifier.Stats();
        swap.add(new float[]{0.9f, 0.20f, 0.15f, 0}, new float[]{0.9f, 0.15f, 0.20f, 0}, 1, 4, true, false, 1e-4);
        OnnxCheck ok = swap.check("encoder.onnx", "code", "CPU", "test", 1, true, false, new OnnxVerifier.Criteria(1e-4, 0.99, 0.99));
        assertTrue(ok.passed(), String.valueOf(ok.failure()));
        assertEquals(2, ok.rankSwaps());
        // a plain difference is still caught
        OnnxVerifier.Stats wrong = new OnnxVerifier.Stats();
        wrong.add(new float[]{0.9f, 0.20f, 0.15f, 0}, new float[]{0.9f, 0.15f, 0.15f, 0}, 1, 4, true, false, 1e-4);
        assertFalse(wrong.check("encoder.onnx", "code", "CPU", "test", 1, true, false, new OnnxVerifier.Criteria(1e-4, 0.99, 0.99)).passed());
    }

    @Test
    void theEncoderAndATribuoProbeComposeIntoOnePipeline(@TempDir Path dir) throws Exception {
        LinearTopK model = new LinearTopK(manager);
        ArraySplit train = split(300, 4);
        ArraySplit test = split(100, 5);
        // labels from the codes, so that the probe has something to learn
        float[] trainCodes = codes(model, train);
        float[] testCodes = codes(model, test);
        String[] names = new String[UNITS];
        for (int j = 0; j < UNITS; j++) {
            names[j] = String.format("f%04d", j);
        }
        LabelFactory lf = new LabelFactory();
        MutableDataset<Label> ds = new MutableDataset<>(new SimpleDataSourceProvenance("codes", lf), lf);
        for (int i = 0; i < train.size(); i++) {
            ds.add(example(trainCodes, i, names, "c" + argMax(trainCodes, i, UNITS) % CLASSES));
        }
        Model<Label> probe = new LogisticRegressionTrainer().train(ds);
        var fmap = probe.getFeatureIDMap();
        int[] columns = new int[fmap.size()];
        for (int id = 0; id < fmap.size(); id++) {
            columns[id] = Integer.parseInt(fmap.get(id).getName().substring(1));
        }
        int classes = probe.getOutputIDInfo().size();
        Path f = write(dir.resolve("pipeline.onnx"),
                OnnxModels.pipeline(model, (ONNXExportable) probe, columns, IN, classes, Map.of("probe", "lr")));
        float[] x = test.features(range(test.size()));
        try (OrtSessions.Opened ort = OrtSessions.open(f, false)) {
            float[] onnx = OnnxVerifier.run(OrtEnvironment.getEnvironment(), ort.session(), "scores", x, test.size(), IN);
            OnnxVerifier.Stats stats = new OnnxVerifier.Stats();
            float[] java = new float[test.size() * classes];
            for (int i = 0; i < test.size(); i++) {
                Prediction<Label> p = probe.predict(example(testCodes, i, names, "?"));
                for (int c = 0; c < classes; c++) {
                    java[i * classes + c] = (float) p.getOutputScores().get(probe.getOutputIDInfo().getOutput(c).getLabel()).getScore();
                }
            }
            stats.add(java, onnx, test.size(), classes, false, true, 1e-4);
            OnnxCheck c = stats.check("pipeline.onnx", "scores", ort.provider(), "test", test.size(), false, true, STRICT);
            assertTrue(c.passed(), c.toString());
            assertEquals(1.0, c.classAgreement());
            assertNotNull(ort.session().getInputInfo().get(OnnxModels.INPUT));
        }
    }

    private static float[] codes(LinearTopK model, ArraySplit s) {
        try (NDManager m = manager.newSubManager()) {
            return model.encode(s.batch(range(s.size()), m).x()).toFloatArray();
        }
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    private static ArrayExample<Label> example(float[] rows, int row, String[] names, String label) {
        List<String> n = new ArrayList<>();
        List<Double> v = new ArrayList<>();
        for (int j = 0; j < names.length; j++) {
            float value = rows[row * names.length + j];
            if (value != 0f) {
                n.add(names[j]);
                v.add((double) value);
            }
        }
        return new ArrayExample<>(new Label(label), n.toArray(new String[0]), v.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static int argMax(float[] v, int row, int width) {
        int best = 0;
        for (int j = 1; j < width; j++) {
            if (v[row * width + j] > v[row * width + best]) {
                best = j;
            }
        }
        return best;
    }
}

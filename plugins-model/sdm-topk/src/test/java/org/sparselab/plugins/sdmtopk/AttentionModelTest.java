package org.sparselab.plugins.sdmtopk;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.onnxruntime.OrtEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparselab.api.data.ArraySplit;
import org.sparselab.api.data.Batch;
import org.sparselab.api.data.DataSpec;
import org.sparselab.api.data.Split;
import org.sparselab.api.data.SplitsSource;
import org.sparselab.api.model.TrainableModel;
import org.sparselab.api.train.OptimizerSpec;
import org.sparselab.api.train.TrainingSpec;
import org.sparselab.core.onnx.OnnxModels;
import org.sparselab.core.onnx.OnnxVerifier;
import org.sparselab.core.onnx.OrtSessions;
import org.sparselab.core.testing.TestModelContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class AttentionModelTest {

    private static SplitsSource source(int n, int d) {
        Random r = new Random(3);
        Map<String, Split> splits = new LinkedHashMap<>();
        for (String name : new String[]{"train", "val"}) {
            float[] x = new float[n * d];
            for (int i = 0; i < x.length; i++) {
                x[i] = r.nextFloat();
            }
            splits.put(name, new ArraySplit(name, x, null, d));
        }
        return new SplitsSource("test", DataSpec.of(new int[]{d}, 0), splits, "x");
    }

    @Test
    void attendsOverStoredSamplesLearnsBetaAndExports(@TempDir Path dir) throws Exception {
        Engine.getInstance().setRandomSeed(2);
        try (NDManager m = NDManager.newBaseManager()) {
            SplitsSource data = source(50, 8);
            TestModelContext ctx = new TestModelContext(data.spec(), m, new TrainingSpec(1, 16, 0,
                    new OptimizerSpec("adam", 0.05, null, null, null, null, null, null))).withSource(data);
            AttentionModel.Config cfg = new AttentionModel.Config(40, null, null, new NoiseConfig("normal", 0.1, null, null, null, null, null, null));
            TrainableModel model = new AttentionModel().create(cfg, ctx);
            NDArray x = m.create(data.split("train").features(new int[]{0, 1, 2, 3}), new Shape(4, 8));
            NDArray code = model.encode(x);
            assertEquals(new Shape(4, 40), code.getShape());
            for (float s : code.sum(new int[]{1}).toFloatArray()) {
                assertEquals(1f, s, 1e-5);
            }
            // evaluation passes use the validation samples as the memory (50 of them, capped to 40)
            assertEquals(new Shape(4, 8), model.evaluate(new Batch(x, null, new int[4])).output().getShape());
            float before = model.state().get("beta").getFloat();
            for (int i = 0; i < 30; i++) {
                try (NDScope s = new NDScope()) {
                    NDScope.unregister(x);
                    model.trainStep(new Batch(x, null, new int[4]));
                }
            }
            assertNotEquals(before, model.state().get("beta").getFloat(), "β is learned");
            var proto = OnnxModels.build(model, OnnxModels.Part.FORWARD, 8, 8, Map.of()).orElseThrow();
            Path f = dir.resolve("attn.onnx");
            Files.write(f, proto.toByteArray());
            try (OrtSessions.Opened ort = OrtSessions.open(f, false)) {
                float[] onnx = OnnxVerifier.run(OrtEnvironment.getEnvironment(), ort.session(), "output", x.toFloatArray(), 4, 8);
                float[] java = model.predict(x).orElseThrow().toFloatArray();
                for (int i = 0; i < java.length; i++) {
                    assertEquals(java[i], onnx[i], 1e-5);
                }
            }
            model.close();
        }
    }
}

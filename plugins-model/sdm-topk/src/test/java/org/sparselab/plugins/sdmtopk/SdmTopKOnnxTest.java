package org.sparselab.plugins.sdmtopk;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.onnxruntime.OrtEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparselab.api.Mode;
import org.sparselab.api.data.DataSpec;
import org.sparselab.api.model.TrainableModel;
import org.sparselab.api.onnx.OnnxGraph;
import org.sparselab.api.sparsity.SparsityOp;
import org.sparselab.core.onnx.OnnxModels;
import org.sparselab.core.onnx.OnnxVerifier;
import org.sparselab.core.onnx.OrtSessions;
import org.sparselab.core.testing.TestModelContext;
import org.tribuo.util.onnx.ONNXRef;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The model's ONNX encoder and forward, run by ONNX Runtime, equal the Java model on random inputs. */
class SdmTopKOnnxTest {

    /** A top-k with an ONNX form, standing in for the topk plugin (which this plugin must not import). */
    static SparsityOp topk(int k) {
        return new SparsityOp() {
            @Override
            public NDArray apply(NDArray a, Mode mode) {
                return SdmTopKModelTest.topk(k).apply(a, mode);
            }

            @Override
            public Optional<ONNXRef<?>> onnx(OnnxGraph g, ONNXRef<?> a) {
                return Optional.of(g.topKMask(g.relu(a), k));
            }
        };
    }

    @Test
    void encoderAndForwardMatchJava(@TempDir Path dir) throws Exception {
        Engine.getInstance().setRandomSeed(5);
        try (NDManager m = NDManager.newBaseManager()) {
            DataSpec spec = DataSpec.of(new int[]{1, 6, 6}, 4);
            for (boolean positiveInputs : new boolean[]{false, true}) {
                TrainableModel model = new SdmTopKModel().create(new SdmTopKModel.Config(40, "classification", true, positiveInputs, null,
                        null, true, null, null), new TestModelContext(spec, m).with("hidden", u -> topk(7)));
                NDArray x = m.randomNormal(new Shape(32, 36));
                float[] xs = x.toFloatArray();
                for (OnnxModels.Part part : OnnxModels.Part.values()) {
                    int width = part == OnnxModels.Part.ENCODER ? 40 : 4;
                    var proto = OnnxModels.build(model, part, 36, width, Map.of()).orElseThrow();
                    Path f = dir.resolve(part + "-" + positiveInputs + ".onnx");
                    Files.write(f, proto.toByteArray());
                    try (OrtSessions.Opened ort = OrtSessions.open(f, false)) {
                        float[] onnx = OnnxVerifier.run(OrtEnvironment.getEnvironment(), ort.session(), part.outputName(), xs, 32, 36);
                        float[] java = (part == OnnxModels.Part.ENCODER ? model.encode(x) : model.predict(x).orElseThrow()).toFloatArray();
                        assertEquals(java.length, onnx.length);
                        for (int i = 0; i < java.length; i++) {
                            assertEquals(java[i], onnx[i], 1e-5, part + " entry " + i);
                        }
                    }
                }
                model.close();
            }
        }
    }

    @Test
    void reluFfnWithInhibitoryCircuitAndTopKMatchesJava(@TempDir Path dir) throws Exception {
        Engine.getInstance().setRandomSeed(8);
        try (NDManager m = NDManager.newBaseManager()) {
            DataSpec spec = DataSpec.of(new int[]{12}, 3);
            for (String type : new String[]{"all_to_all", "interneuron"}) {
                ReluFfnModel.Config cfg = new ReluFfnModel.Config(java.util.List.of(20), "classification", null, null, null, null,
                        new NoiseConfig("normal", 0.5, null, true, null, null, null, null), new InhibCircuitConfig(type, 2, 0.5, true));
                TrainableModel model = new ReluFfnModel().create(cfg, new TestModelContext(spec, m).with("hidden", u -> topk(5)));
                NDArray x = m.randomNormal(new Shape(16, 12));
                var proto = OnnxModels.build(model, OnnxModels.Part.FORWARD, 12, 3, Map.of()).orElseThrow();
                Path f = dir.resolve(type + ".onnx");
                Files.write(f, proto.toByteArray());
                try (OrtSessions.Opened ort = OrtSessions.open(f, false)) {
                    float[] onnx = OnnxVerifier.run(OrtEnvironment.getEnvironment(), ort.session(), "output", x.toFloatArray(), 16, 12);
                    float[] java = model.predict(x).orElseThrow().toFloatArray();
                    for (int i = 0; i < java.length; i++) {
                        assertEquals(java[i], onnx[i], 1e-5, type + " entry " + i);
                    }
                }
                model.close();
            }
        }
    }
}

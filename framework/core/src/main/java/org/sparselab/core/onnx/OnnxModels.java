package org.sparselab.core.onnx;

import ai.onnx.proto.OnnxMl;
import org.sparselab.api.model.TrainableModel;
import org.sparselab.api.onnx.OnnxGraph;
import org.sparselab.core.SparselabVersion;
import org.sparselab.core.UserException;
import org.tribuo.ONNXExportable;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Builds ONNX models (opset 13) from a model's own description of its inference computation: the encoder
 * (input → code), the full forward (input → output), and the pipeline encoder → Tribuo classifier.
 * Graph inputs are named {@code input} [batch, inputDim]; outputs {@code code}, {@code output} or {@code scores}.
 */
public final class OnnxModels {
    public static final String INPUT = "input";

    private OnnxModels() {
    }

    /** What to export. */
    public enum Part {
        ENCODER("code"), FORWARD("output");

        final String output;

        Part(String output) {
            this.output = output;
        }

        public String outputName() {
            return output;
        }
    }

    /** The encoder or forward graph; empty when the model (or one of its sparsifiers) has no ONNX form. */
    public static Optional<OnnxMl.ModelProto> build(TrainableModel model, Part part, int inputDim, int outputDim, Map<String, String> metadata) {
        ONNXContext ctx = new ONNXContext();
        ctx.setName("sparselab-" + part.name().toLowerCase());
        OnnxGraph g = new OnnxGraph(ctx);
        ONNXPlaceholder in = ctx.floatInput(INPUT, inputDim);
        Optional<ONNXRef<?>> out = part == Part.ENCODER ? model.onnxEncode(g, in) : model.onnxPredict(g, in);
        if (out.isEmpty()) {
            return Optional.empty();
        }
        out.get().assignTo(ctx.floatOutput(part.output, outputDim));
        return Optional.of(wrap(ctx.buildGraph(), metadata));
    }

    /** Whether the model (with its sparsifiers, in their inference form) can write its encoder into ONNX. */
    public static boolean hasEncoder(TrainableModel model, int inputDim) {
        ONNXContext ctx = new ONNXContext();
        return model.onnxEncode(new OnnxGraph(ctx), ctx.floatInput(INPUT, inputDim)).isPresent();
    }

    /**
     * Encoder followed by a Tribuo classifier trained on the codes: raw input → class probabilities {@code scores}.
     * {@code codeColumns[i]} is the code unit of the classifier's feature id i (names are zero-padded, so Tribuo's
     * sorted ids follow unit order; units never seen in training are not features and are dropped by a Gather).
     */
    public static OnnxMl.ModelProto pipeline(TrainableModel model, ONNXExportable classifier, int[] codeColumns, int inputDim,
                                             int classes, Map<String, String> metadata) {
        ONNXContext ctx = new ONNXContext();
        ctx.setName("sparselab-pipeline");
        OnnxGraph g = new OnnxGraph(ctx);
        ONNXPlaceholder in = ctx.floatInput(INPUT, inputDim);
        ONNXRef<?> code = model.onnxEncode(g, in)
                .orElseThrow(() -> new UserException("the model has no ONNX encoder, so no pipeline can be exported"));
        // The classifier knows only the code units that were ever non-zero in its training data, in unit order.
        ONNXRef<?> known = ctx.operation(org.tribuo.util.onnx.ONNXOperators.GATHER,
                java.util.List.of(code, ctx.array("known_units", codeColumns)), "probe_features", Map.of("axis", 1));
        ONNXRef<?> scores = classifier.writeONNXGraph(known);
        scores.assignTo(ctx.floatOutput("scores", classes));
        return wrap(ctx.buildGraph(), metadata);
    }

    /** A model around a built graph: opset 13 (plus ai.onnx.ml for Tribuo graphs), producer and metadata. */
    public static OnnxMl.ModelProto wrap(OnnxMl.GraphProto graph, Map<String, String> metadata) {
        OnnxMl.ModelProto.Builder b = OnnxMl.ModelProto.newBuilder()
                .setGraph(graph)
                .setIrVersion(7)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OnnxGraph.OPSET))
                // Tribuo's classifiers use ONNX-ML operators (e.g. for their outputs) in the ai.onnx.ml domain.
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("ai.onnx.ml").setVersion(1))
                .setProducerName("sparselab")
                .setProducerVersion(SparselabVersion.FRAMEWORK);
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.forEach((k, v) -> b.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v == null ? "" : v)));
        return b.build();
    }
}

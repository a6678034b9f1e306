package org.sparselab.api.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto.AttributeType;
import org.tribuo.util.onnx.ONNXAttribute;
import org.tribuo.util.onnx.ONNXOperator;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * ONNX operators (default domain, valid at opset 13) that Tribuo's {@code ONNXOperators} lacks. Use them
 * with Tribuo's graph builder: {@code ref.apply(OnnxOps.RELU)}, {@code ctx.operation(OnnxOps.TOPK, ...)}.
 */
public enum OnnxOps implements ONNXOperator {
    MATMUL("MatMul", 2, 0, 1),
    RELU("Relu", 1, 0, 1),
    ABS("Abs", 1, 0, 1),
    SQRT("Sqrt", 1, 0, 1),
    EXP("Exp", 1, 0, 1),
    LOG("Log", 1, 0, 1),
    SIGN("Sign", 1, 0, 1),
    TANH("Tanh", 1, 0, 1),
    /** Elementwise maximum of two inputs (Max is variadic in ONNX; two inputs here). */
    MAX("Max", 2, 0, 1),
    /** Elementwise minimum of two inputs. */
    MIN("Min", 2, 0, 1),
    /** Inputs: data, k as an int64 tensor of shape [1]. Outputs: values, indices. */
    TOPK("TopK", 2, 0, 2, attr("axis", AttributeType.INT), attr("largest", AttributeType.INT), attr("sorted", AttributeType.INT)),
    REDUCE_L2("ReduceL2", 1, 0, 1, attr("axes", AttributeType.INTS), attr("keepdims", AttributeType.INT)),
    REDUCE_MAX("ReduceMax", 1, 0, 1, attr("axes", AttributeType.INTS), attr("keepdims", AttributeType.INT)),
    TRANSPOSE("Transpose", 1, 0, 1, attr("perm", AttributeType.INTS)),
    /** Inputs: data, shape as an int64 tensor. */
    RESHAPE("Reshape", 2, 0, 1),
    /** Inputs: data, optional min, optional max (scalars). */
    CLIP("Clip", 1, 2, 1),
    EQUAL("Equal", 2, 0, 1),
    NOT("Not", 1, 0, 1),
    /** Inputs: data, indices (int64), updates; writes updates into a copy of data at the indices along axis. */
    SCATTER_ELEMENTS("ScatterElements", 3, 0, 1, attr("axis", AttributeType.INT)),
    ARG_MAX("ArgMax", 1, 0, 1, attr("axis", AttributeType.INT), attr("keepdims", AttributeType.INT)),
    /** Inputs: data [N, C, H, W], weights [M, C, kH, kW], optional bias [M]; cross-correlation as DJL's and PyTorch's conv2d. */
    CONV("Conv", 2, 1, 1, attr("pads", AttributeType.INTS), attr("kernel_shape", AttributeType.INTS),
            attr("strides", AttributeType.INTS), attr("dilations", AttributeType.INTS), attr("group", AttributeType.INT));

    private final String name;
    private final int inputs;
    private final int optionalInputs;
    private final int outputs;
    private final Map<String, ONNXAttribute> attributes;

    OnnxOps(String name, int inputs, int optionalInputs, int outputs, ONNXAttribute... attributes) {
        this.name = name;
        this.inputs = inputs;
        this.optionalInputs = optionalInputs;
        this.outputs = outputs;
        Map<String, ONNXAttribute> m = new LinkedHashMap<>();
        for (ONNXAttribute a : attributes) {
            m.put(a.getName(), a);
        }
        this.attributes = Collections.unmodifiableMap(m);
    }

    private static ONNXAttribute attr(String name, AttributeType type) {
        return new ONNXAttribute(name, type, false);
    }

    @Override
    public String getOpName() {
        return name;
    }

    @Override
    public int getNumInputs() {
        return inputs;
    }

    @Override
    public int getNumOptionalInputs() {
        return optionalInputs;
    }

    @Override
    public int getNumOutputs() {
        return outputs;
    }

    @Override
    public Map<String, ONNXAttribute> getAttributes() {
        return attributes;
    }

    @Override
    public Set<String> getMandatoryAttributeNames() {
        return Set.of();
    }

    @Override
    public int getOpVersion() {
        return OnnxGraph.OPSET;
    }

    @Override
    public String getOpDomain() {
        return "ai.onnx";
    }
}

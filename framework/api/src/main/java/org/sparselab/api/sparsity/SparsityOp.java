package org.sparselab.api.sparsity;

import ai.djl.ndarray.NDArray;
import org.sparselab.api.Mode;

import org.sparselab.api.onnx.OnnxGraph;
import org.tribuo.util.onnx.ONNXRef;

import java.util.Map;
import java.util.Optional;

/**
 * A sparsity operator on activations {@code [n, units]}. May hold state (counters, duty cycles) that is
 * updated only in {@link Mode#TRAIN} and saved with the model through {@link #state()}.
 */
public interface SparsityOp {

    /** The sparsified activations; must be differentiable where the operator is (masking passes gradients). */
    NDArray apply(NDArray activations, Mode mode);

    /**
     * The inference form of the operator in an ONNX graph (counters frozen, schedules at their current value);
     * empty when it has none, which makes the model's export unavailable.
     */
    default Optional<ONNXRef<?>> onnx(OnnxGraph graph, ONNXRef<?> activations) {
        return Optional.empty();
    }

    /** Called at the end of each training epoch (epoch counted from 0); drives k schedules. */
    default void onEpochEnd(int epoch) {
    }

    /** Arrays to persist with the model, by name (e.g. {@code counts}); updated in place. */
    default Map<String, NDArray> state() {
        return Map.of();
    }

    /**
     * Arrays the model's optimiser should train (e.g. a learned threshold), by name; they must also appear in
     * {@link #state()} to be saved. Models add them to their {@code ParameterSet} (as biases, so that
     * {@code optimizer.bias_lr} applies).
     */
    default Map<String, NDArray> trainable() {
        return Map.of();
    }

    /** Scalars to log per epoch (e.g. the current k). */
    default Map<String, Double> stats() {
        return Map.of();
    }

    /**
     * Multiplier of the learning rate for one of the {@link #trainable()} arrays, by the same name (e.g. a
     * learned k that the original trains at 10× the model's rate). 1 by default.
     */
    default double learningRateScale(String name) {
        return 1.0;
    }

    /**
     * A term this operator adds to the training loss of the step whose forward pass just called
     * {@link #apply} in {@link Mode#TRAIN}: a REINFORCE objective for a sampled k (which needs the task loss of
     * each example), an L1 penalty on a gating layer. {@code perExampleLoss} supplies the detached task loss per
     * example ({@code [n]}); operators that do not need it never call it, so it costs nothing. Gradient-trained
     * models add the result to the loss they differentiate. Empty (the default) when the operator has none.
     */
    default Optional<NDArray> auxiliaryLoss(java.util.function.Supplier<NDArray> perExampleLoss) {
        return Optional.empty();
    }

    /**
     * {@link #apply(NDArray, Mode)} with side inputs a model offers by name, for operators that decide from more
     * than the activations they sparsify: {@code gate_input} is the layer a routing gate reads (the modular
     * stripes autoencoder's intermediate layer). Operators that need none ignore them (the default).
     */
    default NDArray apply(NDArray activations, Mode mode, Map<String, NDArray> side) {
        return apply(activations, mode);
    }

    /** {@link #onnx(OnnxGraph, ONNXRef)} with the ONNX values of the side inputs, by the same names. */
    default Optional<ONNXRef<?>> onnx(OnnxGraph graph, ONNXRef<?> activations, Map<String, ONNXRef<?>> side) {
        return onnx(graph, activations);
    }
}

package org.sparselab.api.model;

import ai.djl.ndarray.NDArray;
import org.sparselab.api.Task;
import org.sparselab.api.data.Batch;
import org.sparselab.api.onnx.OnnxGraph;
import org.sparselab.api.plot.FigureContext;
import org.sparselab.api.plot.Figures;
import org.tribuo.util.onnx.ONNXRef;

import java.util.Map;
import java.util.Optional;

/**
 * The working model of one run. The framework calls these from one thread, inside an NDScope per
 * step, so arrays created during a call are freed after it; parameters must live in the model's manager.
 */
public interface TrainableModel extends AutoCloseable {

    Task task();

    /** Length of the code returned by {@link #encode}. */
    int codeSize();

    /** One learning step on a training batch (gradient, Hebbian or none), returning what metrics need. */
    StepOutput trainStep(Batch batch);

    /** Forward pass in inference mode (no learning, no gradient), for validation and test. */
    StepOutput evaluate(Batch batch);

    /** Input {@code [n, inputDim]} to sparse code {@code [n, codeSize]}, inference mode. */
    NDArray encode(NDArray x);

    /** Code to reconstruction, where the model has a decoder. */
    default Optional<NDArray> decode(NDArray code) {
        return Optional.empty();
    }

    /** Input to the model's output (logits or reconstruction), inference mode. */
    default Optional<NDArray> predict(NDArray x) {
        return Optional.empty();
    }

    /**
     * Learned atoms/filters/addresses in input space as rows {@code [atoms, inputDim]}, for plots and recovery
     * metrics. May be a live parameter (callers must not close or modify it) or a new array; callers use it
     * inside an NDScope so that a new array is freed.
     */
    default Optional<NDArray> atoms() {
        return Optional.empty();
    }

    /**
     * Every array that defines the model's learned state (weights, buffers), by name. The framework saves
     * exactly these, plus the state of the sparsifiers it created for the model, as one .npz file, and
     * loads them back in place; the arrays must therefore stay the same objects for the model's life.
     */
    Map<String, NDArray> state();

    /**
     * Writes the inference encoder into an ONNX graph: {@code x} is the input {@code [batch, inputDim]}; the
     * result must equal {@link #encode} (the framework verifies it with ONNX Runtime). Empty when the model
     * cannot be exported.
     */
    default Optional<ONNXRef<?>> onnxEncode(OnnxGraph graph, ONNXRef<?> x) {
        return Optional.empty();
    }

    /** Writes the full inference forward ({@link #predict}) into an ONNX graph; empty when there is none. */
    default Optional<ONNXRef<?>> onnxPredict(OnnxGraph graph, ONNXRef<?> x) {
        return Optional.empty();
    }

    /**
     * Draws the model's own figures (beside the framework's curves, atom grids and activity histograms) into
     * the run's plots and report. Called after training (and by {@code sparselab report}), in inference mode,
     * inside a scope that frees the arrays created here. An exception is logged and listed in the report; the
     * figures drawn before it are kept.
     */
    default void figures(Figures out, FigureContext context) {
    }

    /**
     * Names (in {@link #state()}) of the output head's arrays, which continual learning re-initialises when
     * it starts from a pretrained run. Empty for models without a head.
     */
    default java.util.Set<String> headState() {
        return java.util.Set.of();
    }

    /** Called after each training epoch (k schedules, noise annealing, counters). */
    default void onEpochEnd(int epoch) {
    }

    /** Scalars to log once per epoch besides metrics (current k, noise level, ...). */
    default Map<String, Double> epochStats() {
        return Map.of();
    }

    @Override
    void close();
}

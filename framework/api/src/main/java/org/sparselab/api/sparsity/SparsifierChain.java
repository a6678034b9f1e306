package org.sparselab.api.sparsity;

import ai.djl.ndarray.NDArray;
import org.sparselab.api.Mode;
import org.sparselab.api.onnx.OnnxGraph;
import org.tribuo.util.onnx.ONNXRef;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Sparsity operators applied in the order the run file lists them. */
public final class SparsifierChain implements SparsityOp {

    /** One operator with the name its state and stats are recorded under (e.g. {@code hidden.0.topk}). */
    public record Link(String name, SparsityOp op) {
    }

    private final List<Link> links;

    public SparsifierChain(List<Link> links) {
        this.links = List.copyOf(links);
    }

    public static SparsifierChain empty() {
        return new SparsifierChain(List.of());
    }

    public boolean isEmpty() {
        return links.isEmpty();
    }

    public List<Link> links() {
        return links;
    }

    @Override
    public NDArray apply(NDArray activations, Mode mode) {
        NDArray a = activations;
        for (Link l : links) {
            a = l.op().apply(a, mode);
        }
        return a;
    }

    @Override
    public Optional<ONNXRef<?>> onnx(OnnxGraph graph, ONNXRef<?> activations) {
        ONNXRef<?> a = activations;
        for (Link l : links) {
            Optional<ONNXRef<?>> next = l.op().onnx(graph, a);
            if (next.isEmpty()) {
                return Optional.empty();
            }
            a = next.get();
        }
        return Optional.of(a);
    }

    @Override
    public NDArray apply(NDArray activations, Mode mode, Map<String, NDArray> side) {
        NDArray a = activations;
        for (Link l : links) {
            a = l.op().apply(a, mode, side);
        }
        return a;
    }

    @Override
    public Optional<ONNXRef<?>> onnx(OnnxGraph graph, ONNXRef<?> activations, Map<String, ONNXRef<?>> side) {
        ONNXRef<?> a = activations;
        for (Link l : links) {
            Optional<ONNXRef<?>> next = l.op().onnx(graph, a, side);
            if (next.isEmpty()) {
                return Optional.empty();
            }
            a = next.get();
        }
        return Optional.of(a);
    }

    @Override
    public void onEpochEnd(int epoch) {
        for (Link l : links) {
            l.op().onEpochEnd(epoch);
        }
    }

    @Override
    public Map<String, NDArray> state() {
        Map<String, NDArray> s = new LinkedHashMap<>();
        for (Link l : links) {
            l.op().state().forEach((k, v) -> s.put(l.name() + "." + k, v));
        }
        return s;
    }

    @Override
    public Map<String, NDArray> trainable() {
        Map<String, NDArray> t = new LinkedHashMap<>();
        for (Link l : links) {
            l.op().trainable().forEach((k, v) -> t.put(l.name() + "." + k, v));
        }
        return t;
    }

    /** Adds every trainable array of the chain to a model's parameters, as biases. */
    public void addTrainableTo(org.sparselab.api.train.ParameterSet parameters) {
        for (Link l : links) {
            l.op().trainable().forEach((k, v) -> parameters.add("sparsity." + l.name() + "." + k, v, true, l.op().learningRateScale(k)));
        }
    }

    @Override
    public double learningRateScale(String name) {
        for (Link l : links) {
            if (name.startsWith(l.name() + ".")) {
                return l.op().learningRateScale(name.substring(l.name().length() + 1));
            }
        }
        return 1.0;
    }

    /** The sum of the operators' auxiliary loss terms; empty when none has one. */
    @Override
    public Optional<NDArray> auxiliaryLoss(java.util.function.Supplier<NDArray> perExampleLoss) {
        NDArray sum = null;
        NDArray[] memo = new NDArray[1];
        java.util.function.Supplier<NDArray> once = () -> memo[0] != null ? memo[0] : (memo[0] = perExampleLoss.get());
        for (Link l : links) {
            Optional<NDArray> t = l.op().auxiliaryLoss(once);
            if (t.isPresent()) {
                sum = sum == null ? t.get() : sum.add(t.get());
            }
        }
        return Optional.ofNullable(sum);
    }

    @Override
    public Map<String, Double> stats() {
        Map<String, Double> s = new LinkedHashMap<>();
        for (Link l : links) {
            l.op().stats().forEach((k, v) -> s.put(l.name() + "." + k, v));
        }
        return s;
    }
}

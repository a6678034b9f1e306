package org.sparselab.api.train;

import ai.djl.ndarray.NDArray;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trainable arrays of a model, by name, each marked as weight or bias (biases may get their own
 * learning rate). Adding an array switches on its gradient.
 */
public final class ParameterSet {

    /**
     * One trainable array.
     *
     * @param lrScale multiplier of the optimiser's learning rate for this array (1 for most; e.g. a learned k
     *                that the original trains at 10× the rate)
     */
    public record Entry(String name, NDArray array, boolean bias, double lrScale) {
        public Entry {
            if (!(lrScale > 0) || Double.isInfinite(lrScale)) {
                throw new IllegalArgumentException("lrScale of parameter '" + name + "' must be a positive number, got " + lrScale);
            }
        }

        public Entry(String name, NDArray array, boolean bias) {
            this(name, array, bias, 1.0);
        }
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();

    public ParameterSet weight(String name, NDArray array) {
        return add(name, array, false);
    }

    public ParameterSet bias(String name, NDArray array) {
        return add(name, array, true);
    }

    public ParameterSet add(String name, NDArray array, boolean bias) {
        return add(name, array, bias, 1.0);
    }

    /** Adds an array trained at {@code lrScale} times the learning rate of its group (weights or biases). */
    public ParameterSet add(String name, NDArray array, boolean bias, double lrScale) {
        if (entries.containsKey(name)) {
            throw new IllegalArgumentException("parameter '" + name + "' added twice");
        }
        array.setRequiresGradient(true);
        entries.put(name, new Entry(name, array, bias, lrScale));
        return this;
    }

    public List<Entry> entries() {
        return Collections.unmodifiableList(new ArrayList<>(entries.values()));
    }

    public NDArray get(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException("no parameter '" + name + "'; have " + entries.keySet());
        }
        return e.array();
    }

    public int size() {
        return entries.size();
    }
}

package org.sparselab.core.probe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.sparselab.api.data.Split;
import org.sparselab.core.UserException;
import org.sparselab.core.run.RunState;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What a probe needs from a run: the labelled splits, the encoder (input {@code [n, inputDim]} to code
 * {@code [n, codeSize]}, inference mode) and the seed. Kept apart from {@link RunState} so a probe can be
 * tested on any encoder.
 *
 * @param name run name, recorded in the Tribuo models' provenance
 * @param batchSize samples per encoder call
 * @param seed base seed: repetition s draws its samples and seeds its trainer with {@code seed + s}
 */
public record ProbeData(String name, Split train, Split test, List<String> classNames, UnaryOperator<NDArray> encoder,
                        int codeSize, NDManager manager, int batchSize, long seed, Split val) {

    /** Without a validation split (no model selection). */
    public ProbeData(String name, Split train, Split test, List<String> classNames, UnaryOperator<NDArray> encoder,
                     int codeSize, NDManager manager, int batchSize, long seed) {
        this(name, train, test, classNames, encoder, codeSize, manager, batchSize, seed, null);
    }

    public static ProbeData of(RunState state, ProbeConfig cfg) {
        if (!state.data().spec().labelled()) {
            throw new UserException("probe: the dataset '" + state.run().dataset().spec().id() + "' has no labels to probe with");
        }
        List<String> needed = new java.util.ArrayList<>(List.of(cfg.trainSplit(), cfg.testSplit()));
        if (cfg.valSplit() != null) {
            needed.add(cfg.valSplit());
        }
        for (String s : needed) {
            if (!state.data().hasSplit(s)) {
                throw new UserException("probe: the dataset has no split '" + s + "'; it has " + state.data().splitNames());
            }
        }
        return new ProbeData(state.run().name(), state.data().split(cfg.trainSplit()), state.data().split(cfg.testSplit()),
                state.data().spec().classNames(), state.model()::encode, state.model().codeSize(), state.manager(),
                Math.max(1, state.run().training().evalBatchSize()), state.run().seed(),
                cfg.valSplit() == null ? null : state.data().split(cfg.valSplit()));
    }
}

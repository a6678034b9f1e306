package org.sparselab.api.data;

import java.util.List;
import java.util.Map;

/** An opened dataset: its shapes, its named splits and, for synthetic data, its ground truth. */
public interface DataSource extends AutoCloseable {

    DataSpec spec();

    /** Split names in a stable order; {@code train} and {@code test} at least, {@code val} where held out. */
    List<String> splitNames();

    /** The named split; throws IllegalArgumentException naming the available splits when absent. */
    Split split(String name);

    /** A digest of the data files (or generator settings) this source reads, for provenance. */
    String fingerprint();

    /** Known ground truth (e.g. {@code dictionary}: atoms as rows), empty for real data. */
    default Map<String, FloatTensor> groundTruth() {
        return Map.of();
    }

    default boolean hasSplit(String name) {
        return splitNames().contains(name);
    }

    @Override
    default void close() {
    }
}

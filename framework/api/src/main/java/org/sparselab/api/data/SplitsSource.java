package org.sparselab.api.data;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link DataSource} over splits held in a map, for datasets that load or generate everything when they open.
 *
 * @param datasetId the dataset's id, for error messages
 */
public record SplitsSource(String datasetId, DataSpec spec, Map<String, Split> splits, String fingerprint,
                           Map<String, FloatTensor> groundTruth) implements DataSource {

    public SplitsSource {
        splits = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(splits));
        groundTruth = groundTruth == null ? Map.of() : Map.copyOf(groundTruth);
    }

    public SplitsSource(String datasetId, DataSpec spec, Map<String, Split> splits, String fingerprint) {
        this(datasetId, spec, splits, fingerprint, Map.of());
    }

    @Override
    public List<String> splitNames() {
        return List.copyOf(splits.keySet());
    }

    @Override
    public Split split(String name) {
        Split s = splits.get(name);
        if (s == null) {
            throw new IllegalArgumentException(datasetId + " has no split '" + name + "'; it has " + splits.keySet());
        }
        return s;
    }
}

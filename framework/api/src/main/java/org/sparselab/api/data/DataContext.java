package org.sparselab.api.data;

import java.nio.file.Path;

/**
 * What a dataset sees when it opens.
 *
 * @param dataRoot folder holding fetched data (default {@code ./data}, or {@code SPARSELAB_DATA})
 * @param seed the run's seed, for holdouts and generators
 */
public record DataContext(Path dataRoot, long seed) {
}

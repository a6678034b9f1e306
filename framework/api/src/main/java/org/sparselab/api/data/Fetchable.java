package org.sparselab.api.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Implemented by a {@link org.sparselab.api.Dataset} extension that can fetch its data:
 * {@code sparselab data fetch <name>} calls it.
 */
public interface Fetchable {

    /** Names accepted by {@link #fetch}, e.g. {@code mnist}, {@code fashion-mnist}. */
    List<String> fetchableNames();

    /** Fetches {@code name} under {@code dataRoot}; idempotent; reports progress through {@code log}. */
    void fetch(String name, Path dataRoot, Consumer<String> log) throws IOException;

    /**
     * The name to fetch for a run with this configuration (e.g. {@code mnist} or {@code fashion-mnist}),
     * or null when the configuration reads data from elsewhere (a custom folder). {@code sparselab run}
     * fetches it before opening the data; {@link #fetch} must return quickly when the data is present.
     */
    default String fetchNameFor(Record config) {
        return null;
    }
}

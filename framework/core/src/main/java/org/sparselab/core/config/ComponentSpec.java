package org.sparselab.core.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One component of a run file as written: an extension id and its parameters (the other keys of the
 * map), with the path of the map in the file for error messages (e.g. {@code model}, {@code metrics[1]}).
 */
public record ComponentSpec(String path, String id, Map<String, Object> params) {
    public ComponentSpec {
        params = params == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }
}

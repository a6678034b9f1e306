package org.sparselab.core.plugin;

import org.sparselab.api.Configurable;
import org.sparselab.api.config.ConfigException;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** Extensions of one kind by id. */
@SuppressWarnings("rawtypes")
public final class Registry<T extends Configurable> {

    /** An extension and the plugin that provides it. */
    public record Entry<T>(T extension, String pluginId, String pluginVersion) {
    }

    private final String kind;
    private final Map<String, Entry<T>> byId;

    public Registry(String kind, Map<String, Entry<T>> byId) {
        this.kind = kind;
        this.byId = Collections.unmodifiableMap(byId);
    }

    public String kind() {
        return kind;
    }

    public Optional<Entry<T>> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The extension with this id, or a ConfigException listing the ids that exist. */
    public Entry<T> get(String id) {
        Entry<T> e = byId.get(id);
        if (e == null) {
            throw new ConfigException("id", "unknown " + kind + " id '" + id + "'; known " + kind + " ids: "
                    + (byId.isEmpty() ? "none (is the plugin folder right?)" : new TreeSet<>(byId.keySet())));
        }
        return e;
    }

    public Collection<Entry<T>> entries() {
        return byId.values();
    }
}

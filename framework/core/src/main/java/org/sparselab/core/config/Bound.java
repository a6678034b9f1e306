package org.sparselab.core.config;

import org.sparselab.api.Configurable;

/**
 * A component of a run resolved to its extension, with its parameters bound to the extension's record.
 *
 * @param spec the component as written
 * @param extension the extension its id names
 * @param pluginId the plugin providing the extension
 * @param config the bound configuration record (defaults filled)
 * @param site for sparsifiers: the model site they attach to (empty for the model's first site)
 */
@SuppressWarnings("rawtypes")
public record Bound<E extends Configurable>(ComponentSpec spec, E extension, String pluginId, String pluginVersion,
                                            Record config, String site) {
}

package org.sparselab.api;

import org.pf4j.ExtensionPoint;

/**
 * Common shape of every sparselab extension: a stable id that run files use, a one-line description,
 * and the record type its parameters bind to.
 *
 * <p>PF4J creates a new extension instance per lookup through a public no-arg constructor, so an
 * extension is a stateless factory; the working object it creates holds the state of one run.
 *
 * @param <C> the configuration record; its compact constructor fills defaults and validates
 */
public interface Configurable<C extends Record> extends ExtensionPoint {

    /** Stable id used in run files, e.g. {@code mnist} or {@code sdm-topk}: lower case, digits, '-', '_'. */
    String id();

    /** One sentence for {@code sparselab plugins}. */
    String description();

    /** Record bound from the YAML map of this component (snake_case keys, unknown keys rejected). */
    Class<C> configType();
}

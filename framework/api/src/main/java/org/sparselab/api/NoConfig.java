package org.sparselab.api;

/** Configuration record of an extension that takes no parameters. */
public record NoConfig() {
}

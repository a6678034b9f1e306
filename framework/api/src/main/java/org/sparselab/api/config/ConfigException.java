package org.sparselab.api.config;

/**
 * A configuration value that cannot be accepted. Always names the key, the offending value and
 * what would be accepted; the loader adds the file and line.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String key;

    public ConfigException(String key, String message) {
        super(message);
        this.key = key;
    }

    /** The dotted key inside the component, e.g. {@code k} or {@code optimizer.lr}; may be empty. */
    public String key() {
        return key;
    }

    /** {@code key = value is not accepted: expected <accepted>}. */
    public static ConfigException invalid(String key, Object value, String accepted) {
        return new ConfigException(key, key + " = " + value + " is not accepted: expected " + accepted);
    }

    /** A required key that has no default. */
    public static ConfigException missing(String key, String accepted) {
        return new ConfigException(key, key + " is required: " + accepted);
    }
}

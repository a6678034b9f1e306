package org.sparselab.core;

/**
 * An error the user can fix (bad config, missing data, unwritable folder). The CLI prints its message
 * alone, without a stack trace, and exits with {@link #exitCode()}.
 */
public class UserException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    public UserException(String message) {
        this(message, null, 2);
    }

    public UserException(String message, Throwable cause) {
        this(message, cause, 2);
    }

    public UserException(String message, Throwable cause, int exitCode) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}

package org.sparselab.api.tool;

import org.pf4j.ExtensionPoint;

/**
 * Extension point for command-line tools a plugin adds beside runs: {@code sparselab <id> args...} (or
 * {@code sparselab tool <id> args...}) calls {@link #run} with the arguments after the id. For computations a
 * researcher wants without a training run: a solver for given inputs, closed-form tables, analyses of saved
 * results. A plain interface like the other extension points; PF4J creates a new instance per lookup.
 */
public interface Tool extends ExtensionPoint {

    /** Name on the command line: lower case, digits, '-'; must not clash with a built-in command. */
    String id();

    /** One sentence for {@code sparselab tool} and {@code sparselab plugins}. */
    String description();

    /** Options that take no value ({@code --plus-two}); every other option consumes the next argument. */
    default java.util.Set<String> flags() {
        return java.util.Set.of();
    }

    /** Usage text printed for {@code --help} and after an argument error: subcommands and options. */
    String usage();

    /**
     * Runs the tool. Bad arguments raise {@link org.sparselab.api.config.ConfigException} (the CLI prints its
     * message and the usage, exit code 2); output goes to {@code context.out()} and files the tool writes.
     *
     * @return the process exit code (0 for success)
     */
    int run(ToolArgs args, ToolContext context) throws Exception;
}

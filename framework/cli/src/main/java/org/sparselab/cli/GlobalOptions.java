package org.sparselab.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Options every command takes. */
final class GlobalOptions {
    @Option(names = "--plugins", paramLabel = "DIR",
            description = "plugin folder (default: $SPARSELAB_PLUGINS, else dist/plugins of the installation)")
    Path plugins;

    @Option(names = "--data", paramLabel = "DIR", description = "data folder (default: $SPARSELAB_DATA, else data/)")
    Path data;

    @Option(names = "--output", paramLabel = "DIR",
            description = "root of run folders (default: $SPARSELAB_OUTPUT, else results/; a run file's 'output' key wins)")
    Path output;

    Path pluginsDir() {
        return Paths.resolve(plugins, "SPARSELAB_PLUGINS", "dist/plugins");
    }

    Path dataDir() {
        return Paths.resolve(data, "SPARSELAB_DATA", "data");
    }

    Path outputDir() {
        return Paths.resolve(output, "SPARSELAB_OUTPUT", "results");
    }
}

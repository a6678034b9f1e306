package org.sparselab.api.tool;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;

import java.io.PrintWriter;
import java.nio.file.Path;

/** What the host gives a {@link Tool}: where to print, the user's data and output folders, an engine manager. */
public interface ToolContext {

    PrintWriter out();

    PrintWriter err();

    /** The data folder ({@code --data}, {@code $SPARSELAB_DATA}, else {@code data/}). */
    Path dataDir();

    /** The results root ({@code --output}, {@code $SPARSELAB_OUTPUT}, else {@code results/}). */
    Path outputDir();

    /** Manager for the tool's arrays; closed by the host after {@link Tool#run} returns. */
    NDManager manager();

    Device device();
}

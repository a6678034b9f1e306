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

    /**
     * Opens a dataset plugin by id with parameters as a run file's {@code dataset} section gives them (snake_case
     * keys, defaults filled in, unknown keys rejected), for tools that evaluate on data another plugin provides
     * (plugins never reach each other's classes). The caller closes the source. Bad parameters raise a
     * {@link org.sparselab.api.config.ConfigException}; missing data an IOException saying how to fetch it.
     */
    org.sparselab.api.data.DataSource openDataset(String id, java.util.Map<String, Object> params, long seed)
            throws java.io.IOException;

    /**
     * The host's figure writer (the same PNG charts a run's report uses) drawing into {@code dir}, for tools that
     * plot their results. The folder is created when the first figure is written.
     */
    org.sparselab.api.plot.Figures figures(Path dir);

    /**
     * Reopens a finished run folder (the one {@code sparselab run} printed): its resolved config, data and trained
     * parameters, as export and probe do. Errors name the folder and what is missing.
     */
    RunHandle openRun(Path runDir);
}

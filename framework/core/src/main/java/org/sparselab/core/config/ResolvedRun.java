package org.sparselab.core.config;

import org.sparselab.api.Dataset;
import org.sparselab.api.Metric;
import org.sparselab.api.Model;
import org.sparselab.api.Sparsifier;

import java.nio.file.Path;
import java.util.List;

/** A validated run: every component resolved and bound. Creating one touches no files. */
public record ResolvedRun(Path file, RunFile raw, Bound<Dataset> dataset, Bound<Model> model,
                          List<Bound<Sparsifier>> sparsifiers, List<Bound<Metric>> metrics,
                          List<ComponentSpec> evaluate, String rawText) {

    public String name() {
        return raw.name();
    }

    public long seed() {
        return raw.seed();
    }

    public TrainingConfig training() {
        return raw.training();
    }
}

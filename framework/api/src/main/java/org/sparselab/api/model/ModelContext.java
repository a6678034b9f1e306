package org.sparselab.api.model;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import org.sparselab.api.data.DataSpec;
import org.sparselab.api.sparsity.SparsifierChain;
import org.sparselab.api.train.ParameterSet;
import org.sparselab.api.train.TrainingSpec;
import org.sparselab.api.train.Updater;

import java.util.Map;

/** What a model sees when it is created for a run. */
public interface ModelContext {

    /** Shapes and classes of the run's dataset. */
    DataSpec data();

    /**
     * The run's data itself, for models whose parameters are data (memories that store the training set as
     * keys). Empty where the framework offers none (unit-test contexts may).
     */
    default java.util.Optional<org.sparselab.api.data.DataSource> source() {
        return java.util.Optional.empty();
    }

    /** Manager that owns the model's parameters; closed with the run. */
    NDManager manager();

    Device device();

    long seed();

    /** The run's training section (epochs, batch size, clipping, optimiser). */
    TrainingSpec training();

    /**
     * Sparsifiers the run file attaches at {@code site} (a model-defined name such as {@code hidden}),
     * created for a layer of {@code units}; entries without a site attach to the model's first site.
     * An empty chain when none is configured.
     */
    SparsifierChain sparsifiers(String site, int units);

    /**
     * Creates a sparsifier by extension id, for models whose defaults need one (reached through the id,
     * never through another plugin's classes). Unknown ids raise a ConfigException naming the known ones.
     */
    SparsifierChain sparsifier(String id, Map<String, Object> params, int units);

    /**
     * An updater for these parameters built from the run's {@code training.optimizer} section:
     * global gradient-norm clipping, then the optimiser (with its bias learning rate for parameters
     * marked as biases).
     */
    Updater updater(ParameterSet parameters);
}

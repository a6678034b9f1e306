package org.sparselab.api.tool;

import org.sparselab.api.data.DataSource;
import org.sparselab.api.model.TrainableModel;

import java.nio.file.Path;
import java.util.Map;

/**
 * A finished run reopened for a tool: its trained model (parameters loaded), its data, and the settings its
 * resolved config holds. A tool of the plugin that made the model may cast {@link #model()} to its own class.
 * Closing frees the model, the data and the native memory.
 */
public interface RunHandle extends AutoCloseable {

    Path folder();

    String modelId();

    TrainableModel model();

    DataSource data();

    String datasetId();

    /** The run file's {@code dataset} parameters as written (snake_case keys), for reopening the data with changes. */
    Map<String, Object> datasetParams();

    long seed();

    @Override
    void close();
}

package org.sparselab.core.config;

import org.sparselab.api.config.Check;
import org.sparselab.api.config.Param;

import java.util.List;
import java.util.Map;

/**
 * A run file's top level as written. Components stay as plain maps here; {@link ConfigLoader} binds
 * them to the records of the extensions their ids name.
 */
public record RunFile(
        @Param("run name; outputs go to <output>/<name>/<timestamp>-<id>/") String name,
        @Param("seed for parameters, shuffling, holdouts and noise") Long seed,
        @Param("auto | cpu | gpu") String device,
        @Param("dataset: id and parameters") Map<String, Object> dataset,
        @Param("model: id and parameters") Map<String, Object> model,
        @Param("sparsifiers: list of {id, site, parameters}, applied in order") List<Object> sparsifiers,
        @Param("metrics: list of ids or {id, parameters}") List<Object> metrics,
        @Param("training loop settings") TrainingConfig training,
        @Param("evaluations after training: list of ids or {id, parameters}") List<Object> evaluate,
        @Param("continual learning: {split, tasks, order, epochs_per_task, eval_split}; training.epochs is then epochs_per_task × tasks") ContinualConfig continual,
        @Param("output root folder (default: results/)") String output) {

    public static final List<String> DEVICES = List.of("auto", "cpu", "gpu");

    public RunFile {
        device = Check.oneOf("device", Check.orDefault(device, "auto"), DEVICES);
        seed = Check.orDefault(seed, 42L);
        training = Check.orDefault(training, TrainingConfig.defaults());
        sparsifiers = Check.orDefault(sparsifiers, List.of());
        metrics = Check.orDefault(metrics, List.of());
        evaluate = Check.orDefault(evaluate, List.of());
    }
}

package org.sparselab.core.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.sparselab.api.config.Check;
import org.sparselab.api.config.Param;
import org.sparselab.api.train.OptimizerSpec;
import org.sparselab.api.train.TrainingSpec;

/** The {@code training} section of a run file. */
public record TrainingConfig(
        @Param("training epochs (0 = evaluate only)") Integer epochs,
        @Param("training batch size") Integer batchSize,
        @Param("batch size for validation, test and encoding") Integer evalBatchSize,
        @Param("maximum global gradient L2 norm; 0 turns clipping off") Double gradClip,
        @Param("optimiser: id (adam, adamw, sgd, sgdm, rmsprop, adagrad) and its hyperparameters") OptimizerSpec optimizer,
        @Param("shuffle the training split each epoch (seeded by the run's seed and the epoch)") Boolean shuffle,
        @Param("write a checkpoint every this many epochs; 0 = only the final parameters") Integer checkpointEvery,
        @Param("evaluate on the validation split every this many epochs") Integer valEvery,
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Param("keep the best validation epoch's parameters (model/best.npz) for the test pass and the evaluations: "
                + "{metric: loss | <a val metric>, mode: min | max}; unset = the last epoch's") KeepBestConfig keepBest) {

    public TrainingConfig {
        epochs = Check.atLeast("training.epochs", Check.orDefault(epochs, 10), 0);
        batchSize = Check.atLeast("training.batch_size", Check.orDefault(batchSize, 128), 1);
        evalBatchSize = Check.atLeast("training.eval_batch_size", Check.orDefault(evalBatchSize, 1000), 1);
        gradClip = Check.atLeast("training.grad_clip", Check.orDefault(gradClip, 0.0), 0.0);
        optimizer = Check.orDefault(optimizer, OptimizerSpec.defaults());
        shuffle = Check.orDefault(shuffle, Boolean.TRUE);
        checkpointEvery = Check.atLeast("training.checkpoint_every", Check.orDefault(checkpointEvery, 1), 0);
        valEvery = Check.atLeast("training.val_every", Check.orDefault(valEvery, 1), 1);
    }

    public static TrainingConfig defaults() {
        return new TrainingConfig(null, null, null, null, null, null, null, null, null);
    }

    public TrainingSpec spec() {
        return new TrainingSpec(epochs, batchSize, gradClip, optimizer);
    }
}

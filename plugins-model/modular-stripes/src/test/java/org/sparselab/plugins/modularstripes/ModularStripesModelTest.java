package org.sparselab.plugins.modularstripes;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.sparselab.api.config.ConfigException;
import org.sparselab.api.data.Batch;
import org.sparselab.api.data.DataSpec;
import org.sparselab.api.model.StepOutput;
import org.sparselab.api.model.TrainableModel;
import org.sparselab.api.train.OptimizerSpec;
import org.sparselab.api.train.TrainingSpec;
import org.sparselab.core.testing.TestModelContext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModularStripesModelTest {

    private static ModularStripesModel.Config config(String layer, String stripes, int k, int stripeDim) {
        return new ModularStripesModel.Config(16, stripeDim, 4, k, 2, layer, stripes, null, null, null, null, null, null, null);
    }

    @Test
    void check21TheRepositorysTrainLossIsTheMeanBatchLossOverTheBatchSize() {
        Engine.getInstance().setRandomSeed(1);
        try (NDManager m = NDManager.newBaseManager()) {
            TrainingSpec training = new TrainingSpec(1, 8, 0, new OptimizerSpec("sgdm", 0.01, 0.9, null, null, null, null, null));
            TrainableModel model = new ModularStripesModel().create(config("none", "none", 3, 2),
                    new TestModelContext(DataSpec.of(new int[]{20}, 0), m, training));
            double sum = 0;
            for (int i = 0; i < 3; i++) {
                NDArray x = m.randomUniform(0, 1, new Shape(8, 20));
                StepOutput out = model.trainStep(new Batch(x, null, new int[8]));
                sum += out.loss();
                assertEquals(8, out.code().getShape().get(1), "code width = stripes x stripe_dim");
            }
            assertEquals(sum / 3 / 8, model.epochStats().get("train_loss_repo"), 1e-9);
            model.onEpochEnd(0);
            assertEquals(sum / 3 / 8, model.epochStats().get("train_loss_repo"), 1e-9, "kept after the epoch-end hook");
            // the reconstruction goes through a ReLU, as the original's decoder
            float[] y = model.predict(m.randomUniform(0, 1, new Shape(4, 20))).orElseThrow().toFloatArray();
            for (float v : y) {
                assertTrue(v >= 0);
            }
        }
    }

    @Test
    void kIsCheckedOnlyWhereAMaskUsesIt() {
        config("none", "routing", 45, 1); // the original grid's pairing, accepted
        ConfigException e = assertThrows(ConfigException.class, () -> config("ordinary", "routing", 45, 1));
        assertTrue(e.getMessage().contains("num_active_neurons = 45") && e.getMessage().contains("at most"), e.getMessage());
        assertThrows(ConfigException.class, () -> new ModularStripesModel.Config(null, null, null, null, null, "lifetimes", null,
                null, null, null, null, null, null, null));
    }
}

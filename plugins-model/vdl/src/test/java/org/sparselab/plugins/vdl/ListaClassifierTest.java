package org.sparselab.plugins.vdl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.sparselab.api.data.Batch;
import org.sparselab.api.data.DataSpec;
import org.sparselab.api.model.StepOutput;
import org.sparselab.api.train.OptimizerSpec;
import org.sparselab.api.train.TrainingSpec;
import org.sparselab.core.config.ConfigBinder;
import org.sparselab.core.testing.TestModelContext;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The supervised LISTA classifier baseline (spec vdl.md §9): shapes, parameters, LISTA codes, and that it learns. */
class ListaClassifierTest {

    @Test
    void learnsThreeBlobsEndToEndWithCrossEntropy() {
        Engine.getInstance().setRandomSeed(5);
        try (NDManager m = NDManager.newBaseManager()) {
            ListaClassifierModel.Config cfg = ConfigBinder.mapper().convertValue(Map.of("code_dim", 16), ListaClassifierModel.Config.class);
            assertEquals(3, cfg.numIterLista());
            TrainingSpec training = new TrainingSpec(1, 30, 0, OptimizerSpec.defaults());
            ListaClassifierModel.Instance model = (ListaClassifierModel.Instance) new ListaClassifierModel()
                    .create(cfg, new TestModelContext(DataSpec.of(new int[]{12}, 3), m, training));
            // encoder W [12,16] + b [16] + S [16,16]; head [16,3] + [3]
            long params = model.state().values().stream().mapToLong(NDArray::size).sum();
            assertEquals(12 * 16 + 16 + 16 * 16 + 16 * 3 + 3, params);
            // class c lights up inputs 4c..4c+3
            int n = 30;
            float[] x = new float[n * 12];
            long[] y = new long[n];
            java.util.Random r = new java.util.Random(1);
            for (int i = 0; i < n; i++) {
                y[i] = i % 3;
                for (int j = 0; j < 12; j++) {
                    x[i * 12 + j] = (float) (r.nextGaussian() * 0.3 + (j / 4 == y[i] ? 1 : 0));
                }
            }
            NDArray xs = m.create(x, new Shape(n, 12));
            NDArray ys = m.create(y);
            double first = model.evaluate(new Batch(xs, ys, null)).loss();
            for (int step = 0; step < 300; step++) {
                model.trainStep(new Batch(xs, ys, null));
            }
            StepOutput out = model.evaluate(new Batch(xs, ys, null));
            assertTrue(out.loss() < 0.3 * first, first + " -> " + out.loss());
            long correct = out.output().argMax(1).eq(ys).sum().getLong();
            assertTrue(correct >= 28, correct + " of 30");
            assertTrue(out.code().min().getFloat() >= 0, "LISTA codes are non-negative");
            assertEquals(out.output().toFloatArray()[0], model.predict(xs).orElseThrow().toFloatArray()[0], 1e-6);
        }
    }
}

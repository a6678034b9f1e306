package org.sparselab.plugins.sdmtopk;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.sparselab.api.Mode;
import org.sparselab.api.Task;
import org.sparselab.api.config.ConfigException;
import org.sparselab.api.data.Batch;
import org.sparselab.api.data.DataSpec;
import org.sparselab.api.model.StepOutput;
import org.sparselab.api.model.TrainableModel;
import org.sparselab.api.sparsity.SparsityOp;
import org.sparselab.api.train.OptimizerSpec;
import org.sparselab.api.train.TrainingSpec;
import org.sparselab.core.testing.TestModelContext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SdmTopKModelTest {

    /** A minimal top-k for the test (the real one lives in the topk plugin, which this plugin must not import). */
    static SparsityOp topk(int k) {
        return (a, mode) -> {
            NDArray r = a.maximum(0f);
            NDArray kth = r.stopGradient().topK(k, -1, true, false).get(0).min(new int[]{-1}, true);
            return r.mul(r.gte(kth).toType(r.getDataType(), false));
        };
    }

    private static SdmTopKModel.Config config(int units, String task) {
        return new SdmTopKModel.Config(units, task, null, null, null, null, null, null, null);
    }

    private static Batch batch(NDManager m, int n, int dim, int classes) {
        NDArray x = m.randomUniform(0, 1, new Shape(n, dim));
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % classes;
        }
        return new Batch(x, m.create(y), new int[n]);
    }

    @Test
    void addressRowsStayUnitNormAfterEveryStepAndCodesAreKSparse() {
        Engine.getInstance().setRandomSeed(1);
        try (NDManager m = NDManager.newBaseManager()) {
            DataSpec spec = DataSpec.of(new int[]{20}, 3);
            TestModelContext ctx = new TestModelContext(spec, m, new TrainingSpec(1, 16, 1.0, OptimizerSpec.defaults()))
                    .with("hidden", units -> topk(5));
            TrainableModel model = new SdmTopKModel().create(config(64, "auto"), ctx);
            assertEquals(Task.CLASSIFICATION, model.task());
            for (int step = 0; step < 5; step++) {
                try (NDScope s = new NDScope()) {
                    StepOutput out = model.trainStep(batch(m, 16, 20, 3));
                    long[] nnz = out.code().gt(0).sum(new int[]{1}).toLongArray();
                    for (long c : nnz) {
                        assertTrue(c <= 5, "code has " + c + " active units");
                    }
                    float[] norms = model.atoms().orElseThrow().norm(new int[]{1}).toFloatArray();
                    for (float n : norms) {
                        assertEquals(1.0, n, 1e-5);
                    }
                }
            }
            model.close();
        }
    }

    @Test
    void positiveWeightsStayNonNegativeAfterEveryStep() {
        Engine.getInstance().setRandomSeed(3);
        try (NDManager m = NDManager.newBaseManager()) {
            DataSpec spec = DataSpec.of(new int[]{12}, 3);
            TestModelContext ctx = new TestModelContext(spec, m, new TrainingSpec(1, 16, 1.0,
                    new OptimizerSpec("sgdm", 0.03, null, null, null, null, null, null))).with("hidden", units -> topk(4));
            TrainableModel model = new SdmTopKModel().create(new SdmTopKModel.Config(32, null, null, true, null, true, null, null, null), ctx);
            for (int step = 0; step < 10; step++) {
                try (NDScope s = new NDScope()) {
                    model.trainStep(batch(m, 16, 12, 3));
                    for (NDArray w : model.state().values()) {
                        assertTrue(w.min().getFloat() >= 0f, "all parameters >= 0 after step " + step);
                    }
                    for (float n : model.atoms().orElseThrow().norm(new int[]{1}).toFloatArray()) {
                        assertEquals(1.0, n, 1e-5);
                    }
                }
            }
            model.close();
        }
    }

    @Test
    void learnsASimpleClassificationTask() {
        Engine.getInstance().setRandomSeed(2);
        try (NDManager m = NDManager.newBaseManager()) {
            DataSpec spec = DataSpec.of(new int[]{8}, 2);
            TestModelContext ctx = new TestModelContext(spec, m, new TrainingSpec(1, 64, 0, new OptimizerSpec("adam", 0.01, null, null, null, null, null, null)))
                    .with("topk", units -> topk(8));
            TrainableModel model = new SdmTopKModel().create(config(32, "classification"), ctx);
            // class = which half of the input carries the mass
            NDArray x = m.randomUniform(0, 1, new Shape(256, 8));
            NDArray left = x.get(":, :4").sum(new int[]{1});
            NDArray right = x.get(":, 4:").sum(new int[]{1});
            NDArray y = left.gt(right).toType(ai.djl.ndarray.types.DataType.INT64, false);
            Batch b = new Batch(x, y, new int[256]);
            double first = Double.NaN;
            double last = Double.NaN;
            for (int i = 0; i < 200; i++) {
                try (NDScope s = new NDScope()) {
                    NDScope.unregister(x, y);
                    StepOutput out = model.trainStep(b);
                    if (i == 0) {
                        first = out.loss();
                    }
                    last = out.loss();
                }
            }
            assertTrue(last < first * 0.6, "loss went from " + first + " to " + last);
            NDArray pred = model.predict(x).orElseThrow().argMax(1);
            double acc = pred.eq(y).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).mean().getFloat();
            assertTrue(acc > 0.85, "train accuracy " + acc);
            model.close();
        }
    }

    @Test
    void trainableSparsifierParametersAreOptimised() {
        Engine.getInstance().setRandomSeed(4);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray shared = m.zeros(new Shape(1));
            SparsityOp learned = new SparsityOp() {
                @Override
                public NDArray apply(NDArray a, Mode mode) {
                    return a.add(shared).maximum(0f);
                }

                @Override
                public java.util.Map<String, NDArray> trainable() {
                    return java.util.Map.of("bias", shared);
                }

                @Override
                public java.util.Map<String, NDArray> state() {
                    return java.util.Map.of("bias", shared);
                }
            };
            DataSpec spec = DataSpec.of(new int[]{10}, 2);
            TestModelContext ctx = new TestModelContext(spec, m, new TrainingSpec(1, 16, 0,
                    new OptimizerSpec("adam", 0.05, null, null, null, null, null, null))).with("hidden", units -> learned);
            TrainableModel model = new SdmTopKModel().create(config(16, "classification"), ctx);
            for (int i = 0; i < 20; i++) {
                try (NDScope s = new NDScope()) {
                    model.trainStep(batch(m, 16, 10, 2));
                }
            }
            assertTrue(Math.abs(shared.getFloat()) > 1e-4, "the shared bias moved: " + shared.getFloat());
            model.close();
        }
    }

    @Test
    void memoryStaysFlatAcrossSteps() {
        try (NDManager m = NDManager.newBaseManager()) {
            DataSpec spec = DataSpec.of(new int[]{10}, 2);
            TestModelContext ctx = new TestModelContext(spec, m).with("hidden", units -> topk(4));
            TrainableModel model = new SdmTopKModel().create(config(16, "reconstruction"), ctx);
            int after1 = -1;
            for (int i = 0; i < 50; i++) {
                try (NDScope s = new NDScope()) {
                    model.trainStep(batch(m, 8, 10, 2));
                }
                if (i == 1) {
                    after1 = m.getManagedArrays().size();
                }
            }
            assertEquals(after1, m.getManagedArrays().size(), "arrays left in the model's manager grew");
            model.close();
        }
    }

    @Test
    void reconstructionNeedsNoLabelsAndClassificationNeedsThem() {
        try (NDManager m = NDManager.newBaseManager()) {
            DataSpec unlabelled = DataSpec.of(new int[]{10}, 0);
            TestModelContext ctx = new TestModelContext(unlabelled, m).with("hidden", units -> topk(4));
            TrainableModel model = new SdmTopKModel().create(config(16, "auto"), ctx);
            assertEquals(Task.RECONSTRUCTION, model.task());
            NDArray x = m.randomUniform(0, 1, new Shape(4, 10));
            assertEquals(new Shape(4, 10), model.predict(x).orElseThrow().getShape());
            assertEquals(new Shape(4, 16), model.encode(x).getShape());
            model.close();
            ConfigException e = assertThrows(ConfigException.class,
                    () -> new SdmTopKModel().create(config(16, "classification"), new TestModelContext(unlabelled, m)));
            assertEquals("task", e.key());
        }
    }
}

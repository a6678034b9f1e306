package org.sparselab.plugins.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.sparselab.api.Task;
import org.sparselab.api.data.ArraySplit;
import org.sparselab.api.data.Batch;
import org.sparselab.api.data.DataSource;
import org.sparselab.api.data.DataSpec;
import org.sparselab.api.data.FloatTensor;
import org.sparselab.api.data.Split;
import org.sparselab.api.metric.MetricContext;
import org.sparselab.api.model.StepOutput;
import org.sparselab.api.model.TrainableModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Test doubles shared by the metric tests: a data source with optional ground truth and a model with fixed atoms. */
abstract class Fixtures {
    protected NDManager m;

    @BeforeEach
    void openManager() {
        m = NDManager.newBaseManager();
    }

    @AfterEach
    void closeManager() {
        m.close();
    }

    protected NDArray arr(int rows, int cols, float... v) {
        return m.create(v, new Shape(rows, cols));
    }

    protected NDArray labels(long... v) {
        return m.create(v);
    }

    protected MetricContext ctx(Task task) {
        return ctx(task, Map.of());
    }

    protected MetricContext ctx(Task task, Map<String, FloatTensor> truth) {
        return new MetricContext(data(truth), task, 3, m);
    }

    /** A step with only a code, as memories and Hebbian layers produce. */
    protected static StepOutput codeOnly(NDArray code) {
        return new StepOutput(code, null, code, null, Double.NaN);
    }

    static DataSource data(Map<String, FloatTensor> truth) {
        return new DataSource() {
            @Override
            public DataSpec spec() {
                return DataSpec.of(new int[]{2}, 0);
            }

            @Override
            public List<String> splitNames() {
                return List.of("train");
            }

            @Override
            public Split split(String name) {
                return new ArraySplit("train", new float[2], null, 2);
            }

            @Override
            public String fingerprint() {
                return "test";
            }

            @Override
            public Map<String, FloatTensor> groundTruth() {
                return truth;
            }
        };
    }

    static TrainableModel model() {
        return model(null);
    }

    /** A model double whose only behaviour is {@link TrainableModel#atoms()}. */
    static TrainableModel model(NDArray atoms) {
        return new TrainableModel() {
            @Override
            public Task task() {
                return Task.RECONSTRUCTION;
            }

            @Override
            public int codeSize() {
                return 3;
            }

            @Override
            public StepOutput trainStep(Batch batch) {
                throw new UnsupportedOperationException("test double");
            }

            @Override
            public StepOutput evaluate(Batch batch) {
                throw new UnsupportedOperationException("test double");
            }

            @Override
            public NDArray encode(NDArray x) {
                throw new UnsupportedOperationException("test double");
            }

            @Override
            public Optional<NDArray> atoms() {
                return Optional.ofNullable(atoms);
            }

            @Override
            public Map<String, NDArray> state() {
                return Map.of();
            }

            @Override
            public void close() {
            }
        };
    }

    /** Forwards everything to another model, so a test can override one method. */
    static class Delegating implements TrainableModel {
        private final TrainableModel inner;

        Delegating(TrainableModel inner) {
            this.inner = inner;
        }

        @Override
        public Task task() {
            return inner.task();
        }

        @Override
        public int codeSize() {
            return inner.codeSize();
        }

        @Override
        public StepOutput trainStep(Batch batch) {
            return inner.trainStep(batch);
        }

        @Override
        public StepOutput evaluate(Batch batch) {
            return inner.evaluate(batch);
        }

        @Override
        public NDArray encode(NDArray x) {
            return inner.encode(x);
        }

        @Override
        public Optional<NDArray> atoms() {
            return inner.atoms();
        }

        @Override
        public Map<String, NDArray> state() {
            return inner.state();
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}

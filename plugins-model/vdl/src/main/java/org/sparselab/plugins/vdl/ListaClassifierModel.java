package org.sparselab.plugins.vdl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.pf4j.Extension;
import org.sparselab.api.Model;
import org.sparselab.api.Task;
import org.sparselab.api.config.Check;
import org.sparselab.api.config.ConfigException;
import org.sparselab.api.config.Param;
import org.sparselab.api.data.Batch;
import org.sparselab.api.model.ModelContext;
import org.sparselab.api.model.StepOutput;
import org.sparselab.api.model.TrainableModel;
import org.sparselab.api.onnx.OnnxGraph;
import org.sparselab.api.train.ParameterSet;
import org.sparselab.api.train.Updater;
import org.tribuo.util.onnx.ONNXRef;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code lista-classifier}: the VDL paper's supervised baseline for low-data classification (spec vdl.md §9,
 * eval_classification.py's lista_classifier): a fresh LISTA encoder (§1: W y + b, K iterations with S, ReLU, codes ≥ 0)
 * followed by a linear layer to the classes, trained end to end with cross-entropy. Adam and its rate come from the run's
 * {@code training.optimizer} (the original: Adam, lr 1e-3, no weight decay, 100 epochs, batch 250); the best validation
 * epoch is the run's {@code training.keep_best: {metric: loss}} (validation cross-entropy, which fixes §11 item 4). The
 * K-per-class training subsets come from the dataset ({@code mnist}'s {@code train_per_class}).
 */
@Extension
public final class ListaClassifierModel implements Model<ListaClassifierModel.Config> {

    /** Parameters of {@code lista-classifier}. */
    public record Config(
            @Param("code dimension d of the LISTA encoder (128 in the original)") Integer codeDim,
            @Param("LISTA iterations K (3, the value the original's missing --num_iter_LISTA flag presumably meant; §11 item 2)") Integer numIterLista) {

        public Config {
            codeDim = Check.atLeast("code_dim", Check.orDefault(codeDim, 128), 1);
            numIterLista = Check.atLeast("num_iter_lista", Check.orDefault(numIterLista, 3), 0);
        }
    }

    @Override
    public String id() {
        return "lista-classifier";
    }

    @Override
    public String description() {
        return "Supervised baseline of the VDL paper: a fresh LISTA encoder + linear layer trained end to end with cross-entropy";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public TrainableModel create(Config config, ModelContext context) {
        if (!context.data().labelled()) {
            throw ConfigException.invalid("model", "lista-classifier", "a model for labelled data (the dataset has no classes)");
        }
        return new Instance(config, context);
    }

    static final class Instance implements TrainableModel {
        final Config config;
        final int pixels;
        final int classes;
        final NDArray encW;
        final NDArray encB;
        final NDArray encS;
        final NDArray headW;
        final NDArray headB;
        private final Updater updater;

        Instance(Config c, ModelContext ctx) {
            this.config = c;
            this.pixels = ctx.data().inputDim();
            this.classes = ctx.data().numClasses();
            NDManager m = ctx.manager();
            int d = c.codeDim();
            // torch.nn.Linear's init U(±1/√fan_in) for weights; the LISTA bias starts at 0 (§1), the head's bias as Linear's
            encW = uniform(m, new Shape(pixels, d), pixels);
            encB = m.zeros(new Shape(d));
            encS = uniform(m, new Shape(d, d), d);
            headW = uniform(m, new Shape(d, classes), d);
            headB = uniform(m, new Shape(classes), d);
            updater = ctx.updater(new ParameterSet().weight("encoder_w", encW).bias("encoder_b", encB).weight("encoder_s", encS)
                    .weight("head_w", headW).bias("head_b", headB));
        }

        private static NDArray uniform(NDManager m, Shape shape, int fanIn) {
            float a = (float) (1 / Math.sqrt(fanIn));
            return m.randomUniform(-a, a, shape);
        }

        NDArray lista(NDArray y) {
            return Lista.forward(y, encW, encB, encS, config.numIterLista());
        }

        /** Mean cross-entropy of the logits against the labels. */
        static NDArray crossEntropy(NDArray logits, NDArray labels) {
            NDArray idx = labels.toType(DataType.INT64, false).reshape(-1, 1);
            return logits.logSoftmax(1).gather(idx, 1).neg().mean();
        }

        @Override
        public Task task() {
            return Task.CLASSIFICATION;
        }

        @Override
        public int codeSize() {
            return config.codeDim();
        }

        @Override
        public StepOutput trainStep(Batch batch) {
            NDArray x = batch.x().reshape(batch.x().getShape().get(0), pixels);
            NDArray z;
            NDArray logits;
            double loss;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                z = lista(x);
                logits = z.matMul(headW).add(headB);
                NDArray l = crossEntropy(logits, batch.y());
                gc.backward(l);
                loss = l.getFloat();
            }
            updater.step();
            return new StepOutput(x, batch.y(), z.stopGradient(), logits.stopGradient(), loss);
        }

        /** Validation and test: loss = the mean cross-entropy (what the original selects its epoch by). */
        @Override
        public StepOutput evaluate(Batch batch) {
            NDArray x = batch.x().reshape(batch.x().getShape().get(0), pixels);
            NDArray z = lista(x);
            NDArray logits = z.matMul(headW).add(headB);
            double loss = batch.y() == null ? Double.NaN : crossEntropy(logits, batch.y()).getFloat();
            return new StepOutput(x, batch.y(), z, logits, loss);
        }

        @Override
        public NDArray encode(NDArray x) {
            return lista(x.reshape(x.getShape().get(0), pixels));
        }

        @Override
        public Optional<NDArray> predict(NDArray x) {
            return Optional.of(encode(x).matMul(headW).add(headB));
        }

        @Override
        public Map<String, NDArray> state() {
            Map<String, NDArray> s = new LinkedHashMap<>();
            s.put("encoder_w", encW);
            s.put("encoder_b", encB);
            s.put("encoder_s", encS);
            s.put("head_w", headW);
            s.put("head_b", headB);
            return s;
        }

        @Override
        public java.util.Set<String> headState() {
            return java.util.Set.of("head_w", "head_b");
        }

        @Override
        public Optional<ONNXRef<?>> onnxEncode(OnnxGraph g, ONNXRef<?> x) {
            return Optional.of(Lista.onnx(g, x, encW, encB, encS, config.numIterLista()));
        }

        @Override
        public Optional<ONNXRef<?>> onnxPredict(OnnxGraph g, ONNXRef<?> x) {
            ONNXRef<?> z = onnxEncode(g, x).orElseThrow();
            return Optional.of(g.add(g.matMul(z, g.weights("head_w", headW)), g.weights("head_b", headB)));
        }

        @Override
        public void close() {
            for (NDArray a : state().values()) {
                a.close();
            }
        }
    }
}

package org.sparselab.plugins.sdmtopk;

import ai.djl.ndarray.types.DataType;
import org.sparselab.api.sparsity.SparsityOp;
import java.util.List;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import org.sparselab.api.Mode;
import org.sparselab.api.Task;
import org.sparselab.api.config.ConfigException;
import org.sparselab.api.data.Batch;
import org.sparselab.api.data.DataSpec;
import org.sparselab.api.model.StepOutput;
import org.sparselab.api.model.TrainableModel;
import org.sparselab.api.train.Updater;

import java.util.Optional;

/**
 * What this plugin's gradient-trained models share: input → code → output, the loss (cross-entropy, or
 * the mean squared error against the clean input, plus the activation L1 term), one optimiser step per
 * batch, and a hook for constraints applied after each step.
 */
abstract class GradientModel implements TrainableModel {
    private final Loss crossEntropy = Loss.softmaxCrossEntropyLoss();
    private final Task task;
    private final double activationL1;
    private Updater updater;

    GradientModel(Task task, double activationL1) {
        this.task = task;
        this.activationL1 = activationL1;
    }

    /** classification | reconstruction | auto, checked against the data. */
    static Task resolveTask(String setting, DataSpec data) {
        Task task = switch (setting) {
            case "classification" -> Task.CLASSIFICATION;
            case "reconstruction" -> Task.RECONSTRUCTION;
            default -> data.labelled() ? Task.CLASSIFICATION : Task.RECONSTRUCTION;
        };
        if (task == Task.CLASSIFICATION && !data.labelled()) {
            throw ConfigException.invalid("task", setting, "reconstruction (the dataset has no labels)");
        }
        return task;
    }

    /** Set once the parameters exist. */
    final void updater(Updater u) {
        this.updater = u;
    }

    /** Input → code (after the sparsifiers). */
    abstract NDArray code(NDArray x, Mode mode);

    /** Code → class scores or reconstruction. */
    abstract NDArray output(NDArray code);

    /**
     * The code in evaluation passes (validation/test metrics). Equal to the inference code unless the model
     * perturbs its evaluation inputs, as the noise paper's models do; {@link #encode} and {@link #predict}
     * (deployment, probes, ONNX) always use the clean inference code.
     */
    NDArray evaluationCode(NDArray x) {
        return code(x, Mode.INFERENCE);
    }

    /** The output in evaluation passes; differs from {@link #output} only for models whose memory changes there. */
    NDArray evaluationOutput(NDArray code) {
        return output(code);
    }

    /** The model's sparsity operators, asked for auxiliary loss terms (REINFORCE-trained k) each training step. */
    List<? extends SparsityOp> sparsityOps() {
        return List.of();
    }

    /** The task loss of each example, {@code [n]}, detached (what REINFORCE-style operators weigh). */
    private NDArray perExampleLoss(NDArray x, NDArray labels, NDArray out) {
        NDArray o = out.stopGradient();
        if (task == Task.CLASSIFICATION) {
            NDArray idx = labels.toType(DataType.INT64, false).reshape(-1, 1);
            return o.logSoftmax(1).gather(idx, 1).reshape(-1).neg();
        }
        return o.sub(x).square().mean(new int[]{1});
    }

    /** Weight constraints after each optimiser step (no gradient is recorded). */
    void afterStep() {
    }

    @Override
    public final Task task() {
        return task;
    }

    final NDArray loss(NDArray x, NDArray labels, NDArray code, NDArray out) {
        NDArray l = task == Task.CLASSIFICATION
                ? crossEntropy.evaluate(new NDList(labels), new NDList(out))
                : out.sub(x).square().mean();
        if (activationL1 > 0) {
            l = l.add(code.abs().sum(new int[]{1}).mean().mul((float) activationL1));
        }
        return l;
    }

    @Override
    public final StepOutput trainStep(Batch batch) {
        NDArray code;
        NDArray out;
        NDArray loss;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            code = code(batch.x(), Mode.TRAIN);
            out = output(code);
            loss = loss(batch.x(), batch.y(), code, out);
            NDArray total = loss;
            NDArray finalOut = out;
            for (SparsityOp op : sparsityOps()) {
                java.util.Optional<NDArray> aux = op.auxiliaryLoss(() -> perExampleLoss(batch.x(), batch.y(), finalOut));
                if (aux.isPresent()) {
                    total = total.add(aux.get());
                }
            }
            gc.backward(total);
        }
        updater.step();
        afterStep();
        return new StepOutput(batch.x(), batch.y(), code.stopGradient(), out.stopGradient(), loss.getFloat());
    }

    @Override
    public final StepOutput evaluate(Batch batch) {
        NDArray code = evaluationCode(batch.x());
        NDArray out = evaluationOutput(code);
        double loss = batch.y() == null && task == Task.CLASSIFICATION ? Double.NaN : loss(batch.x(), batch.y(), code, out).getFloat();
        return new StepOutput(batch.x(), batch.y(), code, out, loss);
    }

    @Override
    public final NDArray encode(NDArray x) {
        return code(x, Mode.INFERENCE);
    }

    @Override
    public final Optional<NDArray> predict(NDArray x) {
        return Optional.of(output(code(x, Mode.INFERENCE)));
    }

    @Override
    public final Optional<NDArray> decode(NDArray code) {
        return task == Task.RECONSTRUCTION ? Optional.of(output(code)) : Optional.empty();
    }
}

package org.sparselab.core.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import org.sparselab.api.data.Batch;
import org.sparselab.api.data.Split;
import org.sparselab.api.model.TrainableModel;
import org.sparselab.api.train.ParameterSet;
import org.sparselab.core.config.RegularizerConfig;

import java.util.List;

/**
 * Continual-learning regularisers that act through the updaters at task boundaries: EWC (memory variant:
 * Fisher from a few batches, with the model's predicted label under a softmax of temperature β), MAS
 * (sensitivity of the squared output norm), SI (synaptic intelligence: the path integral of −g·Δθ over the
 * task's steps, over the squared total change plus a damping ξ) and L2 anchoring (Ω = 1). Importances accumulate over tasks and the anchor moves to the latest parameters
 * ("online" EWC), so one penalty term is kept, not one per task.
 */
public final class Regularizers {
    private Regularizers() {
    }

    /** Called before the first task: regularisers that watch training (SI) start here. */
    public static void start(RegularizerConfig cfg, List<DjlUpdater> updaters) {
        if (cfg.id().equals("si")) {
            updaters.forEach(DjlUpdater::trackPath);
        }
    }

    /** Called after training task {@code data}: recomputes importances and re-anchors. */
    public static void consolidate(RegularizerConfig cfg, TrainableModel model, List<DjlUpdater> updaters, Split data, long seed) {
        if (cfg.id().equals("none")) {
            return;
        }
        for (DjlUpdater u : updaters) {
            List<ParameterSet.Entry> entries = u.entries();
            NDArray[] omega = new NDArray[entries.size()];
            Anchor previous = u.anchor();
            for (int i = 0; i < omega.length; i++) {
                NDArray p = entries.get(i).array();
                omega[i] = cfg.id().equals("l2") ? p.onesLike() : p.zerosLike();
                omega[i].setRequiresGradient(false);
                NDScope.unregister(omega[i]);
            }
            if (cfg.id().equals("si")) {
                for (NDArray o : omega) {
                    o.close();
                }
                omega = u.pathTracker().consolidate(entries, cfg.damping().floatValue());
            } else if (cfg.id().equals("ewc") || cfg.id().equals("mas")) {
                importance(cfg, model, entries, omega, data, seed);
            }
            if (previous != null && !cfg.id().equals("l2")) {
                for (int i = 0; i < omega.length; i++) {
                    omega[i].addi(previous.importance(i));
                }
            }
            u.anchor(new Anchor(entries, omega, cfg.importance().floatValue()));
        }
    }

    /**
     * EWC: squared gradients of the predicted label's log-probability (softmax at temperature β); MAS: absolute
     * gradients of the squared L2 norm of the output. Averaged over a few batches of the task's data.
     */
    static void importance(RegularizerConfig cfg, TrainableModel model, List<ParameterSet.Entry> entries, NDArray[] omega, Split data,
                           long seed) {
        boolean ewc = cfg.id().equals("ewc");
        int[] order = BatchOrder.permutation(data.size(), seed, 7919, true);
        int batches = Math.min(cfg.fisherBatches(), BatchOrder.batches(data.size(), cfg.fisherBatchSize()));
        for (int b = 0; b < batches; b++) {
            try (NDScope scope = new NDScope()) {
                Batch batch = data.batch(BatchOrder.batch(order, b, cfg.fisherBatchSize()), entries.get(0).array().getManager());
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray logits = model.predict(batch.x()).orElseThrow(
                            () -> new IllegalStateException("EWC needs a model with class scores (predict)"));
                    if (ewc) {
                        NDArray logp = logits.mul(cfg.beta().floatValue()).logSoftmax(1);
                        NDArray predicted = logits.stopGradient().argMax(1);
                        // the batch's mean log-likelihood, as a cross-entropy loss on the predicted labels would be
                        gc.backward(logp.mul(predicted.oneHot((int) logits.getShape().get(1))).sum().div(batch.size()));
                    } else {
                        gc.backward(logits.square().sum().div(batch.size()));
                    }
                }
                for (int i = 0; i < entries.size(); i++) {
                    try (NDArray g = entries.get(i).array().getGradient()) {
                        omega[i].addi((ewc ? g.square() : g.abs()).div(batches));
                        g.muli(0f);
                    }
                }
            }
        }
    }

}

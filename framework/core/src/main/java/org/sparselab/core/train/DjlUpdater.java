package org.sparselab.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import org.sparselab.api.train.OptimizerSpec;
import org.sparselab.api.train.ParameterSet;
import org.sparselab.api.train.Updater;

import ai.djl.ndarray.NDManager;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Global-norm gradient clipping (as torch.nn.utils.clip_grad_norm_) followed by a DJL optimiser step.
 * Gradients are zeroed after the step, whatever the optimiser does, so the next backward starts clean.
 */
public final class DjlUpdater implements Updater {
    private final List<ParameterSet.Entry> entries;
    private final Optimizer weights;
    private final Optimizer biases;
    private final double clip;
    private long steps;

    public DjlUpdater(ParameterSet parameters, OptimizerSpec spec, double clip) {
        this.entries = parameters.entries();
        this.weights = build(spec, spec.lr());
        this.biases = spec.biasLr() == null ? weights : build(spec, spec.biasLr());
        this.clip = clip;
    }

    /** A DJL optimiser for the spec with learning rate {@code lr}. */
    public static Optimizer build(OptimizerSpec s, double lr) {
        Tracker rate = Tracker.fixed((float) lr);
        float wd = s.weightDecay().floatValue();
        return switch (s.id()) {
            case "adam" -> Optimizer.adam().optLearningRateTracker(rate).optBeta1(s.beta1().floatValue())
                    .optBeta2(s.beta2().floatValue()).optEpsilon(s.epsilon().floatValue()).optWeightDecays(wd).build();
            case "adamw" -> Optimizer.adamW().optLearningRateTracker(rate).optBeta1(s.beta1().floatValue())
                    .optBeta2(s.beta2().floatValue()).optEpsilon(s.epsilon().floatValue()).optWeightDecays(wd).build();
            case "sgd" -> Optimizer.sgd().setLearningRateTracker(rate).optWeightDecays(wd).build();
            case "sgdm" -> Optimizer.sgd().setLearningRateTracker(rate).optMomentum(s.momentum().floatValue()).optWeightDecays(wd).build();
            case "nag" -> Optimizer.nag().setLearningRateTracker(rate).setMomentum(s.momentum().floatValue()).optWeightDecays(wd).build();
            case "rmsprop" -> Optimizer.rmsprop().optLearningRateTracker(rate).optEpsilon(s.epsilon().floatValue()).optWeightDecays(wd).build();
            case "adagrad" -> Optimizer.adagrad().optLearningRateTracker(rate).optEpsilon(s.epsilon().floatValue()).optWeightDecays(wd).build();
            default -> throw new IllegalArgumentException("unknown optimizer " + s.id());
        };
    }

    @Override
    public double step() {
        NDArray[] grads = new NDArray[entries.size()];
        double norm;
        try {
            for (int i = 0; i < grads.length; i++) {
                grads[i] = entries.get(i).array().getGradient();
            }
            try (NDScope scope = new NDScope()) {
                NDArray sq = null;
                for (NDArray g : grads) {
                    NDArray s = g.square().sum();
                    sq = sq == null ? s : sq.add(s);
                }
                norm = sq == null ? 0.0 : Math.sqrt(sq.getFloat());
            }
            if (clip > 0 && norm > clip) {
                float scale = (float) (clip / (norm + 1e-6));
                for (NDArray g : grads) {
                    g.muli(scale);
                }
            }
            // Optimiser state (moments) is created lazily on the first update, possibly inside the caller's
            // NDScope, which would free it at the end of the step: keep whatever the first step creates.
            Map<NDManager, Set<NDArray>> before = steps == 0 ? snapshot() : null;
            for (int i = 0; i < grads.length; i++) {
                ParameterSet.Entry e = entries.get(i);
                (e.bias() ? biases : weights).update(e.name(), e.array(), grads[i]);
                grads[i].muli(0f);
            }
            if (before != null) {
                keepNewArrays(before);
            }
        } finally {
            for (NDArray g : grads) {
                if (g != null) {
                    g.close();
                }
            }
        }
        steps++;
        return norm;
    }

    private Map<NDManager, Set<NDArray>> snapshot() {
        Map<NDManager, Set<NDArray>> m = new IdentityHashMap<>();
        for (ParameterSet.Entry e : entries) {
            NDManager mg = e.array().getManager();
            m.computeIfAbsent(mg, k -> {
                Set<NDArray> s = Collections.newSetFromMap(new IdentityHashMap<>());
                s.addAll(k.getManagedArrays());
                return s;
            });
        }
        return m;
    }

    private static void keepNewArrays(Map<NDManager, Set<NDArray>> before) {
        for (Map.Entry<NDManager, Set<NDArray>> e : before.entrySet()) {
            for (NDArray a : e.getKey().getManagedArrays()) {
                if (!e.getValue().contains(a)) {
                    NDScope.unregister(a);
                }
            }
        }
    }

    @Override
    public long steps() {
        return steps;
    }
}

package org.sparselab.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import org.sparselab.api.train.OptimizerSpec;
import org.sparselab.api.train.ParameterSet;
import org.sparselab.api.train.Updater;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Map;

/**
 * Global-norm gradient clipping (as torch.nn.utils.clip_grad_norm_) followed by a DJL optimiser step.
 * Gradients are zeroed after the step, whatever the optimiser does, so the next backward starts clean.
 */
public final class DjlUpdater implements Updater {
    private final List<ParameterSet.Entry> entries;
    private final Rule weights;
    private final Rule biases;
    private final OptimizerSpec spec;
    /** Rules for arrays trained at a scaled learning rate, by group and scale (created on first use). */
    private final Map<String, Rule> scaled = new java.util.HashMap<>();
    private final double clip;
    private long steps;
    private Anchor anchor;
    private SiTracker si;

    public DjlUpdater(ParameterSet parameters, OptimizerSpec spec, double clip) {
        this.entries = parameters.entries();
        this.weights = rule(spec, spec.lr());
        this.biases = spec.biasLr() == null ? weights : rule(spec, spec.biasLr());
        this.spec = spec;
        this.clip = clip;
    }

    private Rule ruleFor(ParameterSet.Entry e) {
        if (e.lrScale() == 1.0) {
            return e.bias() ? biases : weights;
        }
        double base = e.bias() && spec.biasLr() != null ? spec.biasLr() : spec.lr();
        return scaled.computeIfAbsent((e.bias() ? "b" : "w") + e.lrScale(), k -> rule(spec, base * e.lrScale()));
    }

    /** One optimiser's update of one array. */
    @FunctionalInterface
    interface Rule {
        void update(String name, NDArray weight, NDArray grad);
    }

    private static Rule rule(OptimizerSpec s, double lr) {
        float wd = s.weightDecay().floatValue();
        return switch (s.id()) {
            // torch.optim defaults: RMSprop alpha 0.99; Adagrad eps 1e-10 unless set.
            case "rmsprop" -> new ElementwiseOptimizer(ElementwiseOptimizer.Kind.RMSPROP, (float) lr, s.epsilon().floatValue(), 0.99f, wd)::update;
            case "sgdm" -> new ElementwiseOptimizer(ElementwiseOptimizer.Kind.SGD_MOMENTUM, (float) lr, 0f, s.momentum().floatValue(), wd)::update;
            case "adagrad" -> new ElementwiseOptimizer(ElementwiseOptimizer.Kind.ADAGRAD, (float) lr, 1e-10f, 0f, wd)::update;
            default -> {
                Optimizer o = build(s, lr);
                yield new DjlRule(o);
            }
        };
    }

    /** A DJL optimiser; its lazily created state is taken out of the step's scope after the first update. */
    private static final class DjlRule implements Rule {
        private final Optimizer optimizer;
        private boolean kept;

        DjlRule(Optimizer optimizer) {
            this.optimizer = optimizer;
        }

        @Override
        public void update(String name, NDArray weight, NDArray grad) {
            optimizer.update(name, weight, grad);
        }

        void keep() {
            if (!kept) {
                keepState(optimizer);
                kept = true;
            }
        }
    }

    /** A DJL optimiser for the spec with learning rate {@code lr} (the ids DJL's PyTorch engine implements). */
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
                if (si != null) {
                    si.beforeStep(i, entries.get(i).array(), grads[i]);
                }
                if (anchor != null) {
                    anchor.addGradient(i, entries.get(i).array(), grads[i]);
                }
            }
            if (clip > 0) {
                try (NDScope scope = new NDScope()) {
                    // One norm kernel per array (no squared temporary), then √Σ nᵢ² on the host.
                    double sq = 0;
                    for (NDArray g : grads) {
                        double n = g.norm().getFloat();
                        sq += n * n;
                    }
                    norm = Math.sqrt(sq);
                }
            } else {
                // Without clipping nothing needs the norm, and each array's norm is a host sync: at batch 8 the ten
                // syncs of a four-layer autoencoder cost about a tenth of the step.
                norm = Double.NaN;
            }
            if (clip > 0 && norm > clip) {
                float scale = (float) (clip / (norm + 1e-6));
                for (NDArray g : grads) {
                    g.muli(scale);
                }
            }
            for (int i = 0; i < grads.length; i++) {
                ParameterSet.Entry e = entries.get(i);
                ruleFor(e).update(e.name(), e.array(), grads[i]);
                grads[i].muli(0f);
                if (si != null) {
                    si.afterStep(i, e.array());
                }
            }
            if (steps == 0) {
                // DJL creates optimiser state (moments) lazily on the first update, inside the caller's NDScope,
                // which would free it at the end of the step: take it out of the scope.
                List<Rule> all = new java.util.ArrayList<>(List.of(weights, biases));
                all.addAll(scaled.values());
                for (Rule r : all) {
                    if (r instanceof DjlRule d) {
                        d.keep();
                    }
                }
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

    /** Unregisters from the current NDScope every array held in the optimiser's state maps. */
    private static void keepState(Optimizer opt) {
        for (Class<?> c = opt.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || !Map.class.isAssignableFrom(f.getType())) {
                    continue;
                }
                try {
                    f.setAccessible(true);
                    unregisterAll(f.get(opt));
                } catch (ReflectiveOperationException | RuntimeException e) {
                    throw new IllegalStateException("cannot keep the state of optimiser " + opt.getClass().getName(), e);
                }
            }
        }
    }

    private static void unregisterAll(Object value) {
        if (value instanceof NDArray a) {
            NDScope.unregister(a);
        } else if (value instanceof Map<?, ?> m) {
            for (Object v : m.values()) {
                unregisterAll(v);
            }
        }
    }

    /** The trainable arrays this updater steps. */
    public List<ParameterSet.Entry> entries() {
        return entries;
    }

    /** Replaces the quadratic anchor penalty (null for none); the previous one is closed. */
    public void anchor(Anchor a) {
        if (anchor != null && anchor != a) {
            anchor.close();
        }
        anchor = a;
    }

    public Anchor anchor() {
        return anchor;
    }

    /** Starts synaptic intelligence's path integral (from now on, every step is tracked). */
    void trackPath() {
        if (si == null) {
            si = new SiTracker(entries);
        }
    }

    SiTracker pathTracker() {
        return si;
    }

    @Override
    public long steps() {
        return steps;
    }
}

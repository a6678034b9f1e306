package org.sparselab.core.probe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparselab.api.data.Batch;
import org.sparselab.api.data.Split;
import org.sparselab.core.UserException;
import org.sparselab.core.run.RunState;
import org.sparselab.core.train.BatchOrder;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.Hinge;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.math.optimisers.SGD;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Downstream classification with Tribuo: linear classifiers trained on K labelled samples per class, on the
 * model's codes and on the raw inputs, repeated over seeds. The samples for a given K and seed are the same
 * for codes and raw inputs, so the two columns compare representations, not draws.
 */
public final class Probe {
    private static final Logger LOG = LoggerFactory.getLogger(Probe.class);

    /** Rows of one split as a dense matrix, with labels. */
    record Matrix(float[] x, int[] y, int width) {
        int rows() {
            return y.length;
        }
    }

    /** One probe: accuracies per seed for one feature set and one K. */
    public record Cell(String features, String k, int trainSamples, List<Double> accuracies, double mean, double std) {
    }

    /** Everything a probe produced. */
    public record Result(List<Cell> cells, Map<String, Model<Label>> allModels, Map<String, LabelEvaluation> allEvaluations,
                         Map<String, Matrix> tests, Features codeFeatures) {
    }

    private Probe() {
    }

    public static Result run(RunState state, ProbeConfig cfg) {
        if (!state.data().spec().labelled()) {
            throw new UserException("probe: the dataset '" + state.run().dataset().spec().id() + "' has no labels to probe with");
        }
        for (String s : List.of(cfg.trainSplit(), cfg.testSplit())) {
            if (!state.data().hasSplit(s)) {
                throw new UserException("probe: the dataset has no split '" + s + "'; it has " + state.data().splitNames());
            }
        }
        Split train = state.data().split(cfg.trainSplit());
        Split test = state.data().split(cfg.testSplit());
        int testN = cfg.maxTest() == 0 ? test.size() : Math.min(cfg.maxTest(), test.size());
        long t0 = System.nanoTime();
        Matrix codesTrain = encode(state, train, train.size());
        Matrix codesTest = encode(state, test, testN);
        LOG.info("probe: encoded {} + {} samples in {} s", codesTrain.rows(), codesTest.rows(), String.format("%.1f", (System.nanoTime() - t0) / 1e9));
        Map<String, Matrix[]> sets = new LinkedHashMap<>();
        sets.put("codes", new Matrix[]{codesTrain, codesTest});
        if (cfg.rawBaseline()) {
            sets.put("raw", new Matrix[]{raw(train, train.size()), raw(test, testN)});
        }
        List<String> classes = state.data().spec().classNames();
        List<Cell> cells = new ArrayList<>();
        Map<String, Model<Label>> allModels = new LinkedHashMap<>();
        Map<String, LabelEvaluation> allEvals = new LinkedHashMap<>();
        Map<String, Matrix> tests = new LinkedHashMap<>();
        Features codeFeatures = new Features(codesTrain.width(), "f");
        for (Map.Entry<String, Matrix[]> set : sets.entrySet()) {
            Matrix tr = set.getValue()[0];
            Matrix te = set.getValue()[1];
            tests.put(set.getKey(), te);
            Features f = set.getKey().equals("codes") ? codeFeatures : new Features(tr.width(), "f");
            MutableDataset<Label> testDs = f.dataset(set.getKey() + "-" + cfg.testSplit(), te.x(), te.y(), range(te.rows()), classes);
            for (Object k : cfg.kPerClass()) {
                List<Double> accs = new ArrayList<>();
                int n = 0;
                for (int s = 0; s < cfg.seeds(); s++) {
                    long seed = state.run().seed() * 1000 + s;
                    int[] pick = "all".equals(k) ? range(tr.rows()) : perClass(tr.y(), (Integer) k, classes.size(), seed);
                    n = pick.length;
                    MutableDataset<Label> ds = f.dataset(set.getKey() + "-" + cfg.trainSplit() + "-k" + k + "-s" + s, tr.x(), tr.y(), pick, classes);
                    Model<Label> model = trainer(cfg, seed).train(ds);
                    LabelEvaluation ev = evaluate(model, testDs);
                    accs.add(ev.accuracy());
                    if ("all".equals(k) && s == 0) {
                        allModels.put(set.getKey(), model);
                        allEvals.put(set.getKey(), ev);
                    }
                }
                double mean = accs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
                double std = Math.sqrt(accs.stream().mapToDouble(a -> (a - mean) * (a - mean)).sum() / Math.max(1, accs.size() - 1));
                cells.add(new Cell(set.getKey(), String.valueOf(k), n, List.copyOf(accs), mean, accs.size() > 1 ? std : 0.0));
                LOG.info("probe {} K={}: {}", set.getKey(), k, String.format("%.4f ± %.4f", mean, accs.size() > 1 ? std : 0.0));
            }
        }
        return new Result(cells, allModels, allEvals, tests, codeFeatures);
    }

    static Trainer<Label> trainer(ProbeConfig cfg, long seed) {
        // Tribuo's LogisticRegressionTrainer is LinearSGDTrainer(LogMulticlass, AdaGrad(1.0, 0.1), 5 epochs, minibatch 1)
        // with a fixed seed; built here so that the seed and epochs follow the probe's settings.
        return cfg.trainer().equals("logistic")
                ? new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(cfg.learningRate(), 0.1), cfg.epochs(), 1000, 1, seed)
                : new LinearSGDTrainer(new Hinge(), SGD.getLinearDecaySGD(cfg.learningRate()), cfg.epochs(), 1000, 1, seed);
    }

    private static LabelEvaluation evaluate(Model<Label> model, MutableDataset<Label> test) {
        try {
            return new LabelEvaluator().evaluate(model, test);
        } catch (IllegalArgumentException e) {
            throw new UserException("probe: Tribuo could not evaluate (" + e.getMessage() + "); a test sample whose code has no unit "
                    + "that was ever active in the probe's training samples has nothing to classify by", e);
        }
    }

    /** K samples of every class, drawn without replacement, seeded; classes with fewer samples give all they have. */
    static int[] perClass(int[] labels, int k, int classes, long seed) {
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            byClass.get(labels[i]).add(i);
        }
        SplittableRandom r = new SplittableRandom(seed);
        List<Integer> pick = new ArrayList<>();
        for (List<Integer> members : byClass) {
            int take = Math.min(k, members.size());
            for (int j = 0; j < take; j++) {
                int swap = j + r.nextInt(members.size() - j);
                Integer t = members.get(j);
                members.set(j, members.get(swap));
                members.set(swap, t);
                pick.add(members.get(j));
            }
        }
        int[] out = pick.stream().mapToInt(Integer::intValue).toArray();
        Arrays.sort(out);
        return out;
    }

    static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    static Matrix encode(RunState state, Split split, int n) {
        int bs = state.run().training().evalBatchSize();
        float[] out = null;
        int width = state.model().codeSize();
        int[] order = range(n);
        for (int b = 0; b < BatchOrder.batches(n, bs); b++) {
            int[] idx = BatchOrder.batch(order, b, bs);
            try (NDScope scope = new NDScope()) {
                Batch batch = split.batch(idx, state.manager());
                NDArray code = state.model().encode(batch.x());
                float[] c = code.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
                if (out == null) {
                    out = new float[n * width];
                }
                System.arraycopy(c, 0, out, idx[0] * width, c.length);
            }
        }
        return new Matrix(out == null ? new float[0] : out, labels(split, n), width);
    }

    static Matrix raw(Split split, int n) {
        return new Matrix(split.features(range(n)), labels(split, n), split.inputDim());
    }

    private static int[] labels(Split split, int n) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = split.label(i);
        }
        return y;
    }
}

package org.sparselab.core.probe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.LongProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparselab.api.data.Batch;
import org.sparselab.api.data.Split;
import org.sparselab.core.SparselabVersion;
import org.sparselab.core.UserException;
import org.sparselab.core.train.BatchOrder;
import org.tribuo.Dataset;
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

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Downstream classification with Tribuo: linear classifiers trained on K labelled samples per class, on the
 * model's codes and on the raw inputs, repeated over seeds. For a given K and repetition the samples are the
 * same for codes and raw inputs, so the two columns compare representations, not draws.
 */
public final class Probe {
    private static final Logger LOG = LoggerFactory.getLogger(Probe.class);
    static final String CODES = "codes";
    static final String RAW = "raw";

    /**
     * One table cell: a feature set and K, over the repetitions.
     *
     * @param trainSamples probe training samples of the last repetition (the same for every repetition)
     * @param capped a class had fewer than K samples and gave all it had; for K = all: max_train_all applied
     * @param seconds wall time of the cell (drawing, training and evaluating every repetition)
     */
    public record Cell(String features, String k, int trainSamples, boolean capped, List<Double> accuracies, double mean, double std,
                       List<Double> macroF1, double macroF1Mean, double macroF1Std, double seconds, List<Integer> selectedEpochs) {

        /** A cell without model selection (no selected epochs recorded). */
        public Cell(String features, String k, int trainSamples, boolean capped, List<Double> accuracies, double mean, double std,
                    List<Double> macroF1, double macroF1Mean, double macroF1Std, double seconds) {
            this(features, k, trainSamples, capped, accuracies, mean, std, macroF1, macroF1Mean, macroF1Std, seconds, List.of());
        }
    }

    /** The seed-0 model of the kept K (normally all) for one feature set, with its test evaluation. */
    public record Kept(String k, Model<Label> model, LabelEvaluation evaluation) {
    }

    /** Everything a probe produced; {@code tests} and {@code features} are what the ONNX checks need. */
    public record Result(List<Cell> cells, Map<String, Kept> kept, Map<String, Double> seconds, int testSamples,
                         Map<String, Rows> tests, Map<String, Features> features) {

        /** The Tribuo model on codes for the kept K, repetition 0 (see {@link ProbeFiles#loadCodesModel} for a finished run). */
        public Model<Label> codesModel() {
            Kept k = kept.get(CODES);
            return k == null ? null : k.model();
        }
    }

    private Probe() {
    }

    public static Result run(ProbeData data, ProbeConfig cfg) {
        if (!data.train().labelled() || !data.test().labelled()) {
            throw new UserException("probe: the splits '" + data.train().name() + "' and '" + data.test().name() + "' must be labelled");
        }
        Map<String, Double> seconds = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        int[] trainIdx = Draws.range(data.train().size());
        int[] testIdx = cfg.maxTest() == 0 ? Draws.range(data.test().size()) : Draws.subset(data.test().size(), cfg.maxTest(), data.seed());
        if (cfg.valSplit() != null && (data.val() == null || !data.val().labelled())) {
            throw new UserException("probe: val_split '" + cfg.valSplit() + "' must be a labelled split of the dataset");
        }
        int[] valIdx = data.val() == null ? null : Draws.range(data.val().size());
        Map<String, Rows[]> sets = new LinkedHashMap<>();
        sets.put(CODES, new Rows[]{encode(data, data.train(), trainIdx), encode(data, data.test(), testIdx),
                valIdx == null ? null : encode(data, data.val(), valIdx)});
        seconds.put("encode", since(t0));
        if (cfg.rawBaseline()) {
            sets.put(RAW, new Rows[]{raw(data.train(), trainIdx, data.batchSize()), raw(data.test(), testIdx, data.batchSize()),
                    valIdx == null ? null : raw(data.val(), valIdx, data.batchSize())});
        }
        LOG.info("probe: {} train and {} test samples, codes of {} units, encoded in {} s", trainIdx.length, testIdx.length,
                data.codeSize(), fmt(seconds.get("encode")));
        List<String> classes = data.classNames();
        String keptK = String.valueOf(cfg.keptK());
        List<Cell> cells = new ArrayList<>();
        Map<String, Kept> kept = new LinkedHashMap<>();
        Map<String, Rows> tests = new LinkedHashMap<>();
        Map<String, Features> features = new LinkedHashMap<>();
        for (Map.Entry<String, Rows[]> set : sets.entrySet()) {
            long ts = System.nanoTime();
            String fs = set.getKey();
            Rows tr = set.getValue()[0];
            Rows te = set.getValue()[1];
            Features f = new Features(tr.width());
            tests.put(fs, te);
            features.put(fs, f);
            MutableDataset<Label> testDs = f.dataset(fs + "-" + data.test().name(), te, Draws.range(te.size()), classes);
            Rows va = set.getValue()[2];
            MutableDataset<Label> valDs = va == null ? null : f.dataset(fs + "-" + data.val().name(), va, Draws.range(va.size()), classes);
            Dataset<Label> allDs = null;
            for (Object k : cfg.kPerClass()) {
                long tk = System.nanoTime();
                boolean all = ProbeConfig.ALL.equals(k);
                List<Double> accs = new ArrayList<>();
                List<Double> f1s = new ArrayList<>();
                List<Integer> chosen = new ArrayList<>();
                int n = 0;
                boolean capped = false;
                for (int s = 0; s < cfg.seeds(); s++) {
                    long seed = data.seed() + s;
                    Dataset<Label> ds;
                    if (all && cfg.maxTrainAll() > 0 && cfg.maxTrainAll() < tr.size()) {
                        capped = true;
                        ds = f.trainingSet(fs + "-" + data.train().name() + "-all" + cfg.maxTrainAll() + "-s" + s, tr,
                                Draws.subset(tr.size(), cfg.maxTrainAll(), seed), classes);
                    } else if (all) {
                        // the same samples for every repetition: only the trainer's seed differs
                        if (allDs == null) {
                            allDs = f.trainingSet(fs + "-" + data.train().name() + "-all", tr, Draws.range(tr.size()), classes);
                        }
                        ds = allDs;
                    } else {
                        Draws.Draw d = cfg.selection().equals("first") ? Draws.firstPerClass(tr.labels(), (Integer) k, classes.size())
                                : Draws.perClass(tr.labels(), (Integer) k, classes.size(), seed);
                        capped |= d.capped();
                        ds = f.trainingSet(fs + "-" + data.train().name() + "-k" + k + "-s" + s, tr, d.indices(), classes);
                    }
                    n = ds.size();
                    Model<Label> model = null;
                    double bestScore = Double.NEGATIVE_INFINITY;
                    int bestEpochs = 0;
                    for (int epochs : cfg.candidateEpochs()) {
                        Model<Label> candidate = trainer(cfg, seed, epochs).train(ds, provenance(data, fs, k, s, seed));
                        double score = valDs == null ? 0 : validationScore(cfg, candidate, valDs);
                        if (model == null || score > bestScore) {
                            model = candidate;
                            bestScore = score;
                            bestEpochs = epochs;
                        }
                    }
                    chosen.add(bestEpochs);
                    LabelEvaluation ev = evaluate(model, testDs);
                    accs.add(ev.accuracy());
                    f1s.add(ev.macroAveragedF1());
                    if (s == 0 && keptK.equals(String.valueOf(k))) {
                        kept.put(fs, new Kept(keptK, model, ev));
                    }
                }
                if (capped && all) {
                    LOG.info("probe {} K=all: {} of {} samples (max_train_all)", fs, n, tr.size());
                } else if (capped) {
                    LOG.warn("probe {} K={}: a class of '{}' has fewer than {} samples and gave all it has ({} samples in all)", fs, k,
                            data.train().name(), k, n);
                }
                MeanStd acc = MeanStd.of(accs);
                MeanStd f1 = MeanStd.of(f1s);
                cells.add(new Cell(fs, String.valueOf(k), n, capped, List.copyOf(accs), acc.mean(), acc.std(), List.copyOf(f1s), f1.mean(), f1.std(),
                        since(tk), valDs == null ? List.of() : List.copyOf(chosen)));
                LOG.info("probe {} K={} ({} samples): accuracy {} ± {} ({} s)", fs, k, n, fmt4(acc.mean()), fmt4(acc.std()), fmt(since(tk)));
            }
            seconds.put(fs, since(ts));
        }
        seconds.put("total", since(t0));
        return new Result(cells, kept, seconds, testIdx.length, tests, features);
    }

    /**
     * Tribuo's LogisticRegressionTrainer is LinearSGDTrainer(LogMulticlass, AdaGrad(1.0, 0.1), 5 epochs, minibatch 1)
     * with a fixed seed; it is built from those parts here so that seed, epochs, rate and minibatch follow the probe.
     * sgd-linear is Tribuo's linear SGD with hinge loss (a linear SVM) and the AdaGrad settings of Tribuo's
     * LinearSGDOptions (0.18, epsilon 0.066): plain linearly decaying SGD reached only 0.75 on MNIST pixels where
     * this reaches 0.92. The loss is not logged (-1): thousands of lines per probe otherwise.
     */
    static Trainer<Label> trainer(ProbeConfig cfg, long seed) {
        return trainer(cfg, seed, cfg.epochs());
    }

    static Trainer<Label> trainer(ProbeConfig cfg, long seed, int epochs) {
        return cfg.trainer().equals("logistic")
                ? new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(cfg.learningRate(), 0.1), epochs, -1, cfg.minibatch(), seed)
                : new LinearSGDTrainer(new Hinge(), new AdaGrad(cfg.learningRate(), 0.066), epochs, -1, cfg.minibatch(), seed);
    }

    /**
     * Higher is better: minus the mean validation log loss for the logistic trainer (its scores are probabilities; the
     * original selects the epoch with the lowest validation cross-entropy), the validation accuracy for sgd-linear.
     */
    static double validationScore(ProbeConfig cfg, Model<Label> model, MutableDataset<Label> val) {
        if (!cfg.trainer().equals("logistic")) {
            return evaluate(model, val).accuracy();
        }
        double loss = 0;
        var predictions = model.predict(val);
        int i = 0;
        for (var example : val) {
            Label p = predictions.get(i++).getOutputScores().get(example.getOutput().getLabel());
            double prob = p == null ? 0 : p.getScore();
            loss -= Math.log(Math.max(prob, 1e-12));
        }
        return -loss / Math.max(1, predictions.size());
    }

    /** Run provenance stored in every probe model next to Tribuo's own (trainer, dataset, versions). */
    private static Map<String, Provenance> provenance(ProbeData data, String features, Object k, int rep, long seed) {
        Map<String, Provenance> p = new LinkedHashMap<>();
        p.put("sparselab-version", new StringProvenance("sparselab-version", SparselabVersion.FRAMEWORK));
        p.put("run", new StringProvenance("run", data.name()));
        p.put("features", new StringProvenance("features", features));
        p.put("k-per-class", new StringProvenance("k-per-class", String.valueOf(k)));
        p.put("train-split", new StringProvenance("train-split", data.train().name()));
        p.put("repetition", new LongProvenance("repetition", rep));
        p.put("seed", new LongProvenance("seed", seed));
        return p;
    }

    private static LabelEvaluation evaluate(Model<Label> model, MutableDataset<Label> test) {
        try {
            return new LabelEvaluator().evaluate(model, test);
        } catch (IllegalArgumentException e) {
            throw new UserException("probe: Tribuo could not evaluate the probe: " + e.getMessage(), e);
        }
    }

    /** Codes of the given samples, one NDScope per batch so that nothing outlives the batch. */
    static Rows encode(ProbeData data, Split split, int[] index) {
        int bs = data.batchSize();
        Rows.Builder b = new Rows.Builder(data.codeSize(), index);
        for (int i = 0; i < BatchOrder.batches(index.length, bs); i++) {
            int[] idx = BatchOrder.batch(index, i, bs);
            try (NDScope scope = new NDScope()) {
                Batch batch = split.batch(idx, data.manager());
                NDArray code = data.encoder().apply(batch.x());
                if (code.getShape().dimension() != 2 || code.getShape().get(0) != idx.length || code.getShape().get(1) != data.codeSize()) {
                    throw new UserException("probe: the encoder returned " + code.getShape() + " for " + idx.length + " samples; expected ("
                            + idx.length + ", " + data.codeSize() + ")");
                }
                b.add(code.toType(DataType.FLOAT32, false).toFloatArray(), idx.length, labels(split, idx));
            }
        }
        return b.build();
    }

    static Rows raw(Split split, int[] index, int batchSize) {
        Rows.Builder b = new Rows.Builder(split.inputDim(), index);
        for (int i = 0; i < BatchOrder.batches(index.length, batchSize); i++) {
            int[] idx = BatchOrder.batch(index, i, batchSize);
            b.add(split.features(idx), idx.length, labels(split, idx));
        }
        return b.build();
    }

    private static int[] labels(Split split, int[] idx) {
        int[] y = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            y[i] = split.label(idx[i]);
        }
        return y;
    }

    private static double since(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static String fmt(double s) {
        return String.format(Locale.ROOT, "%.1f", s);
    }

    private static String fmt4(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}

package org.sparselab.core.probe;

import org.sparselab.api.config.Check;
import org.sparselab.api.config.ConfigException;
import org.sparselab.api.config.Param;

import java.util.ArrayList;
import java.util.List;

/**
 * Parameters of {@code evaluate: probe}. There is deliberately no feature standardisation: the logistic
 * trainer's AdaGrad already scales its step per feature, centring would turn sparse codes into dense vectors
 * (a different representation than the one probed, and much slower), and the exported probe then takes the
 * encoder's codes exactly as they come.
 */
public record ProbeConfig(
        @Param("labelled samples per class: integers >= 1 and/or 'all' (the whole train split); a class with fewer "
                + "samples gives all it has and the cell is marked capped") List<Object> kPerClass,
        @Param("repetitions (sample draw and trainer seed = run seed + repetition index); mean ± std over them") Integer seeds,
        @Param("logistic (Tribuo's logistic regression: log loss, AdaGrad) | sgd-linear (Tribuo's linear SGD with hinge loss, "
                + "a linear SVM; AdaGrad)") String trainer,
        @Param("trainer epochs (Tribuo's default 5)") Integer epochs,
        @Param("AdaGrad's learning rate: Tribuo's defaults, 1.0 for logistic, 0.18 for sgd-linear") Double learningRate,
        @Param("examples per gradient step (Tribuo's default 1)") Integer minibatch,
        @Param("split the labelled probe samples are drawn from") String trainSplit,
        @Param("split the probes are evaluated on") String testSplit,
        @Param("also probe the raw inputs as the baseline") Boolean rawBaseline,
        @Param("K = all uses at most this many train samples (a seeded random subset per repetition; the cell says how many); "
                + "0 = the whole split") Integer maxTrainAll,
        @Param("at most this many test samples (a seeded random subset); 0 = the whole split") Integer maxTest,
        @Param("test codes run through probe-codes.onnx with ONNX Runtime (CPU) against Tribuo's Java predictions") Integer onnxCheckSamples,
        @Param("also export and verify export/pipeline.onnx (encoder -> probe, raw input -> class scores)") Boolean exportPipeline,
        @Param("random (K per class drawn per repetition, seeded) | first (the first K of each class in the train split's order, "
                + "as the VDL paper's eval_classification.py; the same samples in every repetition, only the trainer's seed differs)") String selection,
        @Param("split for model selection (e.g. val): each cell trains one probe per val_epochs entry and keeps the one with the lowest "
                + "validation log loss (logistic) or the highest validation accuracy (sgd-linear); unset = no selection, `epochs` epochs") String valSplit,
        @Param("candidate trainer epochs when val_split is set") List<Integer> valEpochs) {

    public static final List<String> TRAINERS = List.of("logistic", "sgd-linear");
    public static final String ALL = "all";

    public ProbeConfig {
        List<Object> ks = kPerClass == null ? List.of(1, 2, 5, 10, 20, 50, ALL) : kPerClass;
        List<Object> clean = new ArrayList<>();
        for (Object k : ks) {
            Object v;
            if (k instanceof Number n && n.doubleValue() >= 1 && n.doubleValue() == Math.rint(n.doubleValue()) && n.doubleValue() <= Integer.MAX_VALUE) {
                v = n.intValue();
            } else if (ALL.equals(k)) {
                v = ALL;
            } else {
                throw ConfigException.invalid("k_per_class", k, "integers >= 1 or 'all'");
            }
            if (clean.contains(v)) {
                throw ConfigException.invalid("k_per_class", k, "each value once");
            }
            clean.add(v);
        }
        if (clean.isEmpty()) {
            throw ConfigException.invalid("k_per_class", ks, "at least one entry");
        }
        kPerClass = List.copyOf(clean);
        seeds = Check.atLeast("seeds", Check.orDefault(seeds, 3), 1);
        trainer = Check.oneOf("trainer", Check.orDefault(trainer, "logistic"), TRAINERS);
        epochs = Check.atLeast("epochs", Check.orDefault(epochs, 5), 1);
        learningRate = Check.positive("learning_rate", Check.orDefault(learningRate, trainer.equals("logistic") ? 1.0 : 0.18));
        minibatch = Check.atLeast("minibatch", Check.orDefault(minibatch, 1), 1);
        trainSplit = Check.orDefault(trainSplit, "train");
        testSplit = Check.orDefault(testSplit, "test");
        rawBaseline = Check.orDefault(rawBaseline, Boolean.TRUE);
        maxTrainAll = Check.atLeast("max_train_all", Check.orDefault(maxTrainAll, 0), 0);
        maxTest = Check.atLeast("max_test", Check.orDefault(maxTest, 0), 0);
        onnxCheckSamples = Check.atLeast("onnx_check_samples", Check.orDefault(onnxCheckSamples, 500), 0);
        exportPipeline = Check.orDefault(exportPipeline, Boolean.TRUE);
        selection = Check.oneOf("selection", Check.orDefault(selection, "random"), SELECTIONS);
        valEpochs = List.copyOf(Check.orDefault(valEpochs, List.of(1, 2, 5, 10, 20)));
        if (valEpochs.isEmpty()) {
            throw ConfigException.invalid("val_epochs", valEpochs, "at least one epoch count");
        }
        for (Integer e : valEpochs) {
            if (e == null || e < 1) {
                throw ConfigException.invalid("val_epochs", e, "integers >= 1");
            }
        }
    }

    public static final List<String> SELECTIONS = List.of("random", "first");

    /** The epoch counts tried per cell: the val_epochs candidates with a val split, else the one {@code epochs}. */
    public List<Integer> candidateEpochs() {
        return valSplit == null ? List.of(epochs) : valEpochs;
    }

    public static ProbeConfig defaults() {
        return new ProbeConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /**
     * The K whose seed-0 models are kept (serialized, exported, confusion matrices): {@code all} when listed,
     * else the largest K.
     */
    public Object keptK() {
        if (kPerClass.contains(ALL)) {
            return ALL;
        }
        return kPerClass.stream().mapToInt(k -> (Integer) k).max().orElseThrow();
    }
}

package org.sparselab.core.probe;

import org.sparselab.api.config.Check;
import org.sparselab.api.config.ConfigException;
import org.sparselab.api.config.Param;

import java.util.ArrayList;
import java.util.List;

/** Parameters of {@code evaluate: probe}. */
public record ProbeConfig(
        @Param("labelled samples per class: integers and/or 'all'") List<Object> kPerClass,
        @Param("repetitions with different samples and trainer seeds (mean ± std over them)") Integer seeds,
        @Param("logistic (Tribuo logistic regression: log loss, AdaGrad) | sgd (Tribuo linear SGD: hinge loss, linear-decay SGD)") String trainer,
        @Param("trainer epochs") Integer epochs,
        @Param("learning rate (AdaGrad's for logistic, SGD's for sgd)") Double learningRate,
        @Param("split the probe samples come from") String trainSplit,
        @Param("split the probe is evaluated on") String testSplit,
        @Param("also probe the raw inputs as the baseline") Boolean rawBaseline,
        @Param("at most this many test samples; 0 = all") Integer maxTest,
        @Param("export the K = all probe on codes and the pipeline encoder -> probe (export/pipeline.onnx), verified") Boolean exportPipeline) {

    public ProbeConfig {
        List<Object> ks = kPerClass == null ? List.of(1, 2, 5, 10, 20, 50, "all") : kPerClass;
        List<Object> clean = new ArrayList<>();
        for (Object k : ks) {
            if (k instanceof Number n && n.intValue() >= 1 && n.doubleValue() == n.intValue()) {
                clean.add(n.intValue());
            } else if ("all".equals(k)) {
                clean.add("all");
            } else {
                throw ConfigException.invalid("k_per_class", k, "integers >= 1 or 'all'");
            }
        }
        if (clean.isEmpty()) {
            throw ConfigException.invalid("k_per_class", ks, "at least one entry");
        }
        kPerClass = List.copyOf(clean);
        seeds = Check.atLeast("seeds", Check.orDefault(seeds, 3), 1);
        trainer = Check.oneOf("trainer", Check.orDefault(trainer, "logistic"), List.of("logistic", "sgd"));
        epochs = Check.atLeast("epochs", Check.orDefault(epochs, 5), 1);
        learningRate = Check.positive("learning_rate", Check.orDefault(learningRate, trainer.equals("logistic") ? 1.0 : 0.1));
        trainSplit = Check.orDefault(trainSplit, "train");
        testSplit = Check.orDefault(testSplit, "test");
        rawBaseline = Check.orDefault(rawBaseline, Boolean.TRUE);
        maxTest = Check.atLeast("max_test", Check.orDefault(maxTest, 0), 0);
        exportPipeline = Check.orDefault(exportPipeline, Boolean.TRUE);
    }

    public static ProbeConfig defaults() {
        return new ProbeConfig(null, null, null, null, null, null, null, null, null, null);
    }
}

package org.sparselab.core.probe;

import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import org.sparselab.core.UserException;
import org.sparselab.core.onnx.OnnxCheck;
import org.sparselab.core.util.AtomicFiles;
import org.sparselab.core.util.Json;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.ConfusionMatrix;
import org.tribuo.classification.evaluation.LabelEvaluation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The files of {@code <run>/probe/}: {@code probe.json} (the table, machine-readable), {@code probe.csv},
 * {@code probe.md}, {@code confusion-<set>.txt|json} and {@code probe-<set>.tribuo} for the kept K (normally all)
 * and repetition 0, and {@code probe-codes.onnx}.
 */
public final class ProbeFiles {
    public static final String DIR = "probe";
    public static final String JSON = "probe.json";
    public static final String CSV = "probe.csv";
    public static final String MARKDOWN = "probe.md";
    /** The Tribuo model on codes (provenance inside); its feature id i is code unit i. */
    public static final String CODES_MODEL = "probe-codes.tribuo";
    /** The same model as ONNX: input {@code input [batch, codeSize]}, output {@code output} = class scores. */
    public static final String CODES_ONNX = "probe-codes.onnx";

    private ProbeFiles() {
    }

    public static Path codesModelFile(Path runFolder) {
        return runFolder.resolve(DIR).resolve(CODES_MODEL);
    }

    /**
     * The probe on codes of a finished run (K = all, repetition 0), for composing encoder + probe. Its features are
     * named {@code f0000..} in unit order and cover every unit, so feature id = code unit: the encoder's code
     * vector is the model's input as it is ({@code ONNXExportable.writeONNXGraph(codeRef)} needs no gather).
     */
    @SuppressWarnings("unchecked")
    public static Model<Label> loadCodesModel(Path runFolder) throws IOException {
        Path f = codesModelFile(runFolder);
        if (!Files.isRegularFile(f)) {
            throw new UserException("no probe model at " + f + ": run `sparselab probe " + runFolder + "` (or evaluate: [probe]) first");
        }
        Model<?> m = Model.deserializeFromFile(f);
        if (!m.validate(Label.class)) {
            throw new UserException(f + " is not a classification model");
        }
        return (Model<Label>) m;
    }

    /** Writes the kept models and their confusion matrices; returns the model files by feature set. */
    static Map<String, String> writeModels(Path dir, Probe.Result r, List<String> classNames) throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        for (Map.Entry<String, Probe.Kept> e : r.kept().entrySet()) {
            String name = "probe-" + e.getKey() + ".tribuo";
            Path tmp = Files.createTempFile(dir, ".probe", ".tribuo");
            try {
                e.getValue().model().serializeToFile(tmp);
                Files.move(tmp, dir.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            files.put(e.getKey(), name);
            LabelEvaluation ev = e.getValue().evaluation();
            AtomicFiles.writeString(dir.resolve("confusion-" + e.getKey() + ".txt"), ev.toString() + "\n\n" + ev.getConfusionMatrix() + "\n");
            AtomicFiles.writeString(dir.resolve("confusion-" + e.getKey() + ".json"),
                    Json.pretty(confusion(ev.getConfusionMatrix(), classNames, e.getKey(), e.getValue().k())));
        }
        return files;
    }

    /** probe.json, probe.csv and probe.md. */
    static void writeTables(Path dir, ProbeData data, ProbeConfig cfg, Probe.Result r, Map<String, String> models, OnnxCheck onnx)
            throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("trainer", cfg.trainer());
        doc.put("epochs", cfg.epochs());
        doc.put("learning_rate", cfg.learningRate());
        doc.put("minibatch", cfg.minibatch());
        doc.put("seeds", cfg.seeds());
        doc.put("seed_base", data.seed());
        doc.put("k_per_class", cfg.kPerClass());
        doc.put("selection", cfg.selection());
        if (cfg.valSplit() != null) {
            doc.put("val_split", cfg.valSplit());
            doc.put("val_epochs", cfg.valEpochs());
        }
        doc.put("train_split", cfg.trainSplit());
        doc.put("test_split", cfg.testSplit());
        doc.put("test_samples", r.testSamples());
        Map<String, Integer> widths = new LinkedHashMap<>();
        r.features().forEach((k, v) -> widths.put(k, v.width()));
        doc.put("feature_widths", widths);
        doc.put("cells", r.cells());
        Map<String, Object> kept = new LinkedHashMap<>();
        r.kept().forEach((set, k) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("k", k.k());
            m.put("repetition", 0);
            m.put("file", models.get(set));
            m.put("accuracy", k.evaluation().accuracy());
            m.put("macro_f1", k.evaluation().macroAveragedF1());
            kept.put(set, m);
        });
        doc.put("models", kept);
        r.kept().values().stream().findFirst().ifPresent(k ->
                doc.put("trainer_provenance", ProvenanceUtil.convertToMap(k.model().getProvenance().getTrainerProvenance())));
        if (onnx != null) {
            doc.put("onnx_check", onnx);
        }
        doc.put("seconds", r.seconds());
        AtomicFiles.writeString(dir.resolve(JSON), Json.pretty(doc));
        AtomicFiles.writeString(dir.resolve(CSV), csv(r.cells()));
        AtomicFiles.writeString(dir.resolve(MARKDOWN), markdown(r.cells(), cfg.seeds()));
    }

    static String csv(List<Probe.Cell> cells) {
        StringBuilder csv = new StringBuilder("features,k,train_samples,capped,mean,std,macro_f1_mean,macro_f1_std,accuracies\n");
        for (Probe.Cell c : cells) {
            csv.append(String.format(Locale.ROOT, "%s,%s,%d,%b,%.6f,%.6f,%.6f,%.6f,%s%n", c.features(), c.k(), c.trainSamples(), c.capped(),
                    c.mean(), c.std(), c.macroF1Mean(), c.macroF1Std(),
                    String.join(" ", c.accuracies().stream().map(a -> String.format(Locale.ROOT, "%.6f", a)).toList())));
        }
        return csv.toString();
    }

    /** K | codes | raw, accuracy mean ± std over the repetitions; a capped K is starred and explained below the table. */
    public static String markdown(List<Probe.Cell> cells, int seeds) {
        List<String> ks = new ArrayList<>();
        List<String> sets = new ArrayList<>();
        for (Probe.Cell c : cells) {
            if (!ks.contains(c.k())) {
                ks.add(c.k());
            }
            if (!sets.contains(c.features())) {
                sets.add(c.features());
            }
        }
        StringBuilder sb = new StringBuilder("| K per class |");
        sets.forEach(s -> sb.append(' ').append(s).append(" (mean ± std, ").append(seeds).append(seeds == 1 ? " seed) |" : " seeds) |"));
        sb.append("\n|---|").append("---|".repeat(sets.size())).append('\n');
        boolean anyCapped = false;
        for (String k : ks) {
            boolean capped = cells.stream().anyMatch(c -> c.k().equals(k) && c.capped());
            anyCapped |= capped;
            sb.append("| ").append(k).append(capped ? "*" : "").append(" |");
            for (String s : sets) {
                cells.stream().filter(c -> c.k().equals(k) && c.features().equals(s)).findFirst()
                        .ifPresent(c -> sb.append(String.format(Locale.ROOT, " %.4f ± %.4f |", c.mean(), c.std())));
            }
            sb.append('\n');
        }
        if (anyCapped) {
            sb.append("\n\\* a class had fewer than K samples and gave all it had (K = all: at most max_train_all samples)\n");
        }
        return sb.toString();
    }

    private static Map<String, Object> confusion(ConfusionMatrix<Label> m, List<String> names, String features, String k) {
        long[][] cells = new long[names.size()][names.size()];
        for (int t = 0; t < names.size(); t++) {
            for (int p = 0; p < names.size(); p++) {
                cells[t][p] = Math.round(m.confusion(new Label(names.get(p)), new Label(names.get(t))));
            }
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("features", features);
        doc.put("k", k);
        doc.put("repetition", 0);
        doc.put("labels", names);
        doc.put("rows", "true label");
        doc.put("columns", "predicted label");
        doc.put("counts", cells);
        return doc;
    }
}

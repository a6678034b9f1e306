package org.sparselab.core.run;

import ai.djl.ndarray.NDScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparselab.api.Task;
import org.sparselab.api.data.Batch;
import org.sparselab.api.data.Split;
import org.sparselab.api.model.StepOutput;
import org.sparselab.core.UserException;
import org.sparselab.core.config.ContinualConfig;
import org.sparselab.core.train.BatchOrder;
import org.sparselab.core.train.MetricSet;
import org.sparselab.core.train.Progress;
import org.sparselab.core.util.Json;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Class-incremental continual learning (spec sdm.md §4.2): the training split is served one task (class group)
 * at a time for {@code epochs_per_task} epochs; after every epoch the model is evaluated on the evaluation split
 * of every task seen so far. Logged per epoch: each seen task's accuracy and {@code cl_accuracy}, the accuracy
 * over all classes with unseen tasks counted as wrong (what the SDM continual learner's code logs as
 * val/accuracy, Σ_seen correct·(t/T) / Σ_seen n, when tasks have equal test sets). At the end:
 * the accuracy matrix R[i][j] (task j after training task i), average accuracy, forgetting and backward
 * transfer, in {@code continual.json}.
 */
final class ContinualLoop {
    private static final Logger LOG = LoggerFactory.getLogger("sparselab.run");

    private ContinualLoop() {
    }

    static double run(RunState s, Runner.Settings settings, MetricsLog log, List<Integer> arrays, List<Double> rates) throws IOException {
        ContinualConfig cfg = s.run().raw().continual();
        if (s.model().task() != Task.CLASSIFICATION) {
            throw new UserException(s.run().file() + ": continual learning needs a classifier; model '" + s.run().model().spec().id()
                    + "' is set up for " + s.model().task().name().toLowerCase(Locale.ROOT));
        }
        if (!s.data().hasSplit(cfg.evalSplit())) {
            throw new UserException(s.run().file() + ": continual.eval_split = " + cfg.evalSplit() + " is not a split of the dataset; it has "
                    + s.data().splitNames());
        }
        List<int[]> tasks = cfg.resolveTasks(s.data().spec().numClasses());
        Split train = s.data().split("train");
        Split eval = s.data().split(cfg.evalSplit());
        List<Split> evalTasks = new ArrayList<>();
        for (int[] t : tasks) {
            evalTasks.add(eval.withClasses(t));
        }
        int total = evalTasks.stream().mapToInt(Split::size).sum();
        int tcount = tasks.size();
        double[][] r = new double[tcount][tcount];
        for (double[] row : r) {
            Arrays.fill(row, Double.NaN);
        }
        MetricSet metrics = Runner.metrics(s);
        int epochs = tcount * cfg.epochsPerTask();
        Progress progress = new Progress(settings.console(), settings.live(), epochs);
        double samples = 0;
        double seconds = 0;
        if (cfg.pretrained() != null) {
            loadPretrained(s, java.nio.file.Path.of(cfg.pretrained()));
        }
        int epoch = 0;
        org.sparselab.core.train.Regularizers.start(cfg.regularizer(), s.modelContext().updaters());
        for (int t = 0; t < tcount; t++) {
            Split task = train.withClasses(tasks.get(t));
            LOG.info("task {}/{}: classes {} ({} training samples)", t + 1, tcount, Arrays.toString(tasks.get(t)), task.size());
            for (int e = 0; e < cfg.epochsPerTask(); e++, epoch++) {
                Map<String, Double> row = Runner.trainEpoch(s, task, epoch, metrics, progress, rates);
                samples += task.size();
                seconds += task.size() / rates.get(rates.size() - 1);
                row.put("task", (double) t);
                log.add(epoch + 1, "train", row);
                Map<String, Double> cl = new LinkedHashMap<>();
                long correctSeen = 0;
                for (int j = 0; j <= t; j++) {
                    long[] cn = correct(s, evalTasks.get(j));
                    correctSeen += cn[0];
                    double acc = cn[1] == 0 ? Double.NaN : cn[0] / (double) cn[1];
                    cl.put(String.format(Locale.ROOT, "task%d_accuracy", j), acc);
                    if (e == cfg.epochsPerTask() - 1) {
                        r[t][j] = acc;
                    }
                }
                cl.put("cl_accuracy", correctSeen / (double) total);
                cl.put("tasks_seen", (double) (t + 1));
                log.add(epoch + 1, "continual", cl);
                log.flush();
                arrays.add(s.manager().getManagedArrays().size());
                LOG.info(String.format(Locale.ROOT, "epoch %d/%d  task %d  cl_accuracy=%.4f  %s", epoch + 1, epochs, t + 1,
                        cl.get("cl_accuracy"), cl));
                Runner.checkpoint(s, epoch);
            }
            if (t < tcount - 1 && !cfg.regularizer().id().equals("none")) {
                org.sparselab.core.train.Regularizers.consolidate(cfg.regularizer(), s.model(), s.modelContext().updaters(), task,
                        s.run().seed() + t);
                LOG.info("task {}: {} consolidated (λ = {})", t + 1, cfg.regularizer().id(), cfg.regularizer().importance());
            }
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("tasks", tasks.stream().map(Arrays::toString).toList());
        doc.put("epochs_per_task", cfg.epochsPerTask());
        doc.put("regularizer", cfg.regularizer().id());
        doc.put("accuracy_matrix", r);
        doc.put("final_cl_accuracy", finalClAccuracy(r, evalTasks, total));
        doc.put("average_accuracy", average(r[tcount - 1]));
        doc.put("forgetting", forgetting(r));
        doc.put("backward_transfer", backwardTransfer(r));
        s.folder().write("continual.json", Json.pretty(doc));
        LOG.info(String.format(Locale.ROOT, "continual: final cl_accuracy %.4f, average accuracy %.4f, forgetting %.4f, BWT %.4f",
                (double) doc.get("final_cl_accuracy"), (double) doc.get("average_accuracy"), (double) doc.get("forgetting"),
                (double) doc.get("backward_transfer")));
        return samples / Math.max(seconds, 1e-9);
    }

    /**
     * Starts from a pretrained run: every array of its saved state but the output head (which keeps its fresh
     * initialisation, as the SDM continual learner re-creates Linear(N, classes)); optimiser state is not
     * carried over.
     */
    static void loadPretrained(RunState s, java.nio.file.Path runDir) {
        java.nio.file.Path params = runDir.resolve("model/parameters.npz");
        if (!java.nio.file.Files.isRegularFile(params)) {
            throw new UserException("continual.pretrained = " + runDir + ": no model/parameters.npz there (is it a finished run folder?)");
        }
        try (ai.djl.ndarray.NDManager scratch = s.manager().newSubManager()) {
            org.sparselab.core.train.ModelStore.load(params, s.model(), s.modelContext().chains(), scratch, s.model().headState());
        } catch (IOException e) {
            throw new UserException("continual.pretrained = " + runDir + ": " + e.getMessage(), e);
        }
        LOG.info("continual: started from {} (output head {} re-initialised)", runDir, s.model().headState());
    }

    /** Correct predictions and samples of one split. */
    static long[] correct(RunState s, Split split) {
        int bs = s.run().training().evalBatchSize();
        int[] order = BatchOrder.permutation(split.size(), 0, 0, false);
        long correct = 0;
        for (int b = 0; b < BatchOrder.batches(split.size(), bs); b++) {
            try (NDScope scope = new NDScope()) {
                Batch batch = split.batch(BatchOrder.batch(order, b, bs), s.manager());
                StepOutput out = s.model().evaluate(batch);
                correct += out.output().argMax(1).eq(batch.y()).sum().getLong();
            }
        }
        return new long[]{correct, split.size()};
    }

    static double finalClAccuracy(double[][] r, List<Split> tasks, int total) {
        int last = r.length - 1;
        double correct = 0;
        for (int j = 0; j < r.length; j++) {
            correct += r[last][j] * tasks.get(j).size();
        }
        return correct / total;
    }

    static double average(double[] row) {
        return Arrays.stream(row).average().orElse(Double.NaN);
    }

    /** Mean over tasks but the last of (best accuracy before the end − accuracy at the end). */
    static double forgetting(double[][] r) {
        int last = r.length - 1;
        if (last == 0) {
            return 0;
        }
        double sum = 0;
        for (int j = 0; j < last; j++) {
            double best = Double.NEGATIVE_INFINITY;
            for (int i = j; i < last; i++) {
                best = Math.max(best, r[i][j]);
            }
            sum += best - r[last][j];
        }
        return sum / last;
    }

    /** Mean over tasks but the last of (accuracy at the end − accuracy right after learning the task). */
    static double backwardTransfer(double[][] r) {
        int last = r.length - 1;
        if (last == 0) {
            return 0;
        }
        double sum = 0;
        for (int j = 0; j < last; j++) {
            sum += r[last][j] - r[j][j];
        }
        return sum / last;
    }
}

package org.sparselab.core.run;

import ai.djl.ndarray.NDScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparselab.api.data.Batch;
import org.sparselab.api.data.Split;
import org.sparselab.api.metric.MetricContext;
import org.sparselab.api.model.StepOutput;
import org.sparselab.api.model.TrainableModel;
import org.sparselab.core.UserException;
import org.sparselab.core.config.ComponentSpec;
import org.sparselab.core.config.ConfigLoader;
import org.sparselab.core.config.ConfigSource;
import org.sparselab.core.config.ResolvedRun;
import org.sparselab.core.config.TrainingConfig;
import org.sparselab.core.plugin.PluginHost;
import org.sparselab.core.train.BatchOrder;
import org.sparselab.core.train.MetricSet;
import org.sparselab.core.train.Progress;
import org.sparselab.core.util.Json;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Performs one run: a new folder, the resolved config and provenance, the training loop (train and val each
 * epoch, checkpoints), the test pass, the evaluations, and the summary. Nothing here knows about any model.
 */
public final class Runner {
    private static final Logger LOG = LoggerFactory.getLogger("sparselab.run");
    /** The parameters after the last epoch. */
    public static final String PARAMETERS = "model/parameters.npz";
    /** The parameters of the best validation epoch ({@code training.keep_best}). */
    public static final String BEST = "model/best.npz";

    /**
     * Where a run reads and writes.
     *
     * @param outputRoot folder under which run folders are made (a run file's {@code output} wins)
     * @param dataRoot folder where datasets find fetched data
     * @param console where progress and the summary go
     * @param live draw a live progress bar (terminal) instead of plain lines
     */
    public record Settings(Path outputRoot, Path dataRoot, PrintWriter console, boolean live) {
    }

    /** The outcome: the run folder and the summary written there. */
    public record Outcome(RunFolder folder, Map<String, Object> summary) {
    }

    private Runner() {
    }

    /** Checks the evaluate entries before anything is created. */
    public static void validateEvaluations(ResolvedRun run) {
        ConfigSource src = ConfigSource.of(run.file().toString(), run.rawText());
        for (ComponentSpec c : run.evaluate()) {
            Evaluations.get(c, src).validate(c, src);
        }
    }

    public static Outcome run(ResolvedRun run, PluginHost host, Settings settings) {
        validateEvaluations(run);
        Path root = run.raw().output() != null ? Path.of(run.raw().output()) : settings.outputRoot();
        RunFolder folder = RunFolder.create(root, run.name());
        try (RunLog ignored = RunLog.attach(folder.resolve("run.log"))) {
            LOG.info("run {} -> {}", run.name(), folder.dir());
            Outcome o = execute(run, host, settings, folder);
            return o;
        } catch (UserException e) {
            folder.fail(e.getMessage());
            throw e;
        } catch (RuntimeException | Error e) {
            folder.fail(e.toString());
            throw e;
        } catch (IOException e) {
            folder.fail(e.toString());
            throw new UserException("writing the run folder " + folder.dir() + " failed: " + e.getMessage(), e);
        } catch (Exception e) {
            folder.fail(e.toString());
            throw new UserException("the run failed: " + e, e);
        }
    }

    private static Outcome execute(ResolvedRun run, PluginHost host, Settings settings, RunFolder folder) throws Exception {
        folder.write("config.resolved.yaml", ConfigLoader.resolvedYaml(run));
        long t0 = System.nanoTime();
        try (RunState state = RunState.open(run, host, folder, settings.dataRoot())) {
            folder.write("provenance.json", Json.pretty(Provenance.of(run, host, state.engine(), state.device(), state.data().fingerprint())));
            LOG.info("dataset {} {} | model {} ({} code units) | device {}", run.dataset().spec().id(), state.data().spec(),
                    run.model().spec().id(), state.model().codeSize(), state.device());
            MetricsLog log = new MetricsLog(folder);
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("run", run.name());
            summary.put("folder", folder.dir().toString());
            List<Integer> arrays = new ArrayList<>();
            List<Double> rates = new ArrayList<>();
            BestEpoch best = new BestEpoch(run.training().keepBest());
            double throughput = train(state, settings, log, arrays, rates, best);
            summary.put("train_samples_per_second_per_epoch", rates);
            if (run.raw().continual() != null) {
                summary.put("continual", Json.mapper().readTree(folder.resolve("continual.json").toFile()));
            }
            // Arrays held by the run's manager after each epoch: flat when no step leaks native memory.
            summary.put("native_arrays_per_epoch", arrays);
            if (best.epoch() > 0) {
                // the last epoch's parameters stay in parameters.npz; test and evaluations use the best epoch's
                state.saveParameters(folder.resolve(PARAMETERS));
                state.loadParameters(folder.resolve(BEST));
                LOG.info("keep_best: epoch {} of {} has the best val {} ({}); its parameters ({}) are used for the test pass and the evaluations",
                        best.epoch(), run.training().epochs(), best.config().metric(), fmt(best.value()), BEST);
            }
            if (best.config() != null) {
                summary.put("best", best.summary());
            }
            Map<String, Double> test = null;
            if (state.data().hasSplit("test")) {
                test = pass(state, state.data().split("test"), metrics(state));
                log.add(run.training().epochs(), "test", test);
                log.flush();
            }
            if (best.epoch() == 0) {
                state.saveParameters(folder.resolve(PARAMETERS));
            }
            summary.put("final", finalRows(log));
            summary.put("train_samples_per_second", throughput);
            for (ComponentSpec c : run.evaluate()) {
                LOG.info("evaluation {}", c.id());
                Evaluations.get(c, ConfigSource.inline(run.file().toString())).run(state, c, summary);
            }
            summary.put("seconds", (System.nanoTime() - t0) / 1e9);
            // Plots and report.html come before summary.json, so a finished run has them; a plotting failure
            // (fonts, a plugin's figure) must not lose the run, so it is logged and the run still finishes.
            try {
                Path report = org.sparselab.core.report.RunReport.write(state, summary);
                LOG.info("report: {}", report);
            } catch (Exception | Error e) {
                LOG.warn("the report could not be written (sparselab report {} retries): {}", folder.dir(), e.toString());
            }
            folder.finish(Json.pretty(summary));
            printSummary(settings.console(), run, folder, log, throughput, test);
            return new Outcome(folder, summary);
        }
    }

    private static Map<String, Object> finalRows(MetricsLog log) {
        Map<String, Object> last = new LinkedHashMap<>();
        for (Map<String, Object> row : log.rows()) {
            last.put((String) row.get("split"), row);
        }
        return last;
    }

    static MetricSet metrics(RunState s) {
        return new MetricSet(s.run().metrics(), new MetricContext(s.data(), s.model().task(), s.model().codeSize(), s.manager()));
    }

    /** The epochs; returns the mean training throughput in samples/s. */
    private static double train(RunState s, Settings settings, MetricsLog log, List<Integer> arrays, List<Double> rates, BestEpoch best)
            throws IOException {
        TrainingConfig tc = s.run().training();
        if (tc.keepBest() != null && s.run().raw().continual() != null) {
            throw new UserException(s.run().file() + ": training.keep_best is not available with continual learning (no single val split)");
        }
        if (s.run().raw().continual() != null) {
            return ContinualLoop.run(s, settings, log, arrays, rates);
        }
        if (tc.epochs() == 0) {
            return 0;
        }
        Split train = s.data().split("train");
        Split val = s.data().hasSplit("val") ? s.data().split("val") : null;
        if (tc.keepBest() != null && val == null) {
            throw new UserException(s.run().file() + ": training.keep_best needs a val split, and dataset '" + s.run().dataset().spec().id()
                    + "' has only " + s.data().splitNames() + " (give it a validation holdout, e.g. val_size)");
        }
        MetricSet trainMetrics = metrics(s);
        MetricSet valMetrics = metrics(s);
        Progress progress = new Progress(settings.console(), settings.live(), tc.epochs());
        double samplesTotal = 0;
        double secondsTotal = 0;
        for (int epoch = 0; epoch < tc.epochs(); epoch++) {
            Map<String, Double> trainRow = trainEpoch(s, train, epoch, trainMetrics, progress, rates);
            samplesTotal += train.size();
            secondsTotal += train.size() / rates.get(rates.size() - 1);
            log.add(epoch + 1, "train", trainRow);
            Map<String, Double> valRow = null;
            if (val != null && ((epoch + 1) % tc.valEvery() == 0 || epoch + 1 == tc.epochs())) {
                valRow = pass(s, val, valMetrics);
                log.add(epoch + 1, "val", valRow);
                if (best.offer(epoch + 1, valRow, s.run().file().toString())) {
                    s.saveParameters(s.folder().resolve(BEST));
                }
            }
            log.flush();
            arrays.add(s.manager().getManagedArrays().size());
            LOG.info(epochLine(epoch + 1, tc.epochs(), trainRow, valRow, rates.get(rates.size() - 1)));
            checkpoint(s, epoch);
        }
        return samplesTotal / Math.max(secondsTotal, 1e-9);
    }

    /** One training epoch on {@code train}; returns the train row (metrics, model and sparsifier stats). */
    static Map<String, Double> trainEpoch(RunState s, Split train, int epoch, MetricSet trainMetrics, Progress progress, List<Double> rates) {
        TrainingConfig tc = s.run().training();
        TrainableModel model = s.model();
        int batches = BatchOrder.batches(train.size(), tc.batchSize());
        trainMetrics.reset();
        int[] order = BatchOrder.permutation(train.size(), s.run().seed(), epoch, tc.shuffle());
        progress.startEpoch(epoch + 1, batches);
        long start = System.nanoTime();
        for (int b = 0; b < batches; b++) {
            int[] idx = BatchOrder.batch(order, b, tc.batchSize());
            try (NDScope scope = new NDScope()) {
                Batch batch = train.batch(idx, s.manager());
                StepOutput out = model.trainStep(batch);
                trainMetrics.update(out);
            }
            progress.step(idx.length);
        }
        double sec = (System.nanoTime() - start) / 1e9;
        rates.add(train.size() / sec);
        progress.endEpoch();
        Map<String, Double> trainRow = new LinkedHashMap<>(trainMetrics.results(model));
        model.onEpochEnd(epoch);
        s.modelContext().chains().values().forEach(c -> c.onEpochEnd(epoch));
        trainRow.putAll(model.epochStats());
        s.modelContext().chains().values().forEach(c -> trainRow.putAll(c.stats()));
        return trainRow;
    }

    static void checkpoint(RunState s, int epoch) throws IOException {
        int every = s.run().training().checkpointEvery();
        if (every > 0 && (epoch + 1) % every == 0) {
            s.saveParameters(s.folder().resolve(String.format(Locale.ROOT, "checkpoints/epoch-%04d.npz", epoch + 1)));
        }
    }

    /** Evaluates the model on a whole split in inference mode. */
    public static Map<String, Double> pass(RunState s, Split split, MetricSet metrics) {
        metrics.reset();
        int bs = s.run().training().evalBatchSize();
        int[] order = BatchOrder.permutation(split.size(), 0, 0, false);
        for (int b = 0; b < BatchOrder.batches(split.size(), bs); b++) {
            try (NDScope scope = new NDScope()) {
                Batch batch = split.batch(BatchOrder.batch(order, b, bs), s.manager());
                metrics.update(s.model().evaluate(batch));
            }
        }
        return metrics.results(s.model());
    }

    static String epochLine(int epoch, int epochs, Map<String, Double> train, Map<String, Double> val, double rate) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "epoch %d/%d  %,.0f samples/s  train", epoch, epochs, rate));
        train.forEach((k, v) -> sb.append(' ').append(k).append('=').append(fmt(v)));
        if (val != null) {
            sb.append("  | val");
            val.forEach((k, v) -> sb.append(' ').append(k).append('=').append(fmt(v)));
        }
        return sb.toString();
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        double a = Math.abs(v);
        return a != 0 && (a < 1e-3 || a >= 1e5) ? String.format(Locale.ROOT, "%.3e", v) : String.format(Locale.ROOT, "%.4f", v);
    }

    private static void printSummary(PrintWriter out, ResolvedRun run, RunFolder folder, MetricsLog log, double throughput,
                                     Map<String, Double> test) {
        out.println();
        out.println("run " + run.name() + " finished: " + folder.dir());
        List<String> keys = new ArrayList<>();
        Map<String, Map<String, Object>> last = new LinkedHashMap<>();
        for (Map<String, Object> row : log.rows()) {
            last.put((String) row.get("split"), row);
            for (String k : row.keySet()) {
                if (!k.equals("epoch") && !k.equals("split") && !keys.contains(k)) {
                    keys.add(k);
                }
            }
        }
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "  %-24s", "metric"));
        last.keySet().forEach(sp -> header.append(String.format(Locale.ROOT, "%12s", sp)));
        out.println(header);
        for (String k : keys) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-24s", k));
            for (Map<String, Object> row : last.values()) {
                Object v = row.get(k);
                line.append(String.format(Locale.ROOT, "%12s", v instanceof Number n ? fmt(n.doubleValue()) : "-"));
            }
            out.println(line);
        }
        if (throughput > 0) {
            out.println(String.format(Locale.ROOT, "  training throughput: %,.0f samples/s", throughput));
        }
    }
}

package org.sparselab.core.run;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import org.sparselab.api.Dataset;
import org.sparselab.api.Model;
import org.sparselab.api.data.DataContext;
import org.sparselab.api.data.DataSource;
import org.sparselab.api.model.TrainableModel;
import org.sparselab.core.UserException;
import org.sparselab.core.config.ConfigErrors;
import org.sparselab.core.config.ResolvedRun;
import org.sparselab.core.plugin.PluginHost;
import org.sparselab.core.train.Engines;
import org.sparselab.core.train.ModelStore;
import org.sparselab.core.train.RunModelContext;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * An opened run: its data, its model on a device and the sparsifiers created for it. Training builds one;
 * {@code export}, {@code probe} and {@code report} rebuild one from a run folder and load its parameters.
 */
public final class RunState implements AutoCloseable {
    private final ResolvedRun run;
    private final PluginHost host;
    private final RunFolder folder;
    private final Engine engine;
    private final Device device;
    private final NDManager manager;
    private final DataSource data;
    private final RunModelContext modelContext;
    private final TrainableModel model;

    private RunState(ResolvedRun run, PluginHost host, RunFolder folder, Engine engine, Device device, NDManager manager,
                     DataSource data, RunModelContext modelContext, TrainableModel model) {
        this.run = run;
        this.host = host;
        this.folder = folder;
        this.engine = engine;
        this.device = device;
        this.manager = manager;
        this.data = data;
        this.modelContext = modelContext;
        this.model = model;
    }

    /** Opens the data and creates a fresh model (parameters seeded by the run's seed). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static RunState open(ResolvedRun run, PluginHost host, RunFolder folder, Path dataRoot) {
        Engine engine = Engines.engine();
        engine.setRandomSeed((int) (run.seed() ^ (run.seed() >>> 32)));
        Device device = Engines.device(run.raw().device());
        DataSource data;
        try {
            data = ((Dataset) run.dataset().extension()).open(run.dataset().config(), new DataContext(dataRoot, run.seed()));
        } catch (NoSuchFileException e) {
            throw new UserException("dataset '" + run.dataset().spec().id() + "': missing file " + e.getFile()
                    + (e.getReason() == null ? "" : " (" + e.getReason() + ")"), e);
        } catch (IOException e) {
            throw new UserException("dataset '" + run.dataset().spec().id() + "': " + e.getMessage(), e);
        } catch (org.sparselab.api.config.ConfigException e) {
            throw ConfigErrors.at(run, run.dataset().spec().path(), e);
        }
        org.sparselab.api.train.TrainingSpec training = run.training().spec();
        if (run.raw().continual() != null) {
            // Schedules (k decay, annealing) see the whole continual run: tasks × epochs per task.
            int tasks;
            try {
                tasks = run.raw().continual().resolveTasks(data.spec().numClasses()).size();
            } catch (org.sparselab.api.config.ConfigException e) {
                data.close();
                throw ConfigErrors.at(run, "continual", e);
            }
            training = new org.sparselab.api.train.TrainingSpec(tasks * run.raw().continual().epochsPerTask(), training.batchSize(),
                    training.gradClip(), training.optimizer());
        }
        NDManager manager = NDManager.newBaseManager(device);
        RunModelContext ctx = new RunModelContext(data.spec(), manager, run.seed(), training, run.sparsifiers(), host.sparsifiers())
                .withSource(data);
        TrainableModel model;
        try {
            model = ((Model) run.model().extension()).create(run.model().config(), ctx);
        } catch (org.sparselab.api.config.ConfigException e) {
            manager.close();
            data.close();
            throw ConfigErrors.at(run, run.model().spec().path(), e);
        } catch (RuntimeException e) {
            manager.close();
            data.close();
            throw e;
        }
        if (!ctx.unusedSites().isEmpty()) {
            model.close();
            manager.close();
            data.close();
            throw new UserException(run.file() + ": model '" + run.model().spec().id() + "' never used " + ctx.unusedSites());
        }
        return new RunState(run, host, folder, engine, device, manager, data, ctx, model);
    }

    /**
     * Rebuilds a finished run from its folder: its resolved config, its data and its trained parameters
     * ({@code model/best.npz} when the run kept its best validation epoch, else {@code model/parameters.npz}). Used by export, probe and report on an existing run.
     */
    public static RunState reopen(Path runDir, PluginHost host, Path dataRoot) {
        RunFolder folder = RunFolder.open(runDir);
        Path config = folder.resolve("config.resolved.yaml");
        if (!java.nio.file.Files.isRegularFile(config)) {
            throw new UserException(runDir + " is not a run folder: it has no config.resolved.yaml");
        }
        Path params = folder.resolve("model/parameters.npz");
        if (!java.nio.file.Files.isRegularFile(params)) {
            throw new UserException("run folder " + runDir + " has no model/parameters.npz"
                    + (java.nio.file.Files.exists(folder.resolve(RunFolder.FAILED)) ? " (the run failed: see its FAILED file)"
                    : java.nio.file.Files.exists(folder.resolve(RunFolder.RUNNING)) ? " (the run has not finished)" : ""));
        }
        String text;
        try {
            text = java.nio.file.Files.readString(config);
        } catch (IOException e) {
            throw new UserException("cannot read " + config + ": " + e.getMessage(), e);
        }
        ResolvedRun run = new org.sparselab.core.config.ConfigLoader(host).resolve(config, text,
                org.sparselab.core.config.ConfigLoader.parse(config.toString(), text));
        RunState state = open(run, host, folder, dataRoot);
        try {
            // a run with training.keep_best evaluated its best epoch: so do export, probe, denoise and report
            Path best = folder.resolve(Runner.BEST);
            state.loadParameters(java.nio.file.Files.isRegularFile(best) ? best : params);
        } catch (RuntimeException e) {
            state.close();
            throw e;
        }
        return state;
    }

    /** Loads parameters (and sparsifier state) saved by a run. */
    public void loadParameters(Path file) {
        try (NDManager scratch = manager.newSubManager()) {
            ModelStore.load(file, model, modelContext.chains(), scratch);
        } catch (IOException e) {
            throw new UserException("cannot load model parameters: " + e.getMessage(), e);
        }
    }

    public void saveParameters(Path file) throws IOException {
        ModelStore.save(file, model, modelContext.chains());
    }

    public ResolvedRun run() {
        return run;
    }

    public PluginHost host() {
        return host;
    }

    public RunFolder folder() {
        return folder;
    }

    public Engine engine() {
        return engine;
    }

    public Device device() {
        return device;
    }

    public NDManager manager() {
        return manager;
    }

    public DataSource data() {
        return data;
    }

    public RunModelContext modelContext() {
        return modelContext;
    }

    public TrainableModel model() {
        return model;
    }

    @Override
    public void close() {
        try {
            model.close();
        } finally {
            manager.close();
            data.close();
        }
    }
}

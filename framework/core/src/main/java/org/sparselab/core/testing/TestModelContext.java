package org.sparselab.core.testing;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import org.sparselab.api.config.ConfigException;
import org.sparselab.api.data.DataSpec;
import org.sparselab.api.model.ModelContext;
import org.sparselab.api.sparsity.SparsifierChain;
import org.sparselab.api.sparsity.SparsityOp;
import org.sparselab.api.train.OptimizerSpec;
import org.sparselab.api.train.ParameterSet;
import org.sparselab.api.train.TrainingSpec;
import org.sparselab.api.train.Updater;
import org.sparselab.core.train.DjlUpdater;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * A {@link ModelContext} for plugin unit tests: no plugin folder, no run file. Sparsifiers are given as
 * factories per site; {@link #sparsifier} (creation by id) is served from the same map, keyed by id.
 * The updater is the framework's real one. Plugin modules get this class on their test class path.
 */
public final class TestModelContext implements ModelContext {
    private final DataSpec data;
    private final NDManager manager;
    private final TrainingSpec training;
    private final Map<String, IntFunction<SparsityOp>> sites = new LinkedHashMap<>();
    private final Map<String, SparsifierChain> created = new LinkedHashMap<>();

    public TestModelContext(DataSpec data, NDManager manager, TrainingSpec training) {
        this.data = data;
        this.manager = manager;
        this.training = training;
    }

    /** Adam at lr 1e-3, batch 32, 1 epoch, no clipping. */
    public TestModelContext(DataSpec data, NDManager manager) {
        this(data, manager, new TrainingSpec(1, 32, 0, OptimizerSpec.defaults()));
    }

    private org.sparselab.api.data.DataSource source;

    /** Offers data to models that store it (memories). */
    public TestModelContext withSource(org.sparselab.api.data.DataSource source) {
        this.source = source;
        return this;
    }

    @Override
    public java.util.Optional<org.sparselab.api.data.DataSource> source() {
        return java.util.Optional.ofNullable(source);
    }

    /** Attaches an operator, created for the layer width, at {@code siteOrId}. */
    public TestModelContext with(String siteOrId, IntFunction<SparsityOp> factory) {
        sites.put(siteOrId, factory);
        return this;
    }

    @Override
    public DataSpec data() {
        return data;
    }

    @Override
    public NDManager manager() {
        return manager;
    }

    @Override
    public Device device() {
        return manager.getDevice();
    }

    @Override
    public long seed() {
        return 42;
    }

    @Override
    public TrainingSpec training() {
        return training;
    }

    @Override
    public SparsifierChain sparsifiers(String site, int units) {
        List<SparsifierChain.Link> links = new ArrayList<>();
        IntFunction<SparsityOp> f = sites.get(site);
        if (f != null) {
            links.add(new SparsifierChain.Link(site + ".0", f.apply(units)));
        }
        SparsifierChain c = new SparsifierChain(links);
        created.put(site, c);
        return c;
    }

    @Override
    public SparsifierChain sparsifier(String id, Map<String, Object> params, int units) {
        IntFunction<SparsityOp> f = sites.get(id);
        if (f == null) {
            throw new ConfigException("sparsifier", "unknown sparsifier id '" + id + "' in this test context; known " + sites.keySet());
        }
        SparsifierChain c = new SparsifierChain(List.of(new SparsifierChain.Link("default." + id, f.apply(units))));
        created.put("default." + id, c);
        return c;
    }

    @Override
    public Updater updater(ParameterSet parameters) {
        return new DjlUpdater(parameters, training.optimizer(), training.gradClip());
    }

    /** Chains handed out so far, by site. */
    public Map<String, SparsifierChain> chains() {
        return created;
    }
}

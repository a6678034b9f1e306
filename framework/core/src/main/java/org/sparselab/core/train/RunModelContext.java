package org.sparselab.core.train;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import org.sparselab.api.Sparsifier;
import org.sparselab.api.config.ConfigException;
import org.sparselab.api.data.DataSpec;
import org.sparselab.api.model.ModelContext;
import org.sparselab.api.sparsity.SparsifierChain;
import org.sparselab.api.sparsity.SparsifierContext;
import org.sparselab.api.sparsity.SparsityOp;
import org.sparselab.api.train.ParameterSet;
import org.sparselab.api.train.TrainingSpec;
import org.sparselab.api.train.Updater;
import org.sparselab.core.config.Bound;
import org.sparselab.core.config.ConfigBinder;
import org.sparselab.core.config.ConfigSource;
import org.sparselab.core.plugin.Registry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The framework's {@link ModelContext}: hands a model its data spec, manager, sparsifiers and updaters,
 * and remembers every sparsifier chain it created so the loop can drive and persist them.
 */
public final class RunModelContext implements ModelContext {
    private final DataSpec data;
    private final NDManager manager;
    private final long seed;
    private final TrainingSpec training;
    private final List<Bound<Sparsifier>> configured;
    private final Registry<Sparsifier> registry;
    private final Map<String, SparsifierChain> chains = new LinkedHashMap<>();
    private final List<String> sitesAsked = new ArrayList<>();
    private final List<DjlUpdater> updaters = new ArrayList<>();

    private org.sparselab.api.data.DataSource source;

    public RunModelContext(DataSpec data, NDManager manager, long seed, TrainingSpec training,
                           List<Bound<Sparsifier>> configured, Registry<Sparsifier> registry) {
        this.data = data;
        this.manager = manager;
        this.seed = seed;
        this.training = training;
        this.configured = configured;
        this.registry = registry;
    }

    @Override
    public DataSpec data() {
        return data;
    }

    /** Offers the run's data to models that store it. */
    public RunModelContext withSource(org.sparselab.api.data.DataSource source) {
        this.source = source;
        return this;
    }

    @Override
    public java.util.Optional<org.sparselab.api.data.DataSource> source() {
        return java.util.Optional.ofNullable(source);
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
        return seed;
    }

    @Override
    public TrainingSpec training() {
        return training;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public SparsifierChain sparsifiers(String site, int units) {
        boolean first = sitesAsked.isEmpty();
        sitesAsked.add(site);
        List<SparsifierChain.Link> links = new ArrayList<>();
        int i = 0;
        for (Bound<Sparsifier> b : configured) {
            boolean here = b.site().isEmpty() ? first : b.site().equals(site);
            if (here) {
                SparsityOp op = ((Sparsifier) b.extension()).create(b.config(), sparsifierContext(units));
                links.add(new SparsifierChain.Link(site + "." + (i++) + "." + b.spec().id(), op));
            }
        }
        SparsifierChain chain = new SparsifierChain(links);
        chains.put(site, chain);
        return chain;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public SparsifierChain sparsifier(String id, Map<String, Object> params, int units) {
        Registry.Entry<Sparsifier> e;
        try {
            e = registry.get(id);
        } catch (ConfigException ex) {
            throw new ConfigException("sparsifier", ex.getMessage());
        }
        Sparsifier s = e.extension();
        Record cfg = (Record) ConfigBinder.bind(params, s.configType(), "sparsifier", ConfigSource.inline("model defaults"), "sparsifier '" + id + "'");
        String name = "default." + chains.size() + "." + id;
        SparsifierChain chain = new SparsifierChain(List.of(new SparsifierChain.Link(name, s.create(cfg, sparsifierContext(units)))));
        chains.put(name, chain);
        return chain;
    }

    private SparsifierContext sparsifierContext(int units) {
        return new SparsifierContext(units, manager, seed, training.epochs(), training.batchSize());
    }

    @Override
    public Updater updater(ParameterSet parameters) {
        DjlUpdater u = new DjlUpdater(parameters, training.optimizer(), training.gradClip());
        updaters.add(u);
        return u;
    }

    /** Every updater handed to the model (regularisers act through them). */
    public List<DjlUpdater> updaters() {
        return Collections.unmodifiableList(updaters);
    }

    /** Every chain created for the model, by site. */
    public Map<String, SparsifierChain> chains() {
        return Collections.unmodifiableMap(chains);
    }

    /** Sites named in the run file that the model never asked for (a typo, or a model without that site). */
    public List<String> unusedSites() {
        List<String> unused = new ArrayList<>();
        for (Bound<Sparsifier> b : configured) {
            if (!b.site().isEmpty() && !sitesAsked.contains(b.site())) {
                unused.add(b.spec().path() + ".site = " + b.site());
            }
        }
        if (!configured.isEmpty() && sitesAsked.isEmpty()) {
            unused.add("sparsifiers (the model has no sparsifier site)");
        }
        return unused;
    }
}

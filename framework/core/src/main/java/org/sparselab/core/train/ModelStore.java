package org.sparselab.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import org.sparselab.api.model.TrainableModel;
import org.sparselab.api.sparsity.SparsifierChain;
import org.sparselab.core.util.AtomicFiles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Saves and restores a model's state together with its sparsifiers' state (counters, duty cycles) as
 * one .npz file, written atomically. Sparsifier arrays are stored under {@code sparsity.<site>...}.
 */
public final class ModelStore {
    private ModelStore() {
    }

    public static Map<String, NDArray> state(TrainableModel model, Map<String, SparsifierChain> chains) {
        Map<String, NDArray> all = new TreeMap<>(model.state());
        chains.forEach((site, chain) -> chain.state().forEach((k, v) -> all.put("sparsity." + k, v)));
        return all;
    }

    public static void save(Path file, TrainableModel model, Map<String, SparsifierChain> chains) throws IOException {
        Map<String, NDArray> state = state(model, chains);
        NDList list = new NDList();
        for (Map.Entry<String, NDArray> e : state.entrySet()) {
            NDArray a = e.getValue();
            a.setName(e.getKey());
            list.add(a);
        }
        AtomicFiles.write(file, out -> list.encode(out, NDList.Encoding.NPZ));
    }

    public static void load(Path file, TrainableModel model, Map<String, SparsifierChain> chains, NDManager scratch) throws IOException {
        load(file, model, chains, scratch, java.util.Set.of());
    }

    /** Loads everything but the arrays named in {@code skip} (which keep their current values). */
    public static void load(Path file, TrainableModel model, Map<String, SparsifierChain> chains, NDManager scratch,
                            java.util.Set<String> skip) throws IOException {
        Map<String, NDArray> target = new TreeMap<>(state(model, chains));
        target.keySet().removeAll(skip);
        NDList list;
        try (InputStream in = Files.newInputStream(file)) {
            list = NDList.decode(scratch, in);
        } catch (NoSuchFileException e) {
            throw new IOException("no saved parameters at " + file);
        }
        TreeSet<String> seen = new TreeSet<>();
        for (NDArray a : list) {
            if (skip.contains(a.getName())) {
                continue;
            }
            NDArray dst = target.get(a.getName());
            if (dst == null) {
                throw new IOException(file + " holds '" + a.getName() + "', which this model does not have; it has " + target.keySet());
            }
            if (!dst.getShape().equals(a.getShape())) {
                throw new IOException(file + ": '" + a.getName() + "' has shape " + a.getShape() + ", the model expects " + dst.getShape());
            }
            a.toType(dst.getDataType(), false).copyTo(dst);
            seen.add(a.getName());
        }
        if (!seen.equals(target.keySet())) {
            TreeSet<String> missing = new TreeSet<>(target.keySet());
            missing.removeAll(seen);
            throw new IOException(file + " lacks " + missing);
        }
    }
}

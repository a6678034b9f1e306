package org.sparselab.api;

import org.sparselab.api.sparsity.SparsifierContext;
import org.sparselab.api.sparsity.SparsityOp;

/** Extension point for sparsity operators applied to a layer's activations (top-k, GABA, stripes, ...). */
public interface Sparsifier<C extends Record> extends Configurable<C> {

    SparsityOp create(C config, SparsifierContext context);
}

package org.sparselab.api;

import org.sparselab.api.model.ModelContext;
import org.sparselab.api.model.TrainableModel;

/**
 * Extension point for models. {@link #create} builds the parameters for the dataset's shapes in
 * {@link ModelContext#data()}. Whether and how the model learns (gradients, a Hebbian rule, nothing)
 * is the model's business: the framework only calls {@link TrainableModel#trainStep}.
 */
public interface Model<C extends Record> extends Configurable<C> {

    TrainableModel create(C config, ModelContext context);
}

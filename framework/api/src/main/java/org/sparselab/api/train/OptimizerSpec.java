package org.sparselab.api.train;

import com.fasterxml.jackson.annotation.JsonCreator;
import org.sparselab.api.config.Check;
import org.sparselab.api.config.ConfigException;
import org.sparselab.api.config.Param;

import java.util.List;

/** The {@code training.optimizer} section of a run file. */
public record OptimizerSpec(
        @Param("adam | adamw | sgd | sgdm (SGD with momentum) | rmsprop | adagrad") String id,
        @Param("learning rate") Double lr,
        @Param("momentum for sgdm (0.9 by default)") Double momentum,
        @Param("Adam beta1") Double beta1,
        @Param("Adam beta2") Double beta2,
        @Param("numerical epsilon") Double epsilon,
        @Param("weight decay (AdamW's decoupled decay; L2 for the others)") Double weightDecay,
        @Param("learning rate for biases and other 1-D parameters; unset = lr") Double biasLr) {

    public static final List<String> IDS = List.of("adam", "adamw", "sgd", "sgdm", "rmsprop", "adagrad");

    @JsonCreator
    public OptimizerSpec {
        id = Check.oneOf("optimizer.id", Check.orDefault(id, "adam"), IDS);
        lr = Check.positive("optimizer.lr", Check.orDefault(lr, 1e-3));
        momentum = Check.inRange("optimizer.momentum", Check.orDefault(momentum, 0.9), 0.0, 1.0);
        beta1 = Check.inRange("optimizer.beta1", Check.orDefault(beta1, 0.9), 0.0, 1.0);
        beta2 = Check.inRange("optimizer.beta2", Check.orDefault(beta2, 0.999), 0.0, 1.0);
        epsilon = Check.positive("optimizer.epsilon", Check.orDefault(epsilon, 1e-8));
        weightDecay = Check.atLeast("optimizer.weight_decay", Check.orDefault(weightDecay, id.equals("adamw") ? 0.001 : 0.0), 0.0);
        if (biasLr != null && !(biasLr > 0)) {
            throw ConfigException.invalid("optimizer.bias_lr", biasLr, "a number > 0, or no value to use lr");
        }
    }

    public static OptimizerSpec defaults() {
        return new OptimizerSpec(null, null, null, null, null, null, null, null);
    }
}

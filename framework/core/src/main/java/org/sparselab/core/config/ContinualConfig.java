package org.sparselab.core.config;

import org.sparselab.api.config.Check;
import org.sparselab.api.config.ConfigException;
import org.sparselab.api.config.Param;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code continual} section of a run file: class-incremental training on tasks made of class groups
 * (spec sdm.md §4.2), e.g. Split-MNIST = 5 tasks of 2 classes.
 */
public record ContinualConfig(
        @Param("number of tasks the classes are split into, in the class order (ignored when tasks is given)") Integer split,
        @Param("explicit tasks as lists of classes, e.g. [[0, 1], [2, 3]]") List<List<Integer>> tasks,
        @Param("class order before splitting: default (0, 1, 2, ...) or an integer seed for a random order") Object order,
        @Param("training epochs on each task") Integer epochsPerTask,
        @Param("split evaluated after every epoch, on each task seen so far") String evalSplit,
        @Param("regulariser applied from the second task on: {id: none|ewc|mas|si|l2, importance, beta, fisher_batches, fisher_batch_size, damping}") RegularizerConfig regularizer,
        @Param("a finished run folder whose parameters (all but the output head) start the continual run") String pretrained) {

    public ContinualConfig {
        split = Check.atLeast("continual.split", Check.orDefault(split, 5), 1);
        epochsPerTask = Check.atLeast("continual.epochs_per_task", Check.orDefault(epochsPerTask, 1), 1);
        evalSplit = Check.orDefault(evalSplit, "test");
        regularizer = Check.orDefault(regularizer, RegularizerConfig.none());
        order = Check.orDefault(order, "default");
        if (!(order instanceof Number) && !"default".equals(order)) {
            throw ConfigException.invalid("continual.order", order, "default or an integer seed");
        }
        if (tasks != null) {
            if (tasks.isEmpty()) {
                throw ConfigException.invalid("continual.tasks", tasks, "a non-empty list of class lists");
            }
            List<Integer> seen = new ArrayList<>();
            for (List<Integer> t : tasks) {
                if (t == null || t.isEmpty()) {
                    throw ConfigException.invalid("continual.tasks", tasks, "non-empty class lists");
                }
                for (Integer c : t) {
                    if (c == null || c < 0 || seen.contains(c)) {
                        throw ConfigException.invalid("continual.tasks", tasks, "distinct class ids >= 0, each in one task");
                    }
                    seen.add(c);
                }
            }
            tasks = List.copyOf(tasks.stream().map(List::copyOf).toList());
        }
    }

    /** The class groups for {@code classes} classes. */
    public List<int[]> resolveTasks(int classes) {
        if (tasks != null) {
            for (List<Integer> t : tasks) {
                for (int c : t) {
                    if (c >= classes) {
                        throw ConfigException.invalid("continual.tasks", tasks, "class ids below " + classes);
                    }
                }
            }
            return tasks.stream().map(t -> t.stream().mapToInt(Integer::intValue).toArray()).toList();
        }
        if (split > classes) {
            throw ConfigException.invalid("continual.split", split, "at most the " + classes + " classes");
        }
        int[] ordered = order instanceof Number seed ? org.sparselab.api.data.Holdout.permutation(classes, seed.longValue())
                : java.util.stream.IntStream.range(0, classes).toArray();
        List<int[]> out = new ArrayList<>();
        int per = classes / split;
        for (int t = 0; t < split; t++) {
            int from = t * per;
            int to = t == split - 1 ? classes : from + per;
            out.add(java.util.Arrays.copyOfRange(ordered, from, to));
        }
        return out;
    }
}

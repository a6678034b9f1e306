package org.sparselab.core.run;

import org.junit.jupiter.api.Test;
import org.sparselab.api.config.ConfigException;
import org.sparselab.api.data.ArraySplit;
import org.sparselab.api.data.Split;
import org.sparselab.core.config.ContinualConfig;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Spec sdm.md §10 check 20 and the usual continual-learning summaries. */
class ContinualBookkeepingTest {

    private static Split split(int n) {
        return new ArraySplit("t", new float[n], new int[n], 1);
    }

    @Test
    void tasksAreClassGroupsInDefaultOrSeededOrder() {
        ContinualConfig c = new ContinualConfig(5, null, null, 2, null, null, null);
        List<int[]> tasks = c.resolveTasks(10);
        assertEquals(5, tasks.size());
        assertArrayEquals(new int[]{0, 1}, tasks.get(0));
        assertArrayEquals(new int[]{8, 9}, tasks.get(4));
        List<int[]> seeded = new ContinualConfig(5, null, 3, 2, null, null, null).resolveTasks(10);
        int[] all = seeded.stream().flatMapToInt(java.util.Arrays::stream).sorted().toArray();
        assertArrayEquals(new int[]{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, all);
        assertEquals(seeded.get(0)[0], new ContinualConfig(5, null, 3, 2, null, null, null).resolveTasks(10).get(0)[0]);
        assertThrows(ConfigException.class, () -> new ContinualConfig(null, List.of(List.of(0, 1), List.of(1, 2)), null, 1, null, null, null));
        assertThrows(ConfigException.class, () -> new ContinualConfig(11, null, null, 1, null, null, null).resolveTasks(10));
    }

    @Test
    void clAccuracyCountsUnseenTasksAsWrong() {
        // After task t of 5 with equal test sets, the logged accuracy is correct_on_seen / total_seen × t/5,
        // which is correct_on_seen / total over all tasks.
        double[][] r = {
                {1.0, Double.NaN, Double.NaN},
                {0.5, 0.9, Double.NaN},
                {0.25, 0.5, 0.8}};
        List<Split> tasks = List.of(split(100), split(100), split(100));
        assertEquals((0.25 + 0.5 + 0.8) / 3, ContinualLoop.finalClAccuracy(r, tasks, 300), 1e-12);
        double correctSeenAfterTask2 = 0.5 * 100 + 0.9 * 100;
        double specFormula = correctSeenAfterTask2 / 200 * (2.0 / 3);
        assertEquals(specFormula, correctSeenAfterTask2 / 300, 1e-12);
        assertEquals((0.25 + 0.5 + 0.8) / 3, ContinualLoop.average(r[2]), 1e-12);
        // forgetting: task 0 best 1.0 -> 0.25 (0.75), task 1 best 0.9 -> 0.5 (0.4)
        assertEquals((0.75 + 0.4) / 2, ContinualLoop.forgetting(r), 1e-12);
        // backward transfer: (0.25 - 1.0 + 0.5 - 0.9) / 2
        assertEquals((0.25 - 1.0 + 0.5 - 0.9) / 2, ContinualLoop.backwardTransfer(r), 1e-12);
    }
}

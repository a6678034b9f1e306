package org.sparselab.core.train;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class BatchOrderTest {
    @Test
    void permutationsAreSeededPerEpochAndComplete() {
        int[] a = BatchOrder.permutation(1000, 5, 0, true);
        assertArrayEquals(a, BatchOrder.permutation(1000, 5, 0, true));
        assertFalse(Arrays.equals(a, BatchOrder.permutation(1000, 5, 1, true)));
        assertFalse(Arrays.equals(a, BatchOrder.permutation(1000, 6, 0, true)));
        int[] sorted = a.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            assertEquals(i, sorted[i]);
        }
        assertEquals(8, BatchOrder.batches(1000, 128));
        assertEquals(1000 - 7 * 128, BatchOrder.batch(a, 7, 128).length);
    }
}

package org.sparselab.plugins.sdmmemory;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The learned projection (spec sdm.md §8) trains through autograd: its loss falls and every test cell is reported. */
class ProjectionTest {

    @Test
    void trainingLowersTheRetrievalLossAndTheTestCoversLearnedAndRandom() {
        // 20 prototypes of 784 non-negative pixels, 400 stored images as noisy copies: structure a projection can learn
        Random rnd = new Random(3);
        float[][] proto = new float[20][784];
        for (float[] p : proto) {
            for (int j = 0; j < 784; j++) {
                p[j] = rnd.nextDouble() < 0.2 ? (float) rnd.nextDouble() : 0f;
            }
        }
        float[] images = new float[400 * 784];
        for (int i = 0; i < 400; i++) {
            for (int j = 0; j < 784; j++) {
                images[i * 784 + j] = Math.max(0f, proto[i % 20][j] + (float) (0.05 * rnd.nextGaussian()));
            }
        }
        ProjectionConfig cfg = new ProjectionConfig("mnist", 400, 16, List.of(5), 1, 4, 50, 0.01, 10, 100, false, List.of(0, 100), 50, 5, 1L);
        List<String> log = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager()) {
            List<Projection.Cell> cells = Projection.run(m, images, 400, cfg, log::add);
            assertEquals(4, cells.size(), "learned and random at two perturbation levels");
            Pattern loss = Pattern.compile("epoch (\\d+): loss ([0-9.]+)");
            List<Double> losses = new ArrayList<>();
            for (String l : log) {
                Matcher mt = loss.matcher(l);
                if (mt.find()) {
                    losses.add(Double.parseDouble(mt.group(2)));
                }
            }
            assertEquals(4, losses.size(), String.join("\n", log));
            assertTrue(losses.get(3) < losses.get(0), "the loss falls: " + losses);
            for (Projection.Cell c : cells) {
                assertTrue(c.cosine() > 0 && c.cosine() <= 1.0001, c.toString());
            }
        }
    }
}

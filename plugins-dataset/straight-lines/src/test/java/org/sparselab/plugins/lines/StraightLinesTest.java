package org.sparselab.plugins.lines;

import org.junit.jupiter.api.Test;
import org.sparselab.api.config.ConfigException;
import org.sparselab.api.data.DataContext;
import org.sparselab.api.data.DataSource;
import org.sparselab.api.data.Split;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spec checks 1-3 of net fragments: random lines, interruptions, the rotating sweep. */
class StraightLinesTest {

    private static DataSource open(Integer interrupt, long seed) {
        return new StraightLinesDataset().open(new StraightLinesDataset.Config(300, 4, 60, interrupt, null, null),
                new DataContext(Path.of("."), seed));
    }

    /** Check 1: endpoints in the two families, binary pixels, 1 px wide, through the centre. */
    @Test
    void randomLinesHaveTheOriginalsEndpointsAndPassThroughTheCentre() {
        SplittableRandom r = new SplittableRandom(7);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 5000; i++) {
            Lines.Segment s = Lines.random(r);
            boolean rows = s.x1() == 2 && s.x2() == 30 && s.y2() == 32 - s.y1() && s.y1() >= 2 && s.y1() <= 30;
            boolean cols = s.y1() == 2 && s.y2() == 30 && s.x2() == 32 - s.x1() && s.x1() >= 2 && s.x1() <= 30;
            assertTrue(rows || cols, s.toString());
            seen.add(s.toString());
            float[] img = Lines.draw(s, 32);
            assertOneWideThroughCentre(img, s);
        }
        // 58 draws: (2,2)-(30,30) comes from both families, the other diagonal once in each direction
        assertEquals(57, seen.size(), "every draw occurs (57 distinct ordered segments)");
    }

    private static void assertOneWideThroughCentre(float[] img, Lines.Segment s) {
        for (float v : img) {
            assertTrue(v == 0f || v == 1f);
        }
        boolean xMajor = Math.abs(s.x2() - s.x1()) >= Math.abs(s.y2() - s.y1());
        int lo = xMajor ? Math.min(s.x1(), s.x2()) : Math.min(s.y1(), s.y2());
        int hi = xMajor ? Math.max(s.x1(), s.x2()) : Math.max(s.y1(), s.y2());
        int total = 0;
        for (int a = 0; a < 32; a++) {
            int count = 0;
            for (int b = 0; b < 32; b++) {
                count += (int) (xMajor ? img[b * 32 + a] : img[a * 32 + b]);
            }
            assertEquals(a >= lo && a <= hi ? 1 : 0, count, "one pixel per step along the major axis, " + s);
            total += count;
        }
        assertEquals(hi - lo + 1, total);
        boolean near = false;
        for (int y = 15; y <= 17; y++) {
            for (int x = 15; x <= 17; x++) {
                near |= img[y * 32 + x] == 1f;
            }
        }
        assertTrue(near, "passes within 1 px of (16,16): " + s);
    }

    /** Training lines are drawn afresh on each access, reproducibly from the seed; val lines are fixed. */
    @Test
    void trainingLinesAreRedrawnPerAccessAndReproducible() {
        Split a = open(0, 3).split("train");
        Split b = open(0, 3).split("train");
        float[] first = new float[1024];
        float[] again = new float[1024];
        int changed = 0;
        for (int i = 0; i < 50; i++) {
            a.copySample(i, first, 0);
            a.copySample(i, again, 0);
            changed += Arrays.equals(first, again) ? 0 : 1;
            float[] other = new float[1024];
            b.copySample(i, other, 0);
            assertArrayEquals(first, other, "same seed, same access sequence, same lines");
        }
        assertTrue(changed > 40, "a second access draws a new line (58 possible draws): " + changed);
        Split val = open(0, 3).split("val");
        val.copySample(2, first, 0);
        val.copySample(2, again, 0);
        assertArrayEquals(first, again);
        float[] otherSeed = new float[1024];
        int differs = 0;
        for (int i = 0; i < 20; i++) {
            a.copySample(i, first, 0);
            open(0, 4).split("train").copySample(i, otherSeed, 0);
            differs += Arrays.equals(first, otherSeed) ? 0 : 1;
        }
        assertTrue(differs > 10);
    }

    /** Check 2: exactly n line pixels removed, consecutive in row-major order, around the pixel nearest the midpoint. */
    @Test
    void interruptionRemovesAContiguousRunAroundTheMidpoint() {
        for (int i = 0; i < 60; i++) {
            Lines.Segment s = Lines.sweep(i);
            float[] clean = Lines.draw(s, 32);
            int[] on = java.util.stream.IntStream.range(0, 1024).filter(k -> clean[k] > 0).toArray();
            int nearest = nearest(on, s);
            for (int n = 1; n <= on.length - 2; n++) {
                float[] img = clean.clone();
                Lines.interrupt(img, 32, s, n);
                int removedFirst = -1;
                int removed = 0;
                for (int k = 0; k < 1024; k++) {
                    if (img[k] != clean[k]) {
                        assertEquals(1f, clean[k], "only line pixels change");
                        assertEquals(0f, img[k]);
                        removed++;
                    }
                }
                assertEquals(n, removed);
                for (int k = 0; k < on.length; k++) {
                    if (img[on[k]] == 0f) {
                        removedFirst = k;
                        break;
                    }
                }
                for (int k = removedFirst; k < removedFirst + n; k++) {
                    assertEquals(0f, img[on[k]], "consecutive in row-major order");
                }
                assertTrue(removedFirst <= nearest && nearest < removedFirst + n, "the run holds the midpoint pixel");
            }
            float[] img = clean.clone();
            Lines.interrupt(img, 32, s, 100);
            int left = 0;
            for (float v : img) {
                left += (int) v;
            }
            assertEquals(2, left, "at most count - 2 pixels are removed");
        }
        DataSource d = open(3, 1);
        float[] x = d.split("test").features(new int[]{5});
        float[] clean = Arrays.copyOfRange(d.groundTruth().get("test_clean").data(), 5 * 1024, 6 * 1024);
        int diff = 0;
        for (int k = 0; k < 1024; k++) {
            diff += x[k] != clean[k] ? 1 : 0;
        }
        assertEquals(3, diff, "the test split carries line_interrupt, test_clean the uninterrupted line");
    }

    private static int nearest(int[] on, Lines.Segment s) {
        int best = Integer.MAX_VALUE;
        int at = -1;
        for (int k = 0; k < on.length; k++) {
            int d = Math.abs(on[k] % 32 - (s.x1() + s.x2()) / 2) + Math.abs(on[k] / 32 - (s.y1() + s.y2()) / 2);
            if (d < best) {
                best = d;
                at = k;
            }
        }
        return at;
    }

    /** Check 3: the sweep's angles and landmark samples. */
    @Test
    void sweepRotatesThroughEveryTrainingOrientation() {
        assertEquals(new Lines.Segment(2, 16, 30, 16), Lines.sweep(0));
        assertEquals(new Lines.Segment(2, 30, 30, 2), Lines.sweep(14));
        assertEquals(new Lines.Segment(16, 30, 16, 2), Lines.sweep(28));
        assertEquals(new Lines.Segment(30, 16, 2, 16), Lines.sweep(56));
        assertEquals(0.0, Math.toDegrees(Lines.sweep(0).angle()), 1e-9);
        assertEquals(4.09, Math.abs(Math.toDegrees(Lines.sweep(1).angle())), 0.01);
        assertEquals(45.0, Math.abs(Math.toDegrees(Lines.sweep(14).angle())), 1e-6);
        // the same 56 lines as training, as unordered endpoint pairs (PIL, like our rasteriser, draws from the first
        // endpoint, so a line whose endpoints come swapped may differ by a pixel from its training twin)
        Set<String> sweep = new HashSet<>();
        Set<String> images = new HashSet<>();
        for (int i = 0; i < 56; i++) {
            sweep.add(unordered(Lines.sweep(i)));
            images.add(Arrays.toString(Lines.draw(Lines.sweep(i), 32)));
        }
        assertEquals(56, sweep.size(), "56 distinct lines in the first 56 samples");
        assertEquals(56, images.size());
        SplittableRandom r = new SplittableRandom(1);
        Set<String> training = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            training.add(unordered(Lines.random(r)));
        }
        assertEquals(training, sweep, "the sweep covers exactly the training orientations");
        assertEquals(unordered(Lines.sweep(0)), unordered(Lines.sweep(56)));
        DataSource d = open(0, 1);
        assertEquals(60, d.split("test").size());
        assertFalse(d.split("test").labelled());
        assertArrayEquals(new int[]{1, 32, 32}, d.spec().sampleShape());
    }

    private static String unordered(Lines.Segment s) {
        String a = s.x1() + "," + s.y1();
        String b = s.x2() + "," + s.y2();
        return a.compareTo(b) < 0 ? a + "-" + b : b + "-" + a;
    }

    @Test
    void badParametersNameTheKey() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> new StraightLinesDataset.Config(null, null, null, -1, null, null));
        assertTrue(e.getMessage().contains("line_interrupt"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> new StraightLinesDataset.Config(0, null, null, null, null, null));
        assertTrue(e.getMessage().contains("train_size"), e.getMessage());
    }
}

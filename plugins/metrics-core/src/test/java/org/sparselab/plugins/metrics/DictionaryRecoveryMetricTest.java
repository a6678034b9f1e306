package org.sparselab.plugins.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.sparselab.api.Task;
import org.sparselab.api.config.ConfigException;
import org.sparselab.api.data.FloatTensor;
import org.sparselab.api.metric.MetricAccumulator;
import org.sparselab.api.model.StepOutput;
import org.sparselab.api.model.TrainableModel;

import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** dictionary_recovery against known dictionaries. */
class DictionaryRecoveryMetricTest extends Fixtures {
    private static final int ATOMS = 6;
    private static final int DIM = 10;

    private MetricAccumulator recovery(FloatTensor truth, Double threshold) {
        Map<String, FloatTensor> gt = truth == null ? Map.of() : Map.of("dictionary", truth);
        return new DictionaryRecoveryMetric().create(new DictionaryRecoveryMetric.Config(threshold), ctx(Task.RECONSTRUCTION, gt));
    }

    private static FloatTensor randomDictionary(long seed, int atoms, int dim) {
        Random r = new Random(seed);
        float[] v = new float[atoms * dim];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return new FloatTensor(v, new int[]{atoms, dim});
    }

    @Test
    void permutedScaledAndSignFlippedDictionaryIsFullyRecovered() {
        FloatTensor truth = randomDictionary(1, ATOMS, DIM);
        // learned rows: the true atoms in another order, some negated, rescaled, plus two unrelated atoms
        int[] order = {3, 0, 5, 1, 4, 2};
        float[] learned = new float[(ATOMS + 2) * DIM];
        for (int i = 0; i < ATOMS; i++) {
            float scale = (i % 2 == 0 ? -1 : 1) * (0.5f + i);
            for (int j = 0; j < DIM; j++) {
                learned[i * DIM + j] = scale * truth.data()[order[i] * DIM + j];
            }
        }
        System.arraycopy(randomDictionary(2, 2, DIM).data(), 0, learned, ATOMS * DIM, 2 * DIM);
        Map<String, Double> r = recovery(truth, null).result(model(m.create(learned, new Shape(ATOMS + 2, DIM))));
        assertEquals(1.0, r.get("dictionary_recovery"), 1e-5);
        assertEquals(1.0, r.get("atoms_recovered"), 1e-9);
    }

    @Test
    void randomDictionaryScoresLower() {
        FloatTensor truth = randomDictionary(1, ATOMS, DIM);
        FloatTensor other = randomDictionary(7, ATOMS, DIM);
        Map<String, Double> r = recovery(truth, null).result(model(m.create(other.data(), new Shape(ATOMS, DIM))));
        double v = r.get("dictionary_recovery");
        assertTrue(v > 0 && v < 0.9, "random atoms should not recover the dictionary: " + v);
        assertEquals(0.0, r.get("atoms_recovered"), 1e-9);
    }

    @Test
    void handComputedPartialRecovery() {
        FloatTensor truth = new FloatTensor(new float[]{1, 0, 0, 0, 1, 0, 0, 0, 1}, new int[]{3, 3});
        // -3 e1 recovers e1 exactly; (0, 1, 1) is at |cos| = 1/sqrt(2) from both e2 and e3
        NDArray learned = arr(2, 3, -3, 0, 0, 0, 1, 1);
        double half = Math.sqrt(0.5);
        Map<String, Double> r = recovery(truth, null).result(model(learned));
        assertEquals((1 + 2 * half) / 3, r.get("dictionary_recovery"), 1e-6);
        assertEquals(1.0 / 3, r.get("atoms_recovered"), 1e-9);
        Map<String, Double> loose = recovery(truth, 0.7).result(model(learned));
        assertEquals(1.0, loose.get("atoms_recovered"), 1e-9);
    }

    @Test
    void computedFromTheParametersNotTheBatches() {
        FloatTensor truth = new FloatTensor(new float[]{1, 0}, new int[]{1, 2});
        MetricAccumulator acc = recovery(truth, null);
        acc.update(new StepOutput(arr(1, 2, 5, 5), null, arr(1, 2, 5, 5), arr(1, 2, 5, 5), 0));
        assertEquals(1.0, acc.result(model(arr(1, 2, 2, 0))).get("dictionary_recovery"), 1e-6);
        acc.reset();
        assertEquals(1.0, acc.result(model(arr(1, 2, 2, 0))).get("dictionary_recovery"), 1e-6);
    }

    @Test
    void emptyWithoutGroundTruthAtomsOrAMatchingWidth() {
        NDArray atoms = arr(2, 3, 1, 0, 0, 0, 1, 0);
        assertEquals(Map.of(), recovery(null, null).result(model(atoms)));
        FloatTensor truth = new FloatTensor(new float[]{1, 0, 0}, new int[]{1, 3});
        assertEquals(Map.of(), recovery(truth, null).result(model()));
        assertEquals(Map.of(), recovery(truth, null).result(model(arr(1, 2, 1, 0))));
    }

    @Test
    void leavesTheModelsAtomsOpenAndFreesItsTemporaries() {
        FloatTensor truth = randomDictionary(3, ATOMS, DIM);
        NDArray weights = m.create(randomDictionary(4, DIM, ATOMS).data(), new Shape(DIM, ATOMS));
        // a model that hands out a fresh transpose on every call, and one that hands out its parameter
        TrainableModel copying = new Delegating(model(null)) {
            @Override
            public Optional<NDArray> atoms() {
                return Optional.of(weights.transpose());
            }
        };
        TrainableModel direct = model(weights.transpose());
        MetricAccumulator acc = recovery(truth, null);
        acc.result(copying);
        acc.result(direct);
        int before = m.getManagedArrays().size();
        for (int i = 0; i < 20; i++) {
            acc.result(copying);
            acc.result(direct);
        }
        assertEquals(before, m.getManagedArrays().size());
        assertEquals(acc.result(copying), acc.result(direct));
        assertTrue(direct.atoms().orElseThrow().sum().getFloat() != 0f, "the parameter must stay usable");
    }

    @Test
    void configDefaultsAndValidates() {
        assertEquals(0.99, new DictionaryRecoveryMetric.Config(null).threshold());
        assertThrows(ConfigException.class, () -> new DictionaryRecoveryMetric.Config(1.5));
    }
}

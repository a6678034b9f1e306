package org.sparselab.plugins.vdl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.sparselab.api.data.Batch;
import org.sparselab.api.model.StepOutput;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Short trainings on synthetic sparse data (y = D·z with a random dictionary and 3-of-16 non-negative codes): the
 * energy and reconstruction decrease, and the collapse ablation of check C15.
 */
class VdlTrainingTest {
    static final int P = 36;
    static final int ATOMS = 16;

    /** n samples of y = D z + noise, D with unit-norm Gaussian atoms, z with 3 active entries in U(0.5, 1.5). */
    static float[] synthetic(long seed, int n) {
        Random r = new Random(seed);
        double[][] atoms = new double[ATOMS][P];
        Random ra = new Random(99); // the same dictionary for every split
        for (double[] a : atoms) {
            double norm = 0;
            for (int i = 0; i < P; i++) {
                a[i] = ra.nextGaussian();
                norm += a[i] * a[i];
            }
            for (int i = 0; i < P; i++) {
                a[i] /= Math.sqrt(norm);
            }
        }
        float[] y = new float[n * P];
        for (int s = 0; s < n; s++) {
            for (int k = 0; k < 3; k++) {
                int j = r.nextInt(ATOMS);
                double c = 0.5 + r.nextDouble();
                for (int i = 0; i < P; i++) {
                    y[s * P + i] += (float) (c * atoms[j][i]);
                }
            }
            for (int i = 0; i < P; i++) {
                y[s * P + i] += (float) (0.01 * r.nextGaussian());
            }
        }
        return y;
    }

    /** Per epoch: the model's epoch stats plus the held-out reconstruction MSE of the encoder's codes ("val_mse"). */
    static List<Map<String, Double>> train(VdlModel.Instance model, NDManager m, int epochs, int batch) {
        int n = 400;
        NDArray train = m.create(synthetic(1, n), new Shape(n, P));
        NDArray val = m.create(synthetic(2, 200), new Shape(200, P));
        List<Map<String, Double>> rows = new ArrayList<>();
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (int b = 0; b < n / batch; b++) {
                try (NDScope scope = new NDScope()) {
                    model.trainStep(new Batch(train.get(b * batch + ":" + (b + 1) * batch), null, new int[batch]));
                }
            }
            model.onEpochEnd(epoch);
            Map<String, Double> row = new java.util.LinkedHashMap<>(model.epochStats());
            try (NDScope scope = new NDScope()) {
                StepOutput out = model.evaluate(new Batch(val, null, new int[200]));
                row.put("val_mse", (double) out.output().sub(val).square().mean().getFloat());
                row.put("val_energy", out.loss());
            }
            rows.add(row);
        }
        return rows;
    }

    @Test
    void energyAndReconstructionDecrease() {
        for (String variant : VdlModel.VARIANTS) {
            Engine.getInstance().setRandomSeed(11);
            try (NDManager m = NDManager.newBaseManager()) {
                VdlModel.Instance model = VdlModelTest.create(m, P, 50, "variant", variant, "code_dim", ATOMS, "hidden_dim", 64,
                        "sparsity_reg", 0.002, "lrt_d", 3e-3, "lrt_e", 3e-3, "code_reg", 1.0);
                List<Map<String, Double>> rows = train(model, m, 12, 50);
                Map<String, Double> first = rows.get(0);
                Map<String, Double> last = rows.get(rows.size() - 1);
                String trace = variant + ": " + rows;
                // FISTA's energy per sample and the decoder's loss on the inferred codes, training means of the epoch
                assertTrue(last.get("energy") < 0.5 * first.get("energy"), trace);
                assertTrue(last.get("decoder_loss") < 0.5 * first.get("decoder_loss"), trace);
                assertTrue(last.get("encoder_loss") < 0.5 * first.get("encoder_loss"), trace);
                // held out: the encoder's codes reconstruct better, and their validation energy falls
                assertTrue(last.get("val_mse") < 0.4 * first.get("val_mse"), trace);
                assertTrue(last.get("val_energy") < 0.5 * first.get("val_energy"), trace);
                for (int i = 1; i < rows.size(); i++) {
                    assertTrue(rows.get(i).get("energy") < rows.get(i - 1).get("energy"), "epoch " + i + " " + trace);
                }
                model.close();
            }
        }
    }

    /**
     * C15: with neither the variance term nor the column projection (the paper's "no variance regularisation"
     * ablation), the decoder's columns grow and the codes shrink toward 0 (past their early peak, while the columns keep
     * growing); with the variance hinge (VDL, decoder just as unconstrained) the codes keep their scale and the columns
     * grow far less. Same data, seeds, λ = 0.05 and rates; 30 epochs of 8 batches.
     */
    @Test
    void c15WithoutVarianceAndWithoutNormalisationTheCodesCollapse() {
        Map<String, List<Map<String, Double>>> runs = new java.util.LinkedHashMap<>();
        for (String run : new String[]{"ablation", "vdl"}) {
            Engine.getInstance().setRandomSeed(12);
            try (NDManager m = NDManager.newBaseManager()) {
                Object[] common = {"code_dim", ATOMS, "sparsity_reg", 0.05, "lrt_d", 0.01, "lrt_e", 3e-3, "lrt_z", 0.5};
                List<Object> kv = new ArrayList<>(List.of(common));
                // the ablation: SDL's settings (β = 0, γ = 1) without the column projection
                kv.addAll(run.equals("ablation") ? List.of("variant", "sdl", "norm_decoder", 0.0) : List.of("variant", "vdl"));
                VdlModel.Instance model = VdlModelTest.create(m, P, 50, kv.toArray());
                runs.put(run, train(model, m, 30, 50));
                model.close();
            }
        }
        List<Map<String, Double>> ab = runs.get("ablation");
        Map<String, Double> ablation = ab.get(29);
        Map<String, Double> vdl = runs.get("vdl").get(29);
        String trace = runs.toString();
        assertTrue(ablation.get("atom_norm_mean") > 3 * ab.get(0).get("atom_norm_mean"), "the ablation's columns grow: " + trace);
        assertTrue(ablation.get("atom_norm_mean") > ab.get(15).get("atom_norm_mean"), "and keep growing: " + trace);
        double peak = ab.stream().mapToDouble(r -> r.get("code_l1")).max().orElseThrow();
        assertTrue(ablation.get("code_l1") < 0.95 * peak, "the ablation's codes shrink past their peak: " + trace);
        assertTrue(ablation.get("code_l1") < 0.3 * vdl.get("code_l1"), "the ablation's codes are small next to VDL's: " + trace);
        assertTrue(vdl.get("atom_norm_mean") < 0.6 * ablation.get("atom_norm_mean"), "VDL's free columns grow far less: " + trace);
        // the hinge lifts the batch std of the codes: fewer components stay below T than without it
        assertTrue(vdl.get("zs_std_below_t") < ablation.get("zs_std_below_t") - 0.1, trace);
    }
}

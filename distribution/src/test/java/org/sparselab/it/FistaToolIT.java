package org.sparselab.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparselab.api.data.Npy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `sparselab fista` from the real vdl plugin jar: codes for given inputs and dictionary, and clear argument errors. */
class FistaToolIT {

    @Test
    void solvesAndWritesCodes(@TempDir Path tmp) throws IOException {
        Random rnd = new Random(2);
        float[] d = new float[50 * 12];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) rnd.nextGaussian();
        }
        float[] y = new float[20 * 50];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) rnd.nextGaussian();
        }
        Path dict = tmp.resolve("d.npy");
        Path inputs = tmp.resolve("y.npy");
        Path codes = tmp.resolve("z.npy");
        Npy.write(dict, d, 50, 12);
        Npy.write(inputs, y, 20, 50);
        TestKit.Cli c = TestKit.cli("fista", "--plugins", TestKit.pluginFolder().toString(), "--dictionary", dict.toString(),
                "--inputs", inputs.toString(), "--codes", codes.toString(), "--lambda", "0.01", "--step", "0.5");
        assertEquals(0, c.exit(), c.all());
        assertTrue(c.out().contains("20 codes of 12 atoms"), c.out());
        Npy.Matrix z = Npy.read(codes);
        assertEquals(20, z.rows());
        assertEquals(12, z.cols());
        for (float v : z.data()) {
            assertTrue(v >= 0);
        }
        // --engine (the same iterations as tensor operations) gives the same codes up to rounding; --atoms-as-rows
        // takes no value
        float[] dRows = new float[12 * 50];
        for (int i = 0; i < 50; i++) {
            for (int j = 0; j < 12; j++) {
                dRows[j * 50 + i] = d[i * 12 + j];
            }
        }
        Path dictRows = tmp.resolve("d-rows.npy");
        Npy.write(dictRows, dRows, 12, 50);
        Path codes2 = tmp.resolve("z2.npy");
        TestKit.Cli engine = TestKit.cli("fista", "--plugins", TestKit.pluginFolder().toString(), "--engine", "--atoms-as-rows",
                "--dictionary", dictRows.toString(), "--inputs", inputs.toString(), "--codes", codes2.toString(), "--lambda", "0.01",
                "--step", "0.5");
        assertEquals(0, engine.exit(), engine.all());
        float[] z2 = Npy.read(codes2).data();
        for (int i = 0; i < z2.length; i++) {
            assertEquals(z.data()[i], z2[i], 1e-4, "code " + i);
        }
        TestKit.Cli bad = TestKit.cli("fista", "--plugins", TestKit.pluginFolder().toString(), "--dictionary", inputs.toString(),
                "--inputs", inputs.toString(), "--codes", codes.toString());
        assertEquals(2, bad.exit(), bad.all());
        assertTrue(bad.err().contains("a dictionary with 50 pixels per atom"), bad.all());
        TestKit.Cli neg = TestKit.cli("fista", "--plugins", TestKit.pluginFolder().toString(), "--dictionary", dict.toString(),
                "--inputs", inputs.toString(), "--codes", codes.toString(), "--lambda", "-1");
        assertTrue(neg.err().contains("--lambda = -1.0 is not accepted: expected a number >= 0"), neg.all());
    }

    @Test
    void coordinateDescentSolver(@TempDir Path tmp) throws IOException {
        Random rnd = new Random(3);
        float[] d = new float[50 * 12];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) rnd.nextGaussian();
        }
        float[] y = new float[20 * 50];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) rnd.nextGaussian();
        }
        Path dict = tmp.resolve("d.npy");
        Path inputs = tmp.resolve("y.npy");
        Npy.write(dict, d, 50, 12);
        Npy.write(inputs, y, 20, 50);
        String plugins = TestKit.pluginFolder().toString();
        // cd with a tight tolerance and FISTA run to convergence (step 0.2 below 1/L ≈ 0.23) find the same codes
        Path zCd = tmp.resolve("z-cd.npy");
        TestKit.Cli cd = TestKit.cli("fista", "--plugins", plugins, "--solver", "cd", "--dictionary", dict.toString(), "--inputs", inputs.toString(),
                "--codes", zCd.toString(), "--lambda", "0.05", "--tol", "1e-9");
        assertEquals(0, cd.exit(), cd.all());
        assertTrue(cd.out().contains("20 codes of 12 atoms") && cd.out().contains("solver cd"), cd.out());
        Path zF = tmp.resolve("z-fista.npy");
        TestKit.Cli fista = TestKit.cli("fista", "--plugins", plugins, "--dictionary", dict.toString(), "--inputs", inputs.toString(),
                "--codes", zF.toString(), "--lambda", "0.05", "--step", "0.2", "--tol", "0", "--max-steps", "5000");
        assertEquals(0, fista.exit(), fista.all());
        float[] a = Npy.read(zCd).data();
        float[] b = Npy.read(zF).data();
        for (int i = 0; i < a.length; i++) {
            assertTrue(a[i] >= 0, "code " + i);
            assertEquals(b[i], a[i], 1e-3, "code " + i);
        }
        // the default tolerance (scikit-learn's 1e-4) reaches an energy no higher than the spec's FISTA (step 1 diverges
        // here, so its step 0.2 with tol 1e-3 and 200 steps)
        TestKit.Cli cdDefault = TestKit.cli("fista", "--plugins", plugins, "--solver", "cd", "--dictionary", dict.toString(), "--inputs",
                inputs.toString(), "--codes", zCd.toString(), "--lambda", "0.05");
        TestKit.Cli fistaDefault = TestKit.cli("fista", "--plugins", plugins, "--dictionary", dict.toString(), "--inputs", inputs.toString(),
                "--codes", zF.toString(), "--lambda", "0.05", "--step", "0.2");
        assertEquals(0, cdDefault.exit(), cdDefault.all());
        assertEquals(0, fistaDefault.exit(), fistaDefault.all());
        assertTrue(energy(cdDefault.out()) <= energy(fistaDefault.out()) * (1 + 1e-6), cdDefault.out() + fistaDefault.out());
        // --signed: two-sided threshold, negative codes appear
        TestKit.Cli signed = TestKit.cli("fista", "--plugins", plugins, "--solver", "cd", "--signed", "--dictionary", dict.toString(), "--inputs",
                inputs.toString(), "--codes", zCd.toString(), "--lambda", "0.05");
        assertEquals(0, signed.exit(), signed.all());
        boolean negative = false;
        for (float v : Npy.read(zCd).data()) {
            negative |= v < 0;
        }
        assertTrue(negative);
        // FISTA-only settings and unknown solvers are refused
        TestKit.Cli step = TestKit.cli("fista", "--plugins", plugins, "--solver", "cd", "--step", "1", "--dictionary", dict.toString(), "--inputs",
                inputs.toString(), "--codes", zCd.toString());
        assertEquals(2, step.exit(), step.all());
        assertTrue(step.err().contains("--step is a setting of --solver fista, not used by --solver cd"), step.all());
        TestKit.Cli bad = TestKit.cli("fista", "--plugins", plugins, "--solver", "lars", "--dictionary", dict.toString(), "--inputs",
                inputs.toString(), "--codes", zCd.toString());
        assertEquals(2, bad.exit(), bad.all());
        assertTrue(bad.err().contains("fista, adaptive or cd"), bad.all());
        // --solver adaptive (step 1/L, per-sample stops, restarts) at a tight tolerance: cd's codes
        Path zA = tmp.resolve("z-adaptive.npy");
        TestKit.Cli adaptive = TestKit.cli("fista", "--plugins", plugins, "--solver", "adaptive", "--dictionary", dict.toString(), "--inputs",
                inputs.toString(), "--codes", zA.toString(), "--lambda", "0.05", "--tol", "1e-7");
        assertEquals(0, adaptive.exit(), adaptive.all());
        assertTrue(adaptive.out().contains("20 codes of 12 atoms") && adaptive.out().contains("solver adaptive") && adaptive.out().contains("= 1/L"),
                adaptive.out());
        float[] c = Npy.read(zA).data();
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], c[i], 1e-3, "adaptive code " + i);
        }
        // its own flag only with it; the hinge only with the batch FISTA
        TestKit.Cli noRestart = TestKit.cli("fista", "--plugins", plugins, "--no-restart", "--dictionary", dict.toString(), "--inputs",
                inputs.toString(), "--codes", zA.toString());
        assertEquals(2, noRestart.exit(), noRestart.all());
        assertTrue(noRestart.err().contains("--no-restart is a setting of --solver adaptive, not used by --solver fista"), noRestart.all());
        TestKit.Cli hinge = TestKit.cli("fista", "--plugins", plugins, "--solver", "adaptive", "--variance-reg", "1", "--dictionary", dict.toString(),
                "--inputs", inputs.toString(), "--codes", zA.toString());
        assertEquals(2, hinge.exit(), hinge.all());
        assertTrue(hinge.err().contains("--variance-reg is a setting of --solver fista, not used by --solver adaptive"), hinge.all());
    }

    private static double energy(String out) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("energy ([0-9.e+-]+)").matcher(out);
        assertTrue(m.find(), out);
        return Double.parseDouble(m.group(1));
    }
}

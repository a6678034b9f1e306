package org.sparselab.plugins.sdmmemory;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Spec sdm.md §10 checks 1-13: binary and cap geometry, beta fits, optimal radii, neuron distribution. */
class GeometryChecksTest {

    @Test
    void check1LuneEqualsInterpretableEqualsBruteForce() {
        for (int[] nd : new int[][]{{10, 3}, {12, 4}}) {
            int n = nd[0];
            int d = nd[1];
            BinaryGeometry g = new BinaryGeometry(n);
            for (int dv = 0; dv <= n; dv++) {
                long brute = 0;
                int b = (1 << dv) - 1; // centre B differs from A = 0 in the first dv bits
                for (int x = 0; x < (1 << n); x++) {
                    if (Integer.bitCount(x) <= d && Integer.bitCount(x ^ b) <= d) {
                        brute++;
                    }
                }
                assertEquals(BigInteger.valueOf(brute), g.intersectionLune(d, dv), "lune n=" + n + " dv=" + dv);
                assertEquals(BigInteger.valueOf(brute), g.intersectionInterpretable(d, dv), "interpretable n=" + n + " dv=" + dv);
            }
        }
    }

    @Test
    void check2ExactCountsForN64D11() {
        BinaryGeometry g = new BinaryGeometry(64);
        BigInteger[] i = g.intersections(11);
        assertEquals(new BigInteger("927740240713"), i[0]);
        assertEquals(new BigInteger("311949983890"), i[1]);
        assertEquals(i[1], i[2]);
        assertEquals(new BigInteger("131595643438"), i[3]);
        assertEquals(i[3], i[4]);
        assertEquals(new BigInteger("56201615872"), i[5]);
        assertEquals(new BigInteger("8649940"), i[20]);
        assertEquals(new BigInteger("705432"), i[21]);
        assertEquals(i[21], i[22]);
        for (int dv = 23; dv <= 64; dv++) {
            assertEquals(BigInteger.ZERO, i[dv], "dv " + dv);
        }
        for (int dv = 0; dv <= 64; dv++) {
            assertEquals(g.intersectionInterpretable(11, dv), i[dv], "both forms, dv " + dv);
        }
        assertEquals(5.0293e-8, g.spaceFraction(11), 0.00005e-8);
        assertEquals(0.05029, BinaryGeometry.ratio(i[0], g.space()) * 1e6, 0.000005);
    }

    @Test
    void check3RadiusFromSpaceFraction() {
        double[] p = {1e-13, 1e-9, 1e-8, 7e-6, 3.68e-4, 0.1};
        int[][] expected = {{64, 5, 9, 11, 15, 19, 27}, {784, 290, 308, 314, 331, 345, 374}, {1000, 384, 405, 411, 431, 447, 480}};
        for (int[] row : expected) {
            BinaryGeometry g = new BinaryGeometry(row[0]);
            for (int i = 0; i < p.length; i++) {
                assertEquals(row[i + 1], g.radiusForFraction(p[i]), "n=" + row[0] + " p=" + p[i]);
            }
        }
    }

    @Test
    void checks4to6BinaryBetaFits() {
        BinaryGeometry g = new BinaryGeometry(64);
        double r64 = Math.pow(2, 64);
        double[][] quirk = {{5, 35.4848}, {9, 20.0410}, {11, 15.8528}, {15, 10.1104}};
        for (double[] q : quirk) {
            int d = (int) q[0];
            BetaFit.Line l = BetaFit.binary(g, d, r64, 0, d - 1, BetaFit.Estimator.NUMPY);
            assertEquals(q[1], l.beta(), 1e-3, "d=" + d);
            assertEquals(l.beta(), BetaFit.binary(g, d, 1e6, 0, d - 1, BetaFit.Estimator.NUMPY).beta(), 1e-9, "beta does not depend on r");
        }
        double[][] table = {{5, 35.362378}, {11, 15.868339}, {15, 10.122578}, {31, 0.706103}};
        for (double[] t : table) {
            int d = (int) t[0];
            assertEquals(t[1], BetaFit.binary(g, d, r64, 1, d, BetaFit.Estimator.NUMPY).beta(), 1e-3, "notebook table d=" + d);
        }
        assertEquals(14.4116, BetaFit.binary(g, 11, r64, 0, 10, BetaFit.Estimator.OLS).beta(), 1e-3);
    }

    @Test
    void check7CapBetaFits() {
        double r64 = Math.pow(2, 64);
        double[][] expected = {{5, 71.7092}, {9, 29.7671}, {11, 21.5397}, {15, 12.2298}};
        for (double[] e : expected) {
            int d = (int) e[0];
            CapGeometry c = new CapGeometry(64, d, true);
            assertEquals(e[1], BetaFit.cap(c, 64, r64, 0, d - 1, BetaFit.Estimator.NUMPY).beta(), 1e-3, "d=" + d);
        }
    }

    @Test
    void check8CapIntersectionValues() {
        double r64 = Math.pow(2, 64);
        CapGeometry correct = new CapGeometry(64, 11, false);
        CapGeometry quirk = new CapGeometry(64, 11, true);
        assertEquals(1.4727e-9, correct.capFraction(), 0.0001e-9);
        assertEquals(2.7167e10, correct.expectedNeurons(1 - 1e-15, r64), 0.0002e10);
        assertEquals(1.0037e11, quirk.expectedNeurons(1 - 1e-15, r64), 0.0002e11);
        assertEquals(2.0256e10, quirk.expectedNeurons(0.9375, r64), 0.0002e10);
        assertEquals(1.6304e9, quirk.expectedNeurons(0.8, r64), 0.0002e9);
        assertEquals(2.1660e8, quirk.expectedNeurons(0.7, r64), 0.0002e8);
    }

    @Test
    void check9ThetaMinIsHalfTheAngleForEqualCaps() {
        for (double t : new double[]{0.3, 0.7, 1.1}) {
            for (double v : new double[]{0.05, 0.4, 0.9}) {
                assertEquals(v / 2, CapGeometry.thetaMin(t, t, v), 1e-12);
            }
        }
    }

    @Test
    void checks10to12OptimalRadii() {
        BinaryGeometry g = new BinaryGeometry(64);
        double r = Math.pow(2, 64);
        double p = OptimalD.snrFraction(1024, r);
        assertEquals(2.9802e-8, p, 0.0001e-8);
        assertEquals(11, g.radiusForFraction(p));
        double p60k = OptimalD.snrFraction(60000, r);
        assertEquals(7.6730e-9, p60k, 0.0001e-9);
        assertEquals(10, g.radiusForFraction(p60k));
        double z = OptimalD.memoryZ(64, 0.5);
        assertEquals(2.298313, z, 1e-6);
        double pm = OptimalD.memoryFraction(r, z);
        assertEquals(1.97993e-13, pm, 0.00001e-13);
        assertEquals(5, g.radiusForFraction(pm));
        assertEquals(1.39768e-6, OptimalD.memoryFraction(1e9, 2.33), 0.00001e-6);
    }

    @Test
    void check13NeuronAddressDistribution() {
        assertEquals(424.8418, OptimalD.oneNeuronDistance(1000, 1e6), 1e-4);
        assertEquals(0.5358, OptimalD.probabilityOfANeuron(1000, 1e6, 424), 1e-4);
        assertEquals(0.99155, OptimalD.probabilityOfANeuron(1000, 1e6, 430), 1e-5);
        assertEquals(1.27e-4, OptimalD.probabilityOfANeuron(1000, 1e6, 400), 0.01e-4);
    }
}

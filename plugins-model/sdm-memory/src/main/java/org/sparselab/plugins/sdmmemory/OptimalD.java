package org.sparselab.plugins.sdmmemory;

/**
 * The radius d that is optimal for SDM with n dimensions, r neurons and m stored patterns (spec sdm.md §5.4), and
 * the neuron-address distribution (§5.5).
 */
final class OptimalD {
    private OptimalD() {
    }

    /** SNR-optimal space fraction p* = (2mr)^(−1/3). */
    static double snrFraction(double m, double r) {
        return Math.pow(2 * m * r, -1.0 / 3);
    }

    /** Per-bit z for retrieving the whole pattern with probability pWhole: Φ⁻¹(pWhole^(1/n)). */
    static double memoryZ(int n, double pWhole) {
        return SpecialFunctions.normalQuantile(Math.pow(pWhole, 1.0 / n));
    }

    /** Memory-capacity optimal space fraction: the stationary point of ((pr)²/z² − pr)/(p²r + (p²r)²). */
    static double memoryFraction(double r, double z) {
        double z2 = z * z;
        double a = 2 * Math.pow(r, 4) * z2 + Math.pow(r, 3) * Math.pow(z, 6)
                + 2 * Math.sqrt(Math.pow(r, 8) * z2 * z2 + Math.pow(r, 7) * Math.pow(z, 8));
        double a3 = Math.cbrt(a);
        return 0.5 * (z2 * z2 / a3 + a3 / (r * r) + z2 / r);
    }

    /** P(at least one of r random neurons lies within d of a query) = 1 − exp(−r·Φ((d − n/2)/√(n/4))). */
    static double probabilityOfANeuron(int n, double r, double d) {
        double phi = SpecialFunctions.normalCdf((d - n / 2.0) / Math.sqrt(n / 4.0));
        return -Math.expm1(-r * phi);
    }

    /** The distance at which the expected number of neurons is 1: Φ⁻¹(1/r; n/2, √(n/4)). */
    static double oneNeuronDistance(int n, double r) {
        return n / 2.0 + Math.sqrt(n / 4.0) * SpecialFunctions.normalQuantile(1 / r);
    }
}

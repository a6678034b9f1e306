package org.sparselab.core.onnx;

/**
 * The verification of one exported file against the Java model on held-out samples.
 *
 * @param file file name, e.g. {@code encoder.onnx}
 * @param output graph output compared ({@code code}, {@code output}, {@code scores})
 * @param provider ONNX Runtime execution provider used ({@code CPU} or {@code CUDA})
 * @param split the split the samples came from
 * @param samples number of samples compared
 * @param maxAbsDiff largest |java - onnx| over all entries
 * @param maxRelDiff largest |java - onnx| / max(|java|, 1e-3)
 * @param activeSetAgreement for codes: fraction of samples whose set of active units is the same, ties at the
 *                           selection threshold aside (null for dense outputs)
 * @param ties samples whose active sets differed only by units tied at the threshold
 * @param classAgreement for class scores: fraction of samples with the same arg-max (null otherwise)
 * @param tolerance the max |diff| accepted
 * @param passed whether every criterion held
 * @param failure why not, with the figures (null when passed)
 * @param rankSwaps for codes: entries left out of the max |diff| because two units of equal activation exchanged
 *                  their values (ranks swapped by rounding in an operator whose output depends on the rank); for
 *                  the forward: samples left out of the max |diff| because their codes had such swaps
 */
public record OnnxCheck(String file, String output, String provider, String split, int samples, double maxAbsDiff,
                        double maxRelDiff, Double activeSetAgreement, int ties, Double classAgreement, double tolerance,
                        boolean passed, String failure, long rankSwaps) {

    /** Without rank swaps (operators whose output does not depend on ranks). */
    public OnnxCheck(String file, String output, String provider, String split, int samples, double maxAbsDiff,
                     double maxRelDiff, Double activeSetAgreement, int ties, Double classAgreement, double tolerance,
                     boolean passed, String failure) {
        this(file, output, provider, split, samples, maxAbsDiff, maxRelDiff, activeSetAgreement, ties, classAgreement,
                tolerance, passed, failure, 0);
    }
}

package org.sparselab.core.onnx;

import org.sparselab.api.config.Check;
import org.sparselab.api.config.Param;

/** Parameters of {@code evaluate: export} (and of {@code sparselab export}). */
public record ExportConfig(
        @Param("samples of the split used for verification; 0 = the whole split") Integer samples,
        @Param("split used for verification (held out)") String split,
        @Param("largest accepted |java - onnx| on any output entry") Double tolerance,
        @Param("smallest accepted fraction of samples with the same active units (codes), ties aside") Double minActiveSetAgreement,
        @Param("smallest accepted fraction of samples with the same predicted class") Double minClassAgreement,
        @Param("also export the full forward (model.onnx) when the model has one") Boolean forward,
        @Param("fail the run when a check fails (false: record the failure and go on)") Boolean failOnMismatch) {

    public ExportConfig {
        samples = Check.atLeast("samples", Check.orDefault(samples, 0), 0);
        split = Check.orDefault(split, "test");
        tolerance = Check.positive("tolerance", Check.orDefault(tolerance, 1e-4));
        minActiveSetAgreement = Check.inRange("min_active_set_agreement", Check.orDefault(minActiveSetAgreement, 0.999), 0, 1);
        minClassAgreement = Check.inRange("min_class_agreement", Check.orDefault(minClassAgreement, 0.999), 0, 1);
        forward = Check.orDefault(forward, Boolean.TRUE);
        failOnMismatch = Check.orDefault(failOnMismatch, Boolean.TRUE);
    }

    public static ExportConfig defaults() {
        return new ExportConfig(null, null, null, null, null, null, null);
    }

    public OnnxVerifier.Criteria criteria() {
        return new OnnxVerifier.Criteria(tolerance, minActiveSetAgreement, minClassAgreement);
    }
}

package org.sparselab.core.onnx;

import org.sparselab.core.config.ComponentSpec;
import org.sparselab.core.config.ConfigBinder;
import org.sparselab.core.config.ConfigSource;
import org.sparselab.core.run.Evaluation;
import org.sparselab.core.run.RunState;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code evaluate: export}: ONNX export of the trained model, verified with ONNX Runtime. */
public final class ExportEvaluation implements Evaluation {

    @Override
    public String id() {
        return "export";
    }

    @Override
    public String description() {
        return "ONNX export (encoder.onnx, model.onnx) verified against the Java model with ONNX Runtime; export/check.json";
    }

    @Override
    public void validate(ComponentSpec spec, ConfigSource source) {
        ConfigBinder.bind(spec.params(), ExportConfig.class, spec.path(), source, "evaluation 'export'");
    }

    @Override
    public void run(RunState state, ComponentSpec spec, Map<String, Object> summary) throws Exception {
        ExportConfig cfg = ConfigBinder.bind(spec.params(), ExportConfig.class, spec.path(),
                ConfigSource.inline(state.run().file().toString()), "evaluation 'export'");
        Exporter.Result r = Exporter.export(state, cfg);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("passed", r.passed());
        r.checks().forEach(c -> s.put(c.file(), Map.of("max_abs_diff", c.maxAbsDiff(), "provider", c.provider(),
                "class_agreement", c.classAgreement() == null ? "n/a" : c.classAgreement(),
                "active_set_agreement", c.activeSetAgreement() == null ? "n/a" : c.activeSetAgreement())));
        summary.put("export", s);
    }
}

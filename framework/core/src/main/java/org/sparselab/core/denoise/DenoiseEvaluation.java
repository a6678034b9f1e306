package org.sparselab.core.denoise;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparselab.core.UserException;
import org.sparselab.core.config.ComponentSpec;
import org.sparselab.core.config.ConfigBinder;
import org.sparselab.core.config.ConfigSource;
import org.sparselab.core.run.Evaluation;
import org.sparselab.core.run.RunFolder;
import org.sparselab.core.run.RunState;
import org.sparselab.core.util.AtomicFiles;
import org.sparselab.core.util.Json;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code evaluate: denoise}: PSNR of noisy inputs and of the reconstructions of their codes at σ levels, and the codes'
 * L0 ({@link Denoise}); writes {@code denoise.json} in the run folder and the rows into summary.json.
 */
public final class DenoiseEvaluation implements Evaluation {
    private static final Logger LOG = LoggerFactory.getLogger(DenoiseEvaluation.class);
    public static final String FILE = "denoise.json";

    @Override
    public String id() {
        return "denoise";
    }

    @Override
    public String description() {
        return "denoising: y + σ·N(0, 1) through encoder and decoder; PSNR of clean and noisy reconstructions and of the noisy input "
                + "(pixel space, per image, averaged), code L0; denoise.json";
    }

    @Override
    public Class<? extends Record> configType() {
        return DenoiseConfig.class;
    }

    @Override
    public void validate(ComponentSpec spec, ConfigSource source) {
        ConfigBinder.bind(spec.params(), DenoiseConfig.class, spec.path(), source, "evaluation 'denoise'");
    }

    @Override
    public void run(RunState state, ComponentSpec spec, Map<String, Object> summary) throws Exception {
        DenoiseConfig cfg = ConfigBinder.bind(spec.params(), DenoiseConfig.class, spec.path(),
                ConfigSource.inline(state.run().file().toString()), "evaluation 'denoise'");
        summary.put("denoise", runAndWrite(state, cfg));
    }

    /** The protocol's inputs from an opened run. */
    public static Denoise.Data data(RunState state, DenoiseConfig cfg) {
        if (!state.data().hasSplit(cfg.split())) {
            throw new UserException("denoise: the dataset has no split '" + cfg.split() + "'; it has " + state.data().splitNames());
        }
        var model = state.model();
        String id = state.run().model().spec().id();
        var split = state.data().split(cfg.split());
        PixelMap pixels = PixelMap.of(state.data(), cfg.split(), cfg.pixelScale(), cfg.pixelOffset(), split.size());
        int bs = cfg.batchSize() > 0 ? cfg.batchSize() : Math.max(1, state.run().training().evalBatchSize());
        long seed = cfg.seed() != null ? cfg.seed() : state.run().seed();
        return new Denoise.Data(split, model::encode,
                code -> model.decode(code).orElseThrow(() -> new UserException("denoise: model '" + id + "' has no decoder (decode)")),
                state.manager(), bs, seed, pixels, state.data().hasSplit("train") ? state.data().split("train") : null);
    }

    /** Runs the protocol on an opened run, writes denoise.json; returns what summary.json records. */
    public static Map<String, Object> runAndWrite(RunState state, DenoiseConfig cfg) throws Exception {
        long t0 = System.nanoTime();
        Denoise.Data d = data(state, cfg);
        Denoise.Result r = Denoise.run(d, cfg);
        Map<String, Object> head = describe(d, cfg, r);
        head.put("seconds", (System.nanoTime() - t0) / 1e9);
        AtomicFiles.writeString(state.folder().resolve(FILE), Json.pretty(head));
        for (Denoise.Level l : r.levels()) {
            LOG.info(String.format(Locale.ROOT, "denoise σ=%s: PSNR orig %.2f dB, noisy input %.2f dB, noisy reconstruction %.2f dB; "
                    + "L0 orig %.3f, noisy %.3f (%d samples)", l.sigma(), l.psnrOrig(), l.psnrNoisyImg(), l.psnrNoisyRec(), l.l0Orig(),
                    l.l0Noisy(), l.samples()));
        }
        return head;
    }

    static Map<String, Object> describe(Denoise.Data d, DenoiseConfig cfg, Denoise.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("split", d.split().name());
        m.put("samples", r.samples());
        m.put("batch_size", d.batchSize());
        m.put("batches", r.batches());
        m.put("seed", d.seed());
        m.put("pixel_mapping", d.pixels().source());
        List<Map<String, Object>> rows = new ArrayList<>();
        r.levels().forEach(l -> rows.add(l.row()));
        m.put("levels", rows);
        if (!r.baselines().isEmpty()) {
            m.put("baselines", r.baselines());
        }
        return m;
    }

    /** Adds {@code denoise} to a finished run's summary.json (for {@code sparselab denoise} on an existing run). */
    @SuppressWarnings("unchecked")
    public static void updateSummary(RunFolder folder, Map<String, Object> head) throws java.io.IOException {
        Path file = folder.resolve(RunFolder.SUMMARY);
        if (!Files.isRegularFile(file)) {
            return;
        }
        Map<String, Object> summary = Json.mapper().readValue(file.toFile(), LinkedHashMap.class);
        summary.put("denoise", head);
        AtomicFiles.writeString(file, Json.pretty(summary));
    }

    /** A plain-text table of the levels. */
    public static String table(Map<String, Object> head) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%8s %12s %16s %16s %9s %9s%n", "sigma", "PSNR_orig", "PSNR_noisy_img", "PSNR_noisy_rec",
                "L0_orig", "L0_noisy"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) head.get("levels");
        for (Map<String, Object> r : rows) {
            sb.append(String.format(Locale.ROOT, "%8s %12.2f %16.2f %16.2f %9.4f %9.4f%n", r.get("sigma"), r.get("psnr_orig"),
                    r.get("psnr_noisy_img"), r.get("psnr_noisy_rec"), r.get("l0_orig"), r.get("l0_noisy")));
        }
        return sb.toString();
    }
}

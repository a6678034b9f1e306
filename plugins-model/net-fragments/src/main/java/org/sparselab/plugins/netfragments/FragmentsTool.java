package org.sparselab.plugins.netfragments;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.pf4j.Extension;
import org.sparselab.api.config.ConfigException;
import org.sparselab.api.data.DataSource;
import org.sparselab.api.data.FloatTensor;
import org.sparselab.api.data.Split;
import org.sparselab.api.tool.RunHandle;
import org.sparselab.api.tool.Tool;
import org.sparselab.api.tool.ToolArgs;
import org.sparselab.api.tool.ToolContext;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code sparselab fragments}: the net-fragments evaluation (spec A6) on a trained run: one condition
 * ({@code evaluate}) or the original's eval_all.sh grid ({@code sweep}), results as JSON lines, a table and the
 * robustness plots, per-timestep frame sheets on request.
 */
@Extension
public final class FragmentsTool implements Tool {

    static final List<Double> ORIGINAL_SQUARE_FACTOR = List.of(1.0, 1.2, 1.4, 1.6, 1.8, 2.0);

    @Override
    public String id() {
        return "fragments";
    }

    @Override
    public String description() {
        return "net-fragments evaluation: feature noise and interrupted lines against a clean baseline, robustness plots, frame sheets";
    }

    @Override
    public String usage() {
        return String.join("\n",
                "sparselab fragments <subcommand> RUN_FOLDER [options]   (RUN_FOLDER: a finished net-fragments run)",
                "  evaluate  [--act-threshold bernoulli|θ] [--square-factor LIST] [--noise P] [--line-interrupt N] [--samples 60]",
                "            [--store-baseline DIR | --load-baseline DIR] [--frames K] [--out DIR]",
                "            one condition; defaults as the original's main_evaluation.py (bernoulli, γ = 1.0..2.0, 60 samples)",
                "  sweep     [--grid runs/net-fragments/eval-all.yaml] [--frames K] [--out DIR]",
                "            the eval_all.sh grid: θ × γ schedule × (noise with li = 0, li with noise = 0); the baseline of each",
                "            (θ, γ) once; results.jsonl, table.md and the six robustness figures (one PNG per γ schedule)",
                "Outputs go to RUN_FOLDER/fragments-eval/<time>/ unless --out names a new or empty folder.");
    }

    @Override
    public int run(ToolArgs args, ToolContext ctx) throws Exception {
        String sub = args.positional(0, "subcommand (evaluate | sweep)");
        if (!sub.equals("evaluate") && !sub.equals("sweep")) {
            throw ConfigException.invalid("subcommand", sub, "evaluate | sweep");
        }
        Path runDir = Path.of(args.positional(1, "run folder"));
        Grid grid;
        Path storeBaseline = null;
        Path loadBaseline = null;
        if (sub.equals("evaluate")) {
            S2Activation act = activation("--act-threshold", args.string("act-threshold", "bernoulli"));
            double[] gammas = gammas("--square-factor", args.doubles("square-factor", ORIGINAL_SQUARE_FACTOR));
            double noise = args.doubleValue("noise", 0.0);
            if (!(noise >= 0 && noise <= 1)) {
                throw ConfigException.invalid("--noise", noise, "a fraction in [0, 1]");
            }
            int li = args.intValue("line-interrupt", 0);
            if (li < 0) {
                throw ConfigException.invalid("--line-interrupt", li, "an integer >= 0");
            }
            grid = new Grid(checkedSamples(args.intValue("samples", 60)), List.of(new FragmentsEvaluation.Setting(act, gammas)),
                    List.of(new Condition(noise, li)));
            storeBaseline = args.path("store-baseline").orElse(null);
            loadBaseline = args.path("load-baseline").orElse(null);
            if (storeBaseline != null && loadBaseline != null) {
                throw new ConfigException("store-baseline", "fragments: give --store-baseline or --load-baseline, not both");
            }
        } else {
            Path file = args.path("grid").orElse(Path.of("runs/net-fragments/eval-all.yaml"));
            grid = Grid.read(file);
        }
        int frames = args.intValue("frames", 0);
        Path out = outputFolder(runDir, args.path("out").orElse(null));
        args.finish();

        try (RunHandle run = ctx.openRun(runDir)) {
            if (!(run.model() instanceof NetFragmentsModel.Instance model)) {
                throw new ConfigException("run", runDir + " is a run of model '" + run.modelId() + "'; fragments evaluates net-fragments runs");
            }
            NetFragments net = model.syncedNet();
            FragmentsEvaluation eval = new FragmentsEvaluation(net, run.seed());
            Map<Integer, Images> byInterrupt = new TreeMap<>();
            List<FragmentsEvaluation.Result> results = new ArrayList<>();
            Files.createDirectories(out);
            PrintWriter log = ctx.out();
            log.println("fragments " + sub + ": " + runDir + " → " + out);
            long evalNanos = 0;
            long evalSamples = 0;
            for (FragmentsEvaluation.Setting s : grid.settings()) {
                Images clean = images(ctx, run, grid.samples(), 0, byInterrupt);
                FragmentsEvaluation.Baseline base;
                if (loadBaseline != null) {
                    base = FragmentsEvaluation.Baseline.load(loadBaseline, grid.samples(), s);
                } else {
                    base = eval.baseline(clean.interrupted(), s);
                    Path dir = storeBaseline != null ? storeBaseline : out.resolve("baselines").resolve(s.label());
                    base.store(dir, s);
                }
                for (Condition c : grid.conditions()) {
                    Images img = images(ctx, run, grid.samples(), c.lineInterrupt(), byInterrupt);
                    long t0 = System.nanoTime();
                    FragmentsEvaluation.Result r = eval.evaluate(base, img.interrupted(), s, c.noise(), c.lineInterrupt(), frames,
                            frames > 0 ? out.resolve("frames") : null);
                    evalNanos += System.nanoTime() - t0;
                    evalSamples += r.samples();
                    results.add(r);
                    log.println(String.format(Locale.ROOT, "%-22s noise %.2f li %d  NR %.3f  gap %.3f  acc %.4f  recall %.3f  precision %.3f",
                            r.setting(), r.noise(), r.lineInterrupt(), r.noiseReduction(), r.lineReconstruction(), r.accuracy(),
                            r.recall(), r.precision()));
                    log.flush();
                }
            }
            log.println(String.format(Locale.ROOT, "evaluation: %d samples in %.2f s, %.0f samples/s (%d timesteps each, S1 + S2 + metrics, %d threads)",
                    evalSamples, evalNanos / 1e9, evalSamples / (evalNanos / 1e9), net.config().maxTimesteps(),
                    java.util.concurrent.ForkJoinPool.getCommonPoolParallelism() + 1));
            writeAtomically(out.resolve("results.jsonl"), results.stream().map(FragmentsEvaluation.Result::json).toList());
            writeAtomically(out.resolve("table.md"), FragmentsReport.table(results));
            if (sub.equals("sweep")) {
                FragmentsReport.robustnessPlots(ctx.figures(out.resolve("plots")), results);
            }
            log.println("wrote " + out.resolve("results.jsonl") + ", table.md" + (sub.equals("sweep") ? ", plots/" : "")
                    + (frames > 0 ? ", frames/" : ""));
        }
        return 0;
    }

    /** The test split of the run's dataset with {@code n} sweep samples and the given interruption, and its clean images. */
    private static Images images(ToolContext ctx, RunHandle run, int n, int li, Map<Integer, Images> cache) throws IOException {
        Images have = cache.get(li);
        if (have != null) {
            return have;
        }
        Map<String, Object> params = new LinkedHashMap<>(run.datasetParams());
        params.put("test_size", n);
        params.put("line_interrupt", li);
        try (DataSource d = ctx.openDataset(run.datasetId(), params, run.seed())) {
            Split test = d.split("test");
            FloatTensor clean = d.groundTruth().get("test_clean");
            if (clean == null) {
                throw new ConfigException("dataset", "dataset '" + run.datasetId() + "' gives no 'test_clean' images; "
                        + "the fragments evaluation needs the straight-lines dataset (its rotating sweep)");
            }
            float[][] x = FragmentsEvaluation.rows(test.features(java.util.stream.IntStream.range(0, n).toArray()), n);
            Images img = new Images(x, FragmentsEvaluation.rows(clean.data(), n));
            cache.put(li, img);
            return img;
        }
    }

    private record Images(float[][] interrupted, float[][] clean) {
    }

    record Condition(double noise, int lineInterrupt) {
    }

    /** The evaluation grid: samples, (θ, γ) settings, and the conditions run for each. */
    record Grid(int samples, List<FragmentsEvaluation.Setting> settings, List<Condition> conditions) {
        static final Set<String> KEYS = Set.of("samples", "act_thresholds", "square_factors", "noise", "line_interrupt");

        static Grid read(Path file) throws IOException {
            if (!Files.isRegularFile(file)) {
                throw new ConfigException("grid", file + " does not exist; give --grid FILE.yaml (runs/net-fragments/eval-all.yaml is the original's grid)");
            }
            Map<?, ?> m;
            try {
                m = new ObjectMapper(new YAMLFactory()).readValue(file.toFile(), Map.class);
            } catch (IOException e) {
                throw new ConfigException("grid", file + " is not valid YAML: " + e.getMessage());
            }
            Set<String> unknown = new TreeSet<>();
            for (Object k : m.keySet()) {
                if (!KEYS.contains(String.valueOf(k))) {
                    unknown.add(String.valueOf(k));
                }
            }
            if (!unknown.isEmpty()) {
                throw new ConfigException(unknown.iterator().next(), file + ": unknown key(s) " + unknown + "; accepted: " + new TreeSet<>(KEYS));
            }
            Object s = m.get("samples");
            int samples = checkedSamples(s == null ? 60 : (int) number(file, "samples", s));
            List<FragmentsEvaluation.Setting> settings = new ArrayList<>();
            for (Object t : list(file, m, "act_thresholds")) {
                for (Object g : list(file, m, "square_factors")) {
                    if (!(g instanceof List<?> gl)) {
                        throw new ConfigException("square_factors", file + ": square_factors must be a list of lists of numbers, got " + g);
                    }
                    settings.add(new FragmentsEvaluation.Setting(activation(file + ": act_thresholds", String.valueOf(t)),
                            gammas(file + ": square_factors", gl.stream().map(v -> number(file, "square_factors", v)).toList())));
                }
            }
            List<Condition> conditions = new ArrayList<>();
            for (Object p : list(file, m, "noise")) {
                double v = number(file, "noise", p);
                if (!(v >= 0 && v <= 1)) {
                    throw ConfigException.invalid("noise", v, "fractions in [0, 1] (" + file + ")");
                }
                conditions.add(new Condition(v, 0));
            }
            for (Object li : list(file, m, "line_interrupt")) {
                int v = (int) number(file, "line_interrupt", li);
                if (v < 1) {
                    throw ConfigException.invalid("line_interrupt", v, "integers >= 1 (" + file + "; li = 0 is the noise list's 0.0)");
                }
                conditions.add(new Condition(0, v));
            }
            return new Grid(samples, settings, conditions);
        }

        private static List<?> list(Path file, Map<?, ?> m, String key) {
            Object v = m.get(key);
            if (!(v instanceof List<?> l) || l.isEmpty()) {
                throw new ConfigException(key, file + ": '" + key + "' must be a non-empty list");
            }
            return l;
        }

        private static double number(Path file, String key, Object v) {
            if (v instanceof Number n) {
                return n.doubleValue();
            }
            throw ConfigException.invalid(key, v, "numbers (" + file + ")");
        }
    }

    static int checkedSamples(int n) {
        if (n < 1 || n > 10_000) {
            throw ConfigException.invalid("samples", n, "an integer in [1, 10000] (60 in the original's stored results)");
        }
        return n;
    }

    static S2Activation activation(String key, String v) {
        try {
            return S2Activation.parse(v);
        } catch (IllegalArgumentException e) {
            throw ConfigException.invalid(key, v, "'bernoulli' or a threshold in (0, 1]");
        }
    }

    static double[] gammas(String key, List<Double> values) {
        double[] g = new double[values.size()];
        for (int i = 0; i < g.length; i++) {
            if (!(values.get(i) > 0)) {
                throw ConfigException.invalid(key, values, "positive power factors, one per timestep");
            }
            g[i] = values.get(i);
        }
        return g;
    }

    /** A new folder: the given one (which must not hold files) or RUN/fragments-eval/&lt;time&gt;; never reused. */
    static Path outputFolder(Path runDir, Path given) throws IOException {
        if (given != null) {
            if (Files.isDirectory(given)) {
                try (var s = Files.list(given)) {
                    if (s.findAny().isPresent()) {
                        throw new ConfigException("out", given + " already holds files; give a new or empty folder (results are never overwritten)");
                    }
                }
            } else if (Files.exists(given)) {
                throw new ConfigException("out", given + " is a file; give a new or empty folder");
            }
            return given;
        }
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT));
        Path base = runDir.resolve("fragments-eval");
        Path dir = base.resolve(stamp);
        for (int k = 2; Files.exists(dir); k++) {
            dir = base.resolve(stamp + "-" + k);
        }
        return dir;
    }

    static void writeAtomically(Path file, List<String> lines) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}

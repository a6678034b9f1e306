package org.sparselab.plugins.sdmmemory;

import org.pf4j.Extension;
import org.sparselab.api.config.ConfigException;
import org.sparselab.api.tool.Tool;
import org.sparselab.api.tool.ToolArgs;
import org.sparselab.api.tool.ToolContext;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code sparselab sdm <subcommand>}: SDM geometry and the attention/SDM correspondence as tables (text, and CSV
 * with {@code --csv FILE}) and plots ({@code --plot FILE.png}), for given parameters. See {@link #usage()}.
 */
@Extension
public final class SdmTool implements Tool {

    @Override
    public String id() {
        return "sdm";
    }

    @Override
    public String description() {
        return "SDM geometry (exact circle and cap intersections, beta fits, optimal d), associative-memory convergence, learned projection, attention-SDM equivalence";
    }

    @Override
    public java.util.Set<String> flags() {
        return java.util.Set.of("plus-two", "time");
    }

    @Override
    public String usage() {
        return String.join("\n",
                "sparselab sdm <subcommand> [options]     (--csv FILE writes the table, --plot FILE.png draws it)",
                "  circle        --n N --d D [--r R] [--dv all|LIST]    exact binary intersection I(d_v), expected neurons, softmax fit",
                "  radius        --n N --p LIST                           Hamming radius holding each space fraction (binom.ppf)",
                "  fraction      --n N --d LIST                           space fraction of each radius (binom.cdf)",
                "  cap           --n N --d D [--r R] [--cos LIST] [--plus-two]   continuous cap intersection (ln 2 form; --plus-two: the code's quirk)",
                "  beta          --n N --d LIST [--r R] [--from 0|1] [--estimator numpy|ols] [--geometry binary|cap] [--plus-two]",
                "                                                         beta of the softmax that fits ln I(d_v) (numpy's ddof quirk by default)",
                "  optimal-d     --n N --r R --m LIST [--p-whole 0.5]    SNR- and memory-optimal space fraction and d for each m",
                "  neurons       --n N --r R [--d LIST]                   P(a neuron within d), distance of one expected neuron",
                "  beta-analysis --betas LIST|FILE [--n 64] [--r R]     where learned betas fall among the fitted beta(d)",
                "  convergence   --config FILE.yaml [--plot-dir DIR]      the associative memories' convergence experiment (runs/sdm-memory/)",
                "  learn-projection --config FILE.yaml [--plot-dir DIR]   SDM attention in a learned 64-d projection of images (spec section 8)",
                "  equivalence   --n N --d D [--patterns M] [--h H] [--r R] [--seed S]   SDM read weights vs softmax attention with fitted beta, per stored pattern",
                "R accepts 2^64 style powers; LISTs are comma-separated; ranges as a..b; --time prints the computing time.");
    }

    @Override
    public int run(ToolArgs args, ToolContext ctx) throws Exception {
        String sub = args.positional(0, "subcommand");
        Table t;
        LinePlot plot = null;
        long start = System.nanoTime();
        switch (sub) {
            case "circle" -> {
                int n = positiveInt(args, "n", null);
                int d = nonNegativeInt(args, "d", null, n);
                double r = number(args, "r", Math.pow(2, n));
                BinaryGeometry g = new BinaryGeometry(n);
                BigInteger[] inter = g.intersections(d);
                List<Integer> dvs = ints(args.string("dv", "all"), 0, n);
                BetaFit.Line fit = BetaFit.binary(g, d, r, 0, Math.max(1, d - 1), BetaFit.Estimator.NUMPY);
                t = new Table("d_v", "cosine", "intersection", "fraction_of_space", "expected_neurons", "softmax_fit");
                double[] xs = new double[dvs.size()];
                double[] exact = new double[dvs.size()];
                double[] soft = new double[dvs.size()];
                double norm = normaliser(inter, fit, n);
                for (int i = 0; i < dvs.size(); i++) {
                    int dv = dvs.get(i);
                    double frac = BinaryGeometry.ratio(inter[dv], g.space());
                    double x = 1 - 2.0 * dv / n;
                    double s = Math.exp(fit.beta() * x + fit.bias());
                    t.row(dv, x, inter[dv], frac, frac * r, s);
                    xs[i] = dv;
                    exact[i] = frac * r / norm;
                    soft[i] = s / norm;
                }
                plot = new LinePlot(String.format(Locale.ROOT, "Circle intersection vs softmax (n=%d, d=%d, beta=%.4g)", n, d, fit.beta()),
                        "d_v (Hamming distance)", "normalised weight", true).add("SDM intersection", xs, exact).add("softmax fit", xs, soft);
                ctx.out().println(String.format(Locale.ROOT, "n=%d d=%d r=%s |O(d)|=%s p=%s beta=%.6f bias=%.6f", n, d, Table.fmt(r),
                        g.circle(d), Table.fmt(g.spaceFraction(d)), fit.beta(), fit.bias()));
            }
            case "radius" -> {
                int n = positiveInt(args, "n", null);
                BinaryGeometry g = new BinaryGeometry(n);
                t = new Table("p", "d");
                for (double p : args.doubles("p", List.of(1e-13, 1e-9, 1e-8, 7e-6, 3.68e-4, 0.1))) {
                    if (!(p > 0 && p <= 1)) {
                        throw ConfigException.invalid("--p", p, "space fractions in (0, 1]");
                    }
                    t.row(p, g.radiusForFraction(p));
                }
            }
            case "fraction" -> {
                int n = positiveInt(args, "n", null);
                BinaryGeometry g = new BinaryGeometry(n);
                t = new Table("d", "circle_size", "p");
                for (int d : ints(args.requireString("d", "a list of radii"), 0, n)) {
                    t.row(d, g.circle(d), g.spaceFraction(d));
                }
            }
            case "cap" -> {
                int n = positiveInt(args, "n", null);
                int d = nonNegativeInt(args, "d", null, n);
                double r = number(args, "r", Math.pow(2, n));
                boolean quirk = args.flag("plus-two");
                CapGeometry c = new CapGeometry(n, d, quirk);
                List<Double> cos = args.doubles("cos", null);
                if (cos == null) {
                    cos = new ArrayList<>();
                    for (int dv = 0; dv <= 2 * d && dv <= n; dv++) {
                        cos.add(dv == 0 ? 1 - 1e-15 : 1 - 2.0 * dv / n);
                    }
                }
                t = new Table("cosine", "log_intersection", "expected_neurons");
                double[] xs = new double[cos.size()];
                double[] ys = new double[cos.size()];
                for (int i = 0; i < cos.size(); i++) {
                    double cv = cos.get(i);
                    if (!(cv >= -1 && cv <= 1)) {
                        throw ConfigException.invalid("--cos", cv, "cosines in [-1, 1]");
                    }
                    double l = c.logIntersection(cv);
                    t.row(cv, l, c.expectedNeurons(cv, r));
                    xs[i] = cv;
                    ys[i] = c.expectedNeurons(cv, r);
                }
                plot = new LinePlot("Cap intersection (n=" + n + ", d=" + d + (quirk ? ", +2 quirk" : "") + ")", "cosine", "expected neurons", true)
                        .add("cap", xs, ys);
            }
            case "beta" -> {
                int n = positiveInt(args, "n", null);
                double r = number(args, "r", Math.pow(2, n));
                int from = args.intValue("from", 0);
                if (from != 0 && from != 1) {
                    throw ConfigException.invalid("--from", from, "0 (d_v = 0..d-1, fit_beta) or 1 (d_v = 1..d, the notebook's table)");
                }
                BetaFit.Estimator est = switch (args.string("estimator", "numpy")) {
                    case "numpy" -> BetaFit.Estimator.NUMPY;
                    case "ols" -> BetaFit.Estimator.OLS;
                    default -> throw ConfigException.invalid("--estimator", args.string("estimator", ""), "numpy or ols");
                };
                String geometry = args.string("geometry", "binary");
                boolean quirk = args.flag("plus-two");
                List<Integer> ds = ints(args.string("d", "1.." + n / 2), 1, n);
                BinaryGeometry g = new BinaryGeometry(n);
                t = new Table("d", "p", "beta", "bias");
                double[] xs = new double[ds.size()];
                double[] ys = new double[ds.size()];
                for (int i = 0; i < ds.size(); i++) {
                    int d = ds.get(i);
                    int to = from == 0 ? d - 1 : d;
                    if (to - from < 1) {
                        throw ConfigException.invalid("--d", d, "radii with at least two fitted distances (d >= 2, or d >= 1 with --from 1)");
                    }
                    BetaFit.Line l = switch (geometry) {
                        case "binary" -> BetaFit.binary(g, d, r, from, to, est);
                        case "cap" -> BetaFit.cap(new CapGeometry(n, d, quirk), n, r, from, to, est);
                        default -> throw ConfigException.invalid("--geometry", geometry, "binary or cap");
                    };
                    t.row(d, g.spaceFraction(d), l.beta(), l.bias());
                    xs[i] = d;
                    ys[i] = l.beta();
                }
                plot = new LinePlot("Fitted beta vs d (n=" + n + ", " + geometry + ")", "d (Hamming radius)", "beta", false).add(geometry, xs, ys);
            }
            case "optimal-d" -> {
                int n = positiveInt(args, "n", null);
                double r = number(args, "r", Math.pow(2, n));
                double pWhole = args.doubleValue("p-whole", 0.5);
                BinaryGeometry g = new BinaryGeometry(n);
                double z = OptimalD.memoryZ(n, pWhole);
                double pMem = OptimalD.memoryFraction(r, z);
                t = new Table("m", "snr_p", "snr_d", "memory_p", "memory_d");
                List<Double> ms = args.doubles("m", List.of(64.0, 256.0, 1024.0, 4096.0, 16384.0, 60000.0));
                double[] xs = new double[ms.size()];
                double[] snr = new double[ms.size()];
                double[] mem = new double[ms.size()];
                for (int i = 0; i < ms.size(); i++) {
                    double m = ms.get(i);
                    double p = OptimalD.snrFraction(m, r);
                    int d = g.radiusForFraction(Math.min(1, p));
                    t.row(m, p, d, pMem, g.radiusForFraction(pMem));
                    xs[i] = Math.log10(m);
                    snr[i] = d;
                    mem[i] = g.radiusForFraction(pMem);
                }
                ctx.out().println(String.format(Locale.ROOT, "z = %.6f (P_whole = %s)", z, pWhole));
                plot = new LinePlot("Optimal d (n=" + n + ", r=" + Table.fmt(r) + ")", "log10 m (stored patterns)", "d", false)
                        .add("SNR-optimal", xs, snr).add("memory-optimal", xs, mem);
            }
            case "neurons" -> {
                int n = positiveInt(args, "n", null);
                double r = number(args, "r", 1e6);
                double one = OptimalD.oneNeuronDistance(n, r);
                ctx.out().println(String.format(Locale.ROOT, "one expected neuron at distance %.4f (n=%d, r=%s)", one, n, Table.fmt(r)));
                t = new Table("d", "P_at_least_one_neuron");
                for (int d : ints(args.string("d", (int) Math.floor(one) - 25 + ".." + ((int) Math.floor(one) + 10)), 0, n)) {
                    t.row(d, OptimalD.probabilityOfANeuron(n, r, d));
                }
            }
            case "beta-analysis" -> {
                int n = args.intValue("n", 64);
                double r = number(args, "r", Math.pow(2, n));
                String spec = args.requireString("betas", "a comma-separated list of learned betas, or a file with one per line");
                List<Double> betas = readBetas(spec);
                BinaryGeometry g = new BinaryGeometry(n);
                double[] fitted = new double[n / 2 + 1];
                for (int d = 2; d <= n / 2; d++) {
                    fitted[d] = BetaFit.binary(g, d, r, 0, d - 1, BetaFit.Estimator.NUMPY).beta();
                }
                double min = Double.POSITIVE_INFINITY;
                double max = Double.NEGATIVE_INFINITY;
                double sum = 0;
                double[] sorted = betas.stream().mapToDouble(Double::doubleValue).sorted().toArray();
                t = new Table("beta", "nearest_d", "fitted_beta_at_d");
                for (double b : betas) {
                    int best = 2;
                    for (int d = 2; d <= n / 2; d++) {
                        if (Math.abs(fitted[d] - b) < Math.abs(fitted[best] - b)) {
                            best = d;
                        }
                    }
                    t.row(b, best, fitted[best]);
                    min = Math.min(min, b);
                    max = Math.max(max, b);
                    sum += b;
                }
                double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
                ctx.out().println(String.format(Locale.ROOT, "%d betas: min %.4f, max %.4f, mean %.4f, median %.4f; fitted beta(d=15) = %.4f (critical distance), "
                                + "beta(d=11) = %.4f (SNR), beta(d=7) = %.4f, beta(d=5) = %.4f (memory); within [beta(15), beta(7)]: %d of %d",
                        betas.size(), min, max, sum / betas.size(), median, fitted[Math.min(15, n / 2)], fitted[Math.min(11, n / 2)],
                        fitted[Math.min(7, n / 2)], fitted[Math.min(5, n / 2)],
                        betas.stream().filter(b -> b >= fitted[Math.min(15, n / 2)] && b <= fitted[Math.min(7, n / 2)]).count(), betas.size()));
            }
            case "equivalence" -> {
                int n = positiveInt(args, "n", null);
                int d = nonNegativeInt(args, "d", null, n);
                int m = args.intValue("patterns", 1024);
                int h = args.intValue("h", Math.max(1, d / 3));
                double r = number(args, "r", Math.pow(2, n));
                long seed = args.longValue("seed", 1);
                if (m < 2 || h < 0 || h > n) {
                    throw ConfigException.invalid("--patterns/--h", m + "/" + h, "at least 2 patterns and 0 <= h <= n");
                }
                Equivalence.Result e = Equivalence.compute(n, d, m, h, r, seed);
                t = new Table("hamming_distance", "patterns_at_distance", "sdm_weight_each", "attention_weight_each");
                for (Equivalence.Row row : e.rows()) {
                    t.row(row.distance(), row.count(), row.sdm(), row.attention());
                }
                ctx.out().println(String.format(Locale.ROOT, "n=%d d=%d m=%d h=%d beta=%.4f: total variation %.4f, max |w_sdm - w_att| %.3e, "
                                + "weight on the target: SDM %.4f, attention %.4f; read-out cosine between the two: %.6f",
                        n, d, m, h, e.beta(), e.totalVariation(), e.maxDiff(), e.targetSdm(), e.targetAttention(), e.readoutCosine()));
                double[] xs = e.rows().stream().mapToDouble(Equivalence.Row::distance).toArray();
                plot = new LinePlot(String.format(Locale.ROOT, "SDM read weights vs attention (n=%d, d=%d, beta=%.3g)", n, d, e.beta()),
                        "Hamming distance to the query", "weight per pattern", true)
                        .add("SDM (circle intersection)", xs, e.rows().stream().mapToDouble(Equivalence.Row::sdm).toArray())
                        .add("softmax attention", xs, e.rows().stream().mapToDouble(Equivalence.Row::attention).toArray());
            }
            case "learn-projection" -> {
                Path file = args.path("config").orElseThrow(() -> ConfigException.missing("--config", "a learned-projection experiment file (YAML)"));
                ProjectionConfig cfg = readYaml(file, ProjectionConfig.class, "dataset, stored, dim, radii, inits, epochs, batch, lr, perturb_min, "
                        + "perturb_max, learn_beta, test_perturb, test_queries, max_steps, seed");
                Path folder = cfg.dataset().equals("mnist") ? ctx.dataDir().resolve("mnist")
                        : Files.isDirectory(Path.of("/usr/share/datasets/fashion-mnist")) ? Path.of("/usr/share/datasets/fashion-mnist")
                        : ctx.dataDir().resolve("fashion-mnist");
                float[] images = Idx.readImages(folder);
                List<Projection.Cell> cells = Projection.run(ctx.manager(), images, images.length / 784, cfg, line -> {
                    ctx.err().println(line);
                    ctx.err().flush();
                });
                t = new Table("d", "beta", "init", "projection", "h", "baseline_cosine", "cosine");
                for (Projection.Cell c : cells) {
                    t.row(c.d(), c.beta(), c.init(), c.weights(), c.h(), c.baseline(), c.cosine());
                }
                Path plotDir = args.path("plot-dir").orElse(null);
                if (plotDir != null) {
                    for (int d : cfg.radii()) {
                        LinePlot lp = new LinePlot("Learned projection, " + cfg.dataset() + ", d=" + d, "perturbation h", "cosine to the target", false);
                        List<Projection.Cell> dc = cells.stream().filter(c -> c.d() == d && c.init() == 0).toList();
                        double[] xs = dc.stream().filter(c -> c.weights().equals("learned")).mapToDouble(Projection.Cell::h).toArray();
                        lp.add("perturbed query", xs, dc.stream().filter(c -> c.weights().equals("learned")).mapToDouble(Projection.Cell::baseline).toArray());
                        lp.add("random W_k", xs, dc.stream().filter(c -> c.weights().equals("random")).mapToDouble(Projection.Cell::cosine).toArray());
                        lp.add("learned W_k", xs, dc.stream().filter(c -> c.weights().equals("learned")).mapToDouble(Projection.Cell::cosine).toArray());
                        lp.write(plotDir.resolve("projection-d" + d + ".png"));
                    }
                    ctx.out().println("plots written to " + plotDir);
                }
            }
            case "convergence" -> {
                Path file = args.path("config").orElseThrow(() -> ConfigException.missing("--config", "a convergence experiment file (YAML)"));
                ConvergenceConfig cfg = readConfig(file);
                t = convergence(cfg, file, args.path("plot-dir").orElse(null), ctx);
            }
            default -> throw new ConfigException("subcommand", "unknown subcommand '" + sub
                    + "'; expected circle, radius, fraction, cap, beta, optimal-d, neurons, beta-analysis or convergence");
        }
        Path csv = args.path("csv").orElse(null);
        Path png = args.path("plot").orElse(null);
        boolean timing = args.flag("time");
        args.finish();
        double ms = (System.nanoTime() - start) / 1e6;
        t.print(ctx.out());
        if (timing) {
            ctx.out().println(String.format(Locale.ROOT, "computed in %.1f ms", ms));
        }
        if (csv != null) {
            t.writeCsv(csv);
            ctx.out().println("table written to " + csv);
        }
        if (png != null) {
            if (plot == null) {
                throw ConfigException.invalid("--plot", png, "a subcommand with a figure: circle, cap, beta or optimal-d");
            }
            plot.write(png);
            ctx.out().println("plot written to " + png);
        }
        return 0;
    }

    private static <T> T readYaml(Path file, Class<T> type, String accepted) {
        if (!Files.isRegularFile(file)) {
            throw ConfigException.invalid("--config", file, "an existing YAML file (see runs/sdm-memory/)");
        }
        com.fasterxml.jackson.databind.ObjectMapper yaml = new com.fasterxml.jackson.databind.ObjectMapper(
                new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .setPropertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE)
                .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        try {
            return yaml.readValue(file.toFile(), type);
        } catch (com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException e) {
            throw new ConfigException(e.getPropertyName(), file + ":" + e.getLocation().getLineNr() + ": unknown key '" + e.getPropertyName()
                    + "'; accepted: " + accepted);
        } catch (IOException e) {
            Throwable c = e.getCause() != null ? e.getCause() : e;
            throw new ConfigException("config", file + ": " + (c instanceof IllegalArgumentException ? c.getMessage() : e.getMessage()));
        }
    }

    private static ConvergenceConfig readConfig(Path file) {
        return readYaml(file, ConvergenceConfig.class,
                "dataset, n, patterns, sets, repeats, perturb, radii, fractions, algorithms, neurons, max_steps, no_closer, seed");
    }

    private static Table convergence(ConvergenceConfig cfg, Path file, Path plotDir, ToolContext ctx) throws IOException {
        java.util.Random rnd = new java.util.Random(cfg.seed());
        List<float[]> sets = new ArrayList<>();
        int n = cfg.n();
        if (cfg.dataset().equals("mnist")) {
            float[] images = Idx.readImages(ctx.dataDir().resolve("mnist"));
            int total = images.length / 784;
            for (int s = 0; s < cfg.sets(); s++) {
                float[] set = new float[cfg.patterns() * 784];
                for (int i = 0; i < cfg.patterns(); i++) {
                    System.arraycopy(images, rnd.nextInt(total) * 784, set, i * 784, 784);
                }
                sets.add(set);
            }
        } else {
            for (int s = 0; s < cfg.sets(); s++) {
                sets.add(Convergence.randomUniform(rnd, cfg.patterns(), n));
            }
        }
        List<Memories.Kind> kinds = new ArrayList<>();
        for (String a : cfg.algorithms()) {
            try {
                Memories.Kind k = Memories.Kind.parse(a);
                if (cfg.dataset().equals("mnist") && k.binary()) {
                    throw new ConfigException("algorithms", file + ": " + a + " is a binary memory; MNIST runs the continuous ones only");
                }
                kinds.add(k);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("algorithms", file + ": " + e.getMessage());
            }
        }
        BinaryGeometry g = new BinaryGeometry(n);
        List<Integer> radii = cfg.radii() != null ? cfg.radii() : cfg.fractions().stream().map(g::radiusForFraction).toList();
        double r = parsePower(cfg.neurons(), file);
        List<Convergence.Cell> cells = Convergence.run(ctx.manager(), sets, cfg.patterns(), n, kinds, radii, cfg.perturb(), cfg.repeats(), r,
                cfg.maxSteps(), cfg.noCloser(), cfg.seed(), line -> {
                    ctx.err().println(line);
                    ctx.err().flush();
                });
        Table t = new Table("algorithm", "d", "h", "baseline_cosine", "cosine_mean", "cosine_std", "steps_mean", "beta");
        for (Convergence.Cell c : cells) {
            t.row(c.algorithm(), c.d(), c.h(), c.baseline(), c.mean(), c.std(), c.meanSteps(), c.beta());
        }
        if (plotDir != null) {
            for (int d : radii) {
                LinePlot plot = new LinePlot("Convergence, " + cfg.dataset() + " n=" + n + ", d=" + d, "perturbation h", "cosine to the stored pattern", false);
                boolean first = true;
                for (Memories.Kind k : kinds) {
                    String name = k.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
                    List<Convergence.Cell> cs = cells.stream().filter(c -> c.d() == d && c.algorithm().equals(name)).toList();
                    double[] xs = cs.stream().mapToDouble(Convergence.Cell::h).toArray();
                    if (first) {
                        plot.add("no memory (perturbed query)", xs, cs.stream().mapToDouble(Convergence.Cell::baseline).toArray());
                        first = false;
                    }
                    plot.add(name, xs, cs.stream().mapToDouble(Convergence.Cell::mean).toArray());
                }
                plot.write(plotDir.resolve("convergence-d" + d + ".png"));
            }
            ctx.out().println("plots written to " + plotDir);
        }
        return t;
    }

    private static double parsePower(String s, Path file) {
        return power(s, "neurons", file + ": " + s);
    }

    /** The largest expected count, so that both curves of the circle plot start at 1. */
    private static double normaliser(BigInteger[] inter, BetaFit.Line fit, int n) {
        return Math.max(BinaryGeometry.ratio(inter[0], BigInteger.ONE.shiftLeft(n)), Double.MIN_NORMAL);
    }

    private static List<Double> readBetas(String spec) throws IOException {
        Path p = Path.of(spec);
        List<Double> out = new ArrayList<>();
        if (Files.isRegularFile(p)) {
            for (String line : Files.readAllLines(p)) {
                if (line.strip().startsWith("#")) {
                    continue;
                }
                for (String tok : line.split("[,\\s]+")) {
                    if (!tok.isBlank()) {
                        out.add(parseBeta(tok, spec));
                    }
                }
            }
        } else {
            for (String tok : spec.split(",")) {
                if (!tok.isBlank()) {
                    out.add(parseBeta(tok.trim(), spec));
                }
            }
        }
        if (out.isEmpty()) {
            throw ConfigException.invalid("--betas", spec, "at least one beta (a list, or a file with one per line)");
        }
        return out;
    }

    private static double parseBeta(String tok, String spec) {
        try {
            return Double.parseDouble(tok);
        } catch (NumberFormatException e) {
            throw ConfigException.invalid("--betas", spec, "numbers (" + tok + " is not one), or an existing file");
        }
    }

    private static int positiveInt(ToolArgs args, String name, Integer def) {
        if (def == null && !args.has(name)) {
            throw ConfigException.missing("--" + name, "an integer >= 1");
        }
        int v = args.intValue(name, def == null ? 0 : def);
        if (v < 1 || v > 100_000) {
            throw ConfigException.invalid("--" + name, v, "an integer in [1, 100000]");
        }
        return v;
    }

    private static int nonNegativeInt(ToolArgs args, String name, Integer def, int max) {
        if (def == null && !args.has(name)) {
            throw ConfigException.missing("--" + name, "an integer in [0, " + max + "]");
        }
        int v = args.intValue(name, def == null ? 0 : def);
        if (v < 0 || v > max) {
            throw ConfigException.invalid("--" + name, v, "an integer in [0, " + max + "]");
        }
        return v;
    }

    /** A number, also written as a power such as 2^64 or 10^6. */
    static double number(ToolArgs args, String name, double def) {
        String s = args.string(name, null);
        return s == null ? def : power(s, "--" + name, s);
    }

    /** A positive number, also written as a power such as 2^64 or 10^6; errors name {@code key} and {@code shown}. */
    static double power(String s, String key, Object shown) {
        try {
            int caret = s.indexOf('^');
            double v = caret > 0 ? Math.pow(Double.parseDouble(s.substring(0, caret)), Double.parseDouble(s.substring(caret + 1)))
                    : Double.parseDouble(s);
            if (v > 0 && Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ConfigException.invalid(key, shown, "a positive number such as 1e6 or 2^64");
    }

    /** "all", a list "1,2,5" or ranges "3..9" within [lo, hi]. */
    static List<Integer> ints(String spec, int lo, int hi) {
        List<Integer> out = new ArrayList<>();
        if (spec.equals("all")) {
            for (int i = lo; i <= hi; i++) {
                out.add(i);
            }
            return out;
        }
        for (String part : spec.split(",")) {
            String p = part.trim();
            try {
                if (p.contains("..")) {
                    int a = Integer.parseInt(p.substring(0, p.indexOf("..")).trim());
                    int b = Integer.parseInt(p.substring(p.indexOf("..") + 2).trim());
                    for (int i = a; i <= b; i++) {
                        out.add(i);
                    }
                } else if (!p.isEmpty()) {
                    out.add(Integer.parseInt(p));
                }
            } catch (NumberFormatException e) {
                throw ConfigException.invalid("list", spec, "integers, ranges a..b or all");
            }
        }
        for (int v : out) {
            if (v < lo || v > hi) {
                throw ConfigException.invalid("list", spec, "integers in [" + lo + ", " + hi + "]");
            }
        }
        return out;
    }
}

package org.sparselab.plugins.vdl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.pf4j.Extension;
import org.sparselab.api.config.ConfigException;
import org.sparselab.api.data.Npy;
import org.sparselab.api.tool.Tool;
import org.sparselab.api.tool.ToolArgs;
import org.sparselab.api.tool.ToolContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code sparselab fista}: sparse codes for given inputs and a given dictionary with VDL's FISTA (spec vdl.md §2-§3),
 * for users who only need the solver. Inputs and dictionary are float32 .npy matrices; the codes are written as .npy.
 * {@code --solver cd} solves the same energy (without the variance hinge) by coordinate descent with the Gram matrix
 * ({@link CoordinateDescent}, scikit-learn's lasso_cd algorithm and stopping rule), and {@code --solver adaptive} by
 * FISTA with step 1/L, per-sample stopping and adaptive restart ({@link AdaptiveFista}): neither is the original's
 * inference, both converge in far fewer passes.
 */
@Extension
public final class FistaTool implements Tool {

    @Override
    public String id() {
        return "fista";
    }

    @Override
    public String description() {
        return "Sparse coding with VDL's batched FISTA (or --solver adaptive: FISTA with step 1/L and restarts; --solver cd: coordinate descent): "
                + "codes for given inputs and dictionary (.npy)";
    }

    @Override
    public java.util.Set<String> flags() {
        return java.util.Set.of("signed", "ista", "engine", "atoms-as-rows", "no-restart");
    }

    @Override
    public String usage() {
        return String.join("\n",
                "sparselab fista --dictionary D.npy --inputs Y.npy --codes Z.npy [options]",
                "  D.npy [P, d] with atoms as columns (or [d, P] with --atoms-as-rows); Y.npy [N, P]; Z.npy gets [N, d]",
                "  --lambda L        L1 weight (default 0.005)         --step ETA   fixed step (default 1)",
                "  --tol T           per-sample relative change (1e-3) --max-steps K (200)",
                "  --variance-reg B  weight of the variance hinge (0)  --threshold T hinge threshold on the batch std (0.5)",
                "  --init Z0.npy     warm start (default zeros)        --signed     two-sided soft threshold (default: non-negative)",
                "  --ista            plain ISTA (no momentum)          --atoms-as-rows  D.npy is [d, P]",
                "  --repeat R        time R solves, report the median (benchmarks)   --warmup W  W untimed solves first (0)",
                "  --engine          iterate with tensor-engine operations even where the plain-Java kernel applies (comparisons)",
                "  --solver S        fista (default: VDL's FISTA, spec vdl.md §3), adaptive or cd, the last two on the same energy without",
                "                    the hinge, per sample:",
                "                    adaptive: FISTA with step 1/L (L = (2/P) lambda_max(D^T D); --step overrides it), each sample stopping",
                "                    at its first step below --tol (default 1e-3), momentum restarted when it points against the step",
                "                    (--no-restart: plain FISTA); --max-steps default 1000",
                "                    cd: coordinate descent with the Gram matrix, scikit-learn's Lasso/SparseCoder lasso_cd algorithm;",
                "                    --tol is scikit-learn's (default 1e-4: max |dz_j| / max |z_j|, then duality gap < tol |y|^2) and",
                "                    --max-steps its max_iter in sweeps (default 1000); scikit-learn's alpha = L/2 (SparseCoder's L*P/2)",
                "Energy = sum_i (1/P)|y_i - D z_i|^2 + B sum_j ReLU(T - std_j)^2 + L sum_i |z_i|_1, solved over the whole batch.");
    }

    @Override
    public int run(ToolArgs args, ToolContext ctx) throws Exception {
        Path dictFile = args.path("dictionary").orElseThrow(() -> ConfigException.missing("--dictionary", "a float32 .npy matrix"));
        Path inputFile = args.path("inputs").orElseThrow(() -> ConfigException.missing("--inputs", "a float32 .npy matrix [N, P]"));
        Path out = args.path("codes").orElseThrow(() -> ConfigException.missing("--codes", "the .npy file to write the codes to"));
        Path init = args.path("init").orElse(null);
        int repeat = args.intValue("repeat", 1);
        if (repeat < 1) {
            throw ConfigException.invalid("--repeat", repeat, "an integer >= 1");
        }
        int warmup = args.intValue("warmup", 0);
        if (warmup < 0) {
            throw ConfigException.invalid("--warmup", warmup, "an integer >= 0");
        }
        boolean rows = args.flag("atoms-as-rows");
        String solver = args.string("solver", "fista");
        boolean cd = solver.equals("cd");
        boolean adaptive = solver.equals("adaptive");
        if (!cd && !adaptive && !solver.equals("fista")) {
            throw ConfigException.invalid("--solver", solver, "fista, adaptive or cd");
        }
        // settings of one solver mean nothing to another: refuse them rather than ignore them
        refuse(args, solver, cd ? new String[]{"step", "variance-reg", "threshold"} : adaptive ? new String[]{"variance-reg", "threshold"} : new String[0],
                "is a setting of --solver fista");
        refuse(args, solver, cd || adaptive ? new String[]{"ista", "engine"} : new String[0], "is a setting of --solver fista");
        refuse(args, solver, adaptive ? new String[0] : new String[]{"no-restart"}, "is a setting of --solver adaptive");
        boolean engine = !cd && !adaptive && args.flag("engine");
        boolean restart = !args.flag("no-restart");
        // adaptive without --step: 1/L, computed from the dictionary (NaN until then)
        double step = cd ? 1.0 : adaptive && !args.has("step") ? Double.NaN : positive(args, "step", 1.0);
        Fista.Settings s = new Fista.Settings(nonNegative(args, "lambda", 0.005), step,
                nonNegative(args, "tol", cd ? 1e-4 : 1e-3), args.intValue("max-steps", cd || adaptive ? 1000 : 200), !args.flag("signed"),
                cd || adaptive || !args.flag("ista"), cd || adaptive ? 0 : nonNegative(args, "variance-reg", 0),
                cd || adaptive ? 0.5 : nonNegative(args, "threshold", 0.5), 0);
        args.finish();
        if (s.maxSteps() < 1) {
            throw ConfigException.invalid("--max-steps", s.maxSteps(), "an integer >= 1");
        }
        Npy.Matrix d = read(dictFile, "--dictionary");
        Npy.Matrix y = read(inputFile, "--inputs");
        int p = rows ? d.cols() : d.rows();
        int k = rows ? d.rows() : d.cols();
        if (p != y.cols()) {
            throw ConfigException.invalid("--dictionary", dictFile + " " + d.rows() + "x" + d.cols(),
                    "a dictionary with " + y.cols() + " pixels per atom (the inputs have " + y.cols() + " columns)" + (rows ? "" : "; add --atoms-as-rows if atoms are rows"));
        }
        NDArray dict = ctx.manager().create(d.data(), new Shape(d.rows(), d.cols()));
        if (rows) {
            dict = dict.transpose().duplicate();
        }
        NDArray yArr = ctx.manager().create(y.data(), new Shape(y.rows(), y.cols()));
        NDArray z0;
        if (init != null) {
            Npy.Matrix z = read(init, "--init");
            if (z.rows() != y.rows() || z.cols() != k) {
                throw ConfigException.invalid("--init", init + " " + z.rows() + "x" + z.cols(), "a " + y.rows() + "x" + k + " matrix");
            }
            z0 = ctx.manager().create(z.data(), new Shape(z.rows(), z.cols()));
        } else {
            z0 = ctx.manager().zeros(new Shape(y.rows(), k));
        }
        double e0 = Fista.energy(yArr, dict, z0, null, s);
        if (cd) {
            return runCd(dict, y, z0, s, warmup, repeat, out, e0, ctx);
        }
        if (adaptive) {
            return runAdaptive(dict, y, z0, s, restart, warmup, repeat, out, e0, ctx);
        }
        NDArray initial = z0;
        NDArray atoms = dict;
        Timed<Fista.Result> timed = time(warmup, repeat, () -> Fista.solve(yArr, atoms, initial, null, s, !engine), r -> r.codes().close());
        Fista.Result r = timed.result();
        double sec = timed.seconds();
        Npy.write(out, r.codes().toFloatArray(), y.rows(), k);
        ctx.out().println(String.format(Locale.ROOT, "%d codes of %d atoms in %d steps (mean counted %.1f), %.3f s (%.0f codes/s): energy %.6g "
                        + "(start %.6g), zero fraction %.4f -> %s", y.rows(), k, r.steps(), r.meanCountedSteps(), sec, y.rows() / sec, r.energy(), e0,
                r.zeroFraction(), out));
        return 0;
    }

    /** --solver cd: {@link CoordinateDescent} on plain arrays; prints the line of the FISTA path, steps being sweeps. */
    private static int runCd(NDArray dict, Npy.Matrix y, NDArray z0, Fista.Settings s, int warmup, int repeat, Path out, double e0, ToolContext ctx)
            throws java.io.IOException {
        int p = (int) dict.getShape().get(0);
        int k = (int) dict.getShape().get(1);
        float[] dv = dict.toFloatArray();
        float[] zv = z0.toFloatArray();
        Timed<CoordinateDescent.Result> timed = time(warmup, repeat,
                () -> CoordinateDescent.solve(y.data(), dv, y.rows(), p, k, zv, s.lambda(), s.positive(), s.tol(), s.maxSteps()), r -> { });
        CoordinateDescent.Result r = timed.result();
        double sec = timed.seconds();
        Npy.write(out, r.codes(), y.rows(), k);
        ctx.out().println(String.format(Locale.ROOT, "%d codes of %d atoms in %d steps (mean counted %.1f), %.3f s (%.0f codes/s): energy %.6g "
                        + "(start %.6g), zero fraction %.4f -> %s [solver cd: steps are sweeps over the atoms, the most any sample took%s]",
                y.rows(), k, r.maxSweeps(), r.meanSweeps(), sec, y.rows() / sec, r.energy(), e0, r.zeroFraction(), out,
                r.notConverged() == 0 ? "" : "; " + r.notConverged() + " samples stopped at --max-steps with the duality gap above tol"));
        return 0;
    }

    /** --solver adaptive: {@link AdaptiveFista} on plain arrays; the line of the other solvers, steps per sample. */
    private static int runAdaptive(NDArray dict, Npy.Matrix y, NDArray z0, Fista.Settings s, boolean restart, int warmup, int repeat, Path out, double e0,
                                   ToolContext ctx) throws java.io.IOException {
        int p = (int) dict.getShape().get(0);
        int k = (int) dict.getShape().get(1);
        float[] dv = dict.toFloatArray();
        float[] zv = z0.toFloatArray();
        Timed<AdaptiveFista.Result> timed = time(warmup, repeat,
                () -> AdaptiveFista.solve(y.data(), dv, y.rows(), p, k, zv, s.lambda(), s.step(), s.positive(), restart, s.tol(), s.maxSteps()), r -> { });
        AdaptiveFista.Result r = timed.result();
        double sec = timed.seconds();
        Npy.write(out, r.codes(), y.rows(), k);
        ctx.out().println(String.format(Locale.ROOT, "%d codes of %d atoms in %d steps (mean counted %.1f), %.3f s (%.0f codes/s): energy %.6g "
                        + "(start %.6g), zero fraction %.4f -> %s [solver adaptive: step %.6g%s, %s; each sample stops on its own, steps: the most any "
                        + "sample took%s]", y.rows(), k, r.maxSteps(), r.meanSteps(), sec, y.rows() / sec, r.energy(), e0, r.zeroFraction(), out,
                r.step(), Double.isNaN(s.step()) ? " = 1/L" : "", restart ? "adaptive restart" : "no restart",
                r.notConverged() == 0 ? "" : "; " + r.notConverged() + " samples stopped at --max-steps above tol"));
        return 0;
    }

    /** A solve's last result and the median time of the timed solves. */
    private record Timed<R>(R result, double seconds) {
    }

    /** warmup untimed solves, then repeat timed ones (--repeat, --warmup); discard frees each result but the last. */
    private static <R> Timed<R> time(int warmup, int repeat, java.util.function.Supplier<R> solve, java.util.function.Consumer<R> discard) {
        double[] times = new double[repeat];
        R r = null;
        for (int i = 0; i < warmup + repeat; i++) {
            if (r != null) {
                discard.accept(r);
            }
            long t0 = System.nanoTime();
            r = solve.get();
            long t = System.nanoTime() - t0;
            if (i >= warmup) {
                times[i - warmup] = t / 1e9;
            }
        }
        java.util.Arrays.sort(times);
        return new Timed<>(r, times[repeat / 2]);
    }

    private static void refuse(ToolArgs args, String solver, String[] names, String why) {
        for (String o : names) {
            if (args.has(o) || args.flag(o)) {
                throw new ConfigException("--" + o, "--" + o + " " + why + ", not used by --solver " + solver);
            }
        }
    }

    private static Npy.Matrix read(Path f, String option) throws java.io.IOException {
        if (!Files.isRegularFile(f)) {
            throw ConfigException.invalid(option, f, "an existing .npy file");
        }
        Npy.Matrix m = Npy.read(f);
        if (m.shape().length != 2) {
            throw ConfigException.invalid(option, f + " with shape " + java.util.Arrays.toString(m.shape()), "a 2-D matrix");
        }
        return m;
    }

    private static double nonNegative(ToolArgs a, String name, double def) {
        double v = a.doubleValue(name, def);
        if (!(v >= 0)) {
            throw ConfigException.invalid("--" + name, v, "a number >= 0");
        }
        return v;
    }

    private static double positive(ToolArgs a, String name, double def) {
        double v = a.doubleValue(name, def);
        if (!(v > 0)) {
            throw ConfigException.invalid("--" + name, v, "a number > 0");
        }
        return v;
    }
}

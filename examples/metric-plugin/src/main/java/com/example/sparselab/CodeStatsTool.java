package com.example.sparselab;

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
 * {@code sparselab code-stats --codes FILE.npy [--threshold T]}: sparsity of saved codes (a {@code [n, units]}
 * float32 .npy, e.g. from {@code sparselab predict}): mean active fraction, mean L1 per sample, units never
 * active. An example of a plugin's command-line tool.
 */
@Extension
public final class CodeStatsTool implements Tool {

    @Override
    public String id() {
        return "code-stats";
    }

    @Override
    public String description() {
        return "Sparsity of saved codes (.npy): active fraction, L1 per sample, units never active";
    }

    @Override
    public String usage() {
        return "sparselab code-stats --codes FILE.npy [--threshold T (default 0: |code| > T is active)]";
    }

    @Override
    public int run(ToolArgs args, ToolContext context) throws Exception {
        Path file = args.path("codes").orElseThrow(() -> ConfigException.missing("--codes", "a .npy file of codes [n, units]"));
        double threshold = args.doubleValue("threshold", 0.0);
        args.finish();
        if (!Files.isRegularFile(file)) {
            throw ConfigException.invalid("--codes", file, "an existing .npy file");
        }
        Npy.Matrix m = Npy.read(file);
        long active = 0;
        double l1 = 0;
        boolean[] ever = new boolean[m.cols()];
        for (int r = 0; r < m.rows(); r++) {
            for (int c = 0; c < m.cols(); c++) {
                float v = m.data()[r * m.cols() + c];
                l1 += Math.abs(v);
                if (Math.abs(v) > threshold) {
                    active++;
                    ever[c] = true;
                }
            }
        }
        int never = 0;
        for (boolean e : ever) {
            never += e ? 0 : 1;
        }
        context.out().println(String.format(Locale.ROOT, "samples %d, units %d, active fraction %.4f, L1 per sample %.4f, units never active %d",
                m.rows(), m.cols(), active / (double) ((long) m.rows() * m.cols()), l1 / m.rows(), never));
        return 0;
    }
}

package org.sparselab.core.train;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Training progress: a live bar with throughput and ETA on a terminal; on a pipe or file, nothing
 * between epochs (the loop logs one line per epoch instead).
 */
public final class Progress {
    private final PrintWriter out;
    private final boolean live;
    private final int epochs;
    private int epoch;
    private long batches;
    private long done;
    private long samples;
    private long epochStart;
    private long lastDraw;

    public Progress(PrintWriter out, boolean live, int epochs) {
        this.out = out;
        this.live = live;
        this.epochs = epochs;
    }

    /** A live bar only when stderr is a terminal and the user did not ask for plain output. */
    public static boolean terminal() {
        return System.console() != null && System.getenv("SPARSELAB_PLAIN") == null && !"dumb".equals(System.getenv("TERM"));
    }

    public void startEpoch(int epoch, long batches) {
        this.epoch = epoch;
        this.batches = batches;
        this.done = 0;
        this.samples = 0;
        this.epochStart = System.nanoTime();
        this.lastDraw = 0;
    }

    public void step(int batchSamples) {
        done++;
        samples += batchSamples;
        if (!live) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDraw < 200_000_000L && done < batches) {
            return;
        }
        lastDraw = now;
        double sec = (now - epochStart) / 1e9;
        double rate = samples / Math.max(sec, 1e-9);
        double eta = done == 0 ? 0 : sec / done * (batches - done);
        int width = 30;
        int filled = (int) (width * done / Math.max(1, batches));
        String bar = "=".repeat(filled) + (filled < width ? ">" : "") + " ".repeat(Math.max(0, width - filled - 1));
        out.print(String.format(Locale.ROOT, "\repoch %d/%d [%s] %d/%d  %,.0f samples/s  ETA %s ", epoch, epochs, bar, done, batches,
                rate, clock(eta)));
        out.flush();
    }

    public void endEpoch() {
        if (live) {
            out.print("\r" + " ".repeat(100) + "\r");
            out.flush();
        }
    }

    /** Samples per second of the epoch so far. */
    public double throughput() {
        double sec = (System.nanoTime() - epochStart) / 1e9;
        return samples / Math.max(sec, 1e-9);
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}

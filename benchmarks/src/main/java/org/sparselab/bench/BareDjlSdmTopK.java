package org.sparselab.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The sdm-topk training step written as a bare DJL loop, without the framework: the baseline that shows
 * the framework's overhead. Same computation as the plugin: L2-normalised input, unit-norm address rows
 * (restored after each step), no bias, top-k mask of ReLU(x W^T), linear head without bias, cross-entropy,
 * Adam. Prints one JSON line per timed epoch.
 *
 * <p>Usage: BareDjlSdmTopK [mnistDir] [units] [k] [batch] [warmupSteps] [epochs] [maxStepsPerEpoch]
 */
public final class BareDjlSdmTopK {
    private BareDjlSdmTopK() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "data/mnist");
        int units = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int k = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        int batch = args.length > 3 ? Integer.parseInt(args[3]) : 128;
        int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 50;
        int epochs = args.length > 5 ? Integer.parseInt(args[5]) : 2;
        int maxSteps = args.length > 6 ? Integer.parseInt(args[6]) : Integer.MAX_VALUE;
        System.setProperty("ai.djl.offline", "true");
        float[] x = images(dir.resolve("train-images-idx3-ubyte"));
        long[] y = labels(dir.resolve("train-labels-idx1-ubyte"));
        int n = y.length;
        Engine engine = Engine.getEngine("PyTorch");
        engine.setRandomSeed(1);
        try (NDManager m = NDManager.newBaseManager()) {
            float a = (float) (1 / Math.sqrt(784));
            NDArray w = m.randomUniform(-a, a, new Shape(units, 784));
            float b = (float) (1 / Math.sqrt(units));
            NDArray v = m.randomUniform(-b, b, new Shape(10, units));
            w.divi(w.norm(new int[]{1}, true));
            w.setRequiresGradient(true);
            v.setRequiresGradient(true);
            Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build();
            Loss ce = Loss.softmaxCrossEntropyLoss();
            int[] order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            SplittableRandom rng = new SplittableRandom(1);
            float[] bx = new float[batch * 784];
            long[] by = new long[batch];
            int step = 0;
            for (int e = -1; e < epochs; e++) {
                shuffle(order, rng);
                int steps = e < 0 ? warmup : Math.min(maxSteps, n / batch);
                long t0 = System.nanoTime();
                for (int s = 0; s < steps; s++, step++) {
                    for (int i = 0; i < batch; i++) {
                        int idx = order[(s * batch + i) % n];
                        System.arraycopy(x, idx * 784, bx, i * 784, 784);
                        by[i] = y[idx];
                    }
                    try (NDScope scope = new NDScope()) {
                        NDArray xb = m.create(FloatBuffer.wrap(bx), new Shape(batch, 784));
                        NDArray yb = m.create(by);
                        try (GradientCollector gc = engine.newGradientCollector()) {
                            NDArray q = xb.div(xb.norm(new int[]{1}, true).maximum(1e-12f));
                            NDArray h = q.matMul(w.transpose()).maximum(0f);
                            NDArray kth = h.stopGradient().topK(k, -1, true, false).get(0).min(new int[]{-1}, true);
                            NDArray code = h.mul(h.gte(kth).toType(h.getDataType(), false));
                            NDArray logits = code.matMul(v.transpose());
                            NDArray loss = ce.evaluate(new NDList(yb), new NDList(logits));
                            gc.backward(loss);
                            loss.getFloat();
                        }
                    }
                    // The update runs outside the scope: Adam creates its moments lazily on the first call.
                    try (NDArray gw = w.getGradient(); NDArray gv = v.getGradient()) {
                        adam.update("w", w, gw);
                        adam.update("v", v, gv);
                    }
                    try (NDScope scope = new NDScope()) {
                        w.divi(w.norm(new int[]{1}, true).maximum(1e-12f));
                    }
                }
                double sec = (System.nanoTime() - t0) / 1e9;
                if (e >= 0) {
                    System.out.printf(Locale.ROOT, "{\"impl\":\"bare-djl\",\"units\":%d,\"k\":%d,\"batch\":%d,\"epoch\":%d,\"steps\":%d,\"samples_per_s\":%.1f}%n",
                            units, k, batch, e, steps, steps * (double) batch / sec);
                }
            }
        }
    }

    private static void shuffle(int[] a, SplittableRandom r) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    static float[] images(Path p) throws IOException {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(p))) {
            in.readInt();
            int n = in.readInt();
            int r = in.readInt();
            int c = in.readInt();
            byte[] b = in.readNBytes(n * r * c);
            float[] x = new float[b.length];
            for (int i = 0; i < b.length; i++) {
                x[i] = (b[i] & 0xff) / 255f;
            }
            return x;
        }
    }

    static long[] labels(Path p) throws IOException {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(p))) {
            in.readInt();
            int n = in.readInt();
            byte[] b = in.readNBytes(n);
            long[] y = new long[n];
            for (int i = 0; i < n; i++) {
                y[i] = b[i];
            }
            return y;
        }
    }
}

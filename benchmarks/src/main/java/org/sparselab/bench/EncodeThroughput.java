package org.sparselab.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import org.sparselab.core.plugin.PluginHost;
import org.sparselab.core.run.RunState;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Encode throughput of a trained run's model through DJL (the Java model's {@code encode}) and through ONNX
 * Runtime ({@code export/encoder.onnx}), at batch 1 and batch 256, side by side in one process: R rounds,
 * each timing both engines on the same inputs for a fixed number of samples; medians reported.
 *
 * <p>Usage: EncodeThroughput RUN_FOLDER PLUGINS_DIR [rounds=5] [samples=20000]
 */
public final class EncodeThroughput {
    private EncodeThroughput() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        Path run = Path.of(args[0]);
        Path plugins = Path.of(args[1]);
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int samples = args.length > 3 ? Integer.parseInt(args[3]) : 20000;
        try (PluginHost host = PluginHost.load(plugins);
             RunState state = RunState.reopen(run, host, Path.of("data"))) {
            int dim = state.data().spec().inputDim();
            float[] pool = state.data().split("test").features(range(Math.min(2048, state.data().split("test").size())));
            int poolRows = pool.length / dim;
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
                 OrtSession ort = env.createSession(run.resolve("export/encoder.onnx").toString(), opts)) {
                for (int batch : new int[]{1, 256}) {
                    List<Double> djl = new ArrayList<>();
                    List<Double> onnx = new ArrayList<>();
                    int n = batch == 1 ? Math.min(samples, 5000) : samples;
                    for (int r = -1; r < rounds; r++) {
                        double d = timeDjl(state, pool, poolRows, dim, batch, r < 0 ? n / 10 : n);
                        double o = timeOrt(env, ort, pool, poolRows, dim, batch, r < 0 ? n / 10 : n);
                        if (r >= 0) {
                            djl.add(d);
                            onnx.add(o);
                        }
                    }
                    System.out.printf(Locale.ROOT, "{\"batch\":%d,\"djl_samples_per_s\":%.0f,\"onnxruntime_samples_per_s\":%.0f,\"rounds\":%d}%n",
                            batch, median(djl), median(onnx), rounds);
                }
            }
        }
    }

    private static double timeDjl(RunState state, float[] pool, int poolRows, int dim, int batch, int n) {
        SplittableRandom rnd = new SplittableRandom(1);
        NDManager m = state.manager();
        long t0 = System.nanoTime();
        for (int done = 0; done < n; done += batch) {
            int start = rnd.nextInt(poolRows - batch + 1);
            try (NDScope scope = new NDScope()) {
                NDArray x = m.create(FloatBuffer.wrap(pool, start * dim, batch * dim), new Shape(batch, dim));
                state.model().encode(x).toFloatArray();
            }
        }
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    private static double timeOrt(OrtEnvironment env, OrtSession s, float[] pool, int poolRows, int dim, int batch, int n) throws Exception {
        SplittableRandom rnd = new SplittableRandom(1);
        long t0 = System.nanoTime();
        for (int done = 0; done < n; done += batch) {
            int start = rnd.nextInt(poolRows - batch + 1);
            try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(pool, start * dim, batch * dim), new long[]{batch, dim});
                 OrtSession.Result r = s.run(Map.of("input", t))) {
                ((OnnxTensor) r.get(0)).getFloatBuffer();
            }
        }
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }
}

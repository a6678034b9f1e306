package org.sparselab.plugins.netfragments;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.pf4j.Extension;
import org.sparselab.api.Model;
import org.sparselab.api.Task;
import org.sparselab.api.config.ConfigException;
import org.sparselab.api.data.Batch;
import org.sparselab.api.data.DataSpec;
import org.sparselab.api.model.ModelContext;
import org.sparselab.api.model.StepOutput;
import org.sparselab.api.model.TrainableModel;
import org.sparselab.api.onnx.OnnxGraph;
import org.sparselab.api.plot.FigureContext;
import org.sparselab.api.plot.Figures;
import org.tribuo.util.onnx.ONNXRef;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * {@code net-fragments}: fixed S1 line filters and the lateral Hebbian layer S2 (spec A1-A5). It learns without
 * gradients: {@link TrainableModel#trainStep} runs every image of the batch in turn through S1 and T steps of S2
 * and applies the Hebbian update after each image (the original's batch size 1; a larger batch size only groups
 * the images). The code is the final timestep's S2 output merged over the alternative cells, {@code [4·32·32]}.
 */
@Extension
public final class NetFragmentsModel implements Model<FragmentsConfig> {

    @Override
    public String id() {
        return "net-fragments";
    }

    @Override
    public String description() {
        return "Net fragments: fixed S1 line filters and a lateral Hebbian S2 with alternative cells that completes noisy, interrupted lines";
    }

    @Override
    public Class<FragmentsConfig> configType() {
        return FragmentsConfig.class;
    }

    @Override
    public TrainableModel create(FragmentsConfig config, ModelContext context) {
        DataSpec data = context.data();
        if (data.inputDim() != NetFragments.PIXELS) {
            throw ConfigException.invalid("dataset", Arrays.toString(data.sampleShape()),
                    "32×32 single-channel images (the straight-lines dataset), as S2's geometry is fixed to the 32×32 grid");
        }
        return new Instance(config, context);
    }

    /** The model of one run. */
    static final class Instance implements TrainableModel {
        private final NetFragments net;
        private final NDArray weights;
        private final SplittableRandom trainRng;
        private final long seed;
        private final SupportMeter meter = new SupportMeter();
        private Map<String, Double> lastStats = Map.of();
        /** Set when the framework may have written the state arrays (a load): the Java weights re-read them. */
        private boolean stateMayHaveChanged;

        Instance(FragmentsConfig config, ModelContext context) {
            this.net = new NetFragments(config);
            LateralLayer s2 = net.s2();
            NDManager m = context.manager();
            this.weights = m.create(FloatBuffer.wrap(s2.weights()), new Shape(s2.cells(), s2.patchSize()), DataType.FLOAT32);
            this.seed = context.seed();
            this.trainRng = new SplittableRandom(context.seed());
        }

        /** The pipeline with the current parameters (re-read after a load), for the evaluation tool. */
        NetFragments syncedNet() {
            syncFromState();
            return net;
        }

        @Override
        public Task task() {
            return Task.NONE;
        }

        @Override
        public int codeSize() {
            return S1Filters.CHANNELS * NetFragments.PIXELS;
        }

        private void syncFromState() {
            if (stateMayHaveChanged) {
                float[] w = weights.toFloatArray();
                System.arraycopy(w, 0, net.s2().weights(), 0, w.length);
                net.s2().weightsChanged();
                stateMayHaveChanged = false;
            }
        }

        @Override
        public StepOutput trainStep(Batch batch) {
            syncFromState();
            float[] x = batch.x().toFloatArray();
            int n = batch.size();
            float[] code = new float[n * codeSize()];
            for (int i = 0; i < n; i++) {
                float[] img = Arrays.copyOfRange(x, i * NetFragments.PIXELS, (i + 1) * NetFragments.PIXELS);
                LateralLayer.Cycle c = net.learn(img, trainRng, meter);
                System.arraycopy(net.merge(c.last()), 0, code, i * codeSize(), codeSize());
            }
            return output(batch, code);
        }

        private StepOutput output(Batch batch, float[] code) {
            NDManager m = batch.x().getManager();
            NDArray codes = m.create(FloatBuffer.wrap(code), new Shape(batch.size(), codeSize()), DataType.FLOAT32);
            return new StepOutput(batch.x(), batch.y(), codes, null, Double.NaN);
        }

        @Override
        public StepOutput evaluate(Batch batch) {
            syncFromState();
            return output(batch, infer(batch.x().toFloatArray(), batch.size(), batch.indices()));
        }

        /**
         * Inference with the evaluation activation, samples in parallel; sample i's Bernoulli draws (if any) come from
         * a generator seeded by (run seed, sample key), so a result does not depend on batching or threads.
         */
        float[] infer(float[] x, int n, int[] keys) {
            FragmentsConfig c = net.config();
            S2Activation act = c.evalActivation();
            double[] gammas = c.evalGammas();
            float[] code = new float[n * codeSize()];
            IntStream.range(0, n).parallel().forEach(i -> {
                SplittableRandom rng = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (keys[i] + 1L)));
                float[] img = Arrays.copyOfRange(x, i * NetFragments.PIXELS, (i + 1) * NetFragments.PIXELS);
                LateralLayer.Cycle cycle = net.run(net.features(img, rng), act, gammas, rng, false, meter);
                System.arraycopy(net.merge(cycle.last()), 0, code, i * codeSize(), codeSize());
            });
            return code;
        }

        @Override
        public NDArray encode(NDArray x) {
            syncFromState();
            int n = (int) x.getShape().get(0);
            int[] keys = IntStream.range(0, n).toArray();
            float[] code = infer(x.toFloatArray(), n, keys);
            return x.getManager().create(FloatBuffer.wrap(code), new Shape(n, codeSize()), DataType.FLOAT32);
        }

        @Override
        public Map<String, NDArray> state() {
            // the framework reads (save) or writes (load) the arrays after this call: hand it the current weights,
            // and re-read them before the next use
            syncFromState();
            weights.set(FloatBuffer.wrap(net.s2().weights()));
            stateMayHaveChanged = true;
            return Map.of("W", weights);
        }

        @Override
        public Optional<ONNXRef<?>> onnxEncode(OnnxGraph graph, ONNXRef<?> x) {
            syncFromState();
            FragmentsConfig c = net.config();
            if (c.evalActivation().bernoulli() || c.s1() == S1Filters.Activation.BERNOULLI) {
                // a stochastic activation has no deterministic graph to verify; export with eval_act_threshold set
                return Optional.empty();
            }
            return Optional.of(FragmentsOnnx.encoder(graph, x, net, c.evalActivation(), c.evalGammas()));
        }

        @Override
        public void onEpochEnd(int epoch) {
            Map<String, Double> stats = new LinkedHashMap<>(meter.drain());
            stats.putAll(SupportMeter.weightStats(net.s2().weights()));
            lastStats = stats;
        }

        @Override
        public Map<String, Double> epochStats() {
            return lastStats;
        }

        @Override
        public void figures(Figures out, FigureContext context) {
            syncFromState();
            FrameSheets.lateralWeights(out, net);
            int n = Math.min(4, context.size());
            if (n == 0) {
                return;
            }
            float[] x = context.testInputs().toFloatArray();
            FragmentsConfig c = net.config();
            for (int i = 0; i < n; i++) {
                float[] img = Arrays.copyOfRange(x, i * NetFragments.PIXELS, (i + 1) * NetFragments.PIXELS);
                SplittableRandom rng = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (i + 1L)));
                float[] f = net.features(img, rng);
                LateralLayer.Cycle cycle = net.run(f, c.evalActivation(), c.evalGammas(), rng, true, null);
                out.image("frames-test-" + i, "Test sample " + i + ": input, S1 features, S2 output, S2 support per timestep",
                        FrameSheets.sheet(net, img, f, cycle));
            }
        }

        @Override
        public void close() {
            weights.close();
        }
    }
}

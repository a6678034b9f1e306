package org.sparselab.plugins.topk;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.pf4j.Extension;
import org.sparselab.api.Mode;
import org.sparselab.api.Sparsifier;
import org.sparselab.api.config.Check;
import org.sparselab.api.config.Param;
import org.sparselab.api.onnx.OnnxGraph;
import org.sparselab.api.sparsity.SparsifierContext;
import org.sparselab.api.sparsity.SparsityOp;
import org.tribuo.util.onnx.ONNXRef;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code learned-k-reinforce}: the noise paper's LEARN_K_REINFORCE (spec sdm.md §1.6). In training each example
 * draws its own log k ~ N(μ, σ) (start μ = 6, σ = 1), clamped to [0, ln N], and keeps its round(exp(log k))
 * largest activations (after ReLU). μ and σ learn by REINFORCE: descent on the surrogate mean(log p(log kᵢ) · ℓᵢ),
 * whose gradient is the score-function estimate of ∇E[ℓ], with ℓᵢ the example's detached task loss (optionally
 * minus the batch mean, a variance-reducing baseline).
 *
 * <p>Four departures from the original, documented in the plugin README: log p is taken at the raw draw (the clamp
 * to [0, ln N] only maps it to a k); the sample is detached before its log-probability is taken (the original differentiates through the reparameterised sample, which cancels the
 * gradient on μ exactly for every unclamped sample, so μ could not learn); the surrogate's sign is the one that
 * lowers the expected loss (the spec's mean(−log p · ℓ), minimised, would raise it); and μ, σ are trained by the run's
 * optimiser at {@code lr_multiplier} × the bias learning rate (the original: a separate plain SGD at lr × 10).
 * σ is used as max(|σ|, 1e-3) so an optimiser step cannot make it invalid. In inference (validation, test,
 * encode, ONNX) k is deterministic: round(exp(μ)) clamped to [1, N], the median of the sampled k.
 */
@Extension
public final class LearnedKReinforceSparsifier implements Sparsifier<LearnedKReinforceSparsifier.Config> {

    /** Parameters of {@code learned-k-reinforce}. */
    public record Config(
            @Param("initial mean of log k") Double mu,
            @Param("initial standard deviation of log k") Double sigma,
            @Param("learning-rate multiplier of μ and σ (learn_k_lr_multiplier)") Double lrMultiplier,
            @Param("subtract the batch mean loss from each example's loss (not in the original)") Boolean baseline) {
        public Config {
            mu = Check.orDefault(mu, 6.0);
            sigma = Check.positive("sigma", Check.orDefault(sigma, 1.0));
            lrMultiplier = Check.positive("lr_multiplier", Check.orDefault(lrMultiplier, 10.0));
            baseline = Check.orDefault(baseline, Boolean.FALSE);
        }
    }

    @Override
    public String id() {
        return "learned-k-reinforce";
    }

    @Override
    public String description() {
        return "Top-k with k sampled per example from a learned log-normal, trained by REINFORCE on the task loss";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public SparsityOp create(Config config, SparsifierContext context) {
        return new Op(config, context.units(), context.manager());
    }

    static final class Op implements SparsityOp {
        private static final float MIN_SIGMA = 1e-3f;
        private final Config config;
        private final int units;
        /** [μ, σ] of log k, one trainable array like the original's sufficient statistics. */
        private final NDArray stats;
        /** log kᵢ of the last training batch (detached), for the auxiliary loss; null outside training. */
        private NDArray lastLogK;
        private double lastMeanK = Double.NaN;

        Op(Config config, int units, NDManager manager) {
            this.config = config;
            this.units = units;
            this.stats = manager.create(new float[]{config.mu().floatValue(), config.sigma().floatValue()});
        }

        int inferenceK() {
            double k = Math.round(Math.exp(stats.getFloat(0)));
            return (int) Math.max(1, Math.min(units, k));
        }

        @Override
        public NDArray apply(NDArray activations, Mode mode) {
            NDArray a = activations.maximum(0f);
            if (mode != Mode.TRAIN) {
                lastLogK = null;
                int k = inferenceK();
                if (k >= units) {
                    return a;
                }
                NDArray kth = a.stopGradient().topK(k, -1, true, false).get(0).min(new int[]{-1}, true);
                return a.mul(a.gte(kth).toType(a.getDataType(), false));
            }
            long n = a.getShape().get(0);
            NDManager m = a.getManager();
            float mu = stats.getFloat(0);
            float sigma = Math.max(Math.abs(stats.getFloat(1)), MIN_SIGMA);
            // The policy is the Gaussian: log p is taken at the raw draw, the clamp only maps it to a k. (Taking it at
            // the clamped value, as the original does, biases the estimate: once μ passes ln N every draw clamps
            // below μ and the gradient pushes μ further up without end.)
            NDArray raw = m.randomNormal(mu, sigma, new Shape(n), DataType.FLOAT32);
            lastLogK = raw;
            float[] lk = raw.clip(0f, (float) Math.log(units)).toFloatArray();
            int[] k = new int[lk.length];
            int kMax = 1;
            double sum = 0;
            for (int i = 0; i < k.length; i++) {
                k[i] = (int) Math.max(1, Math.min(units, Math.round(Math.exp(lk[i]))));
                kMax = Math.max(kMax, k[i]);
                sum += k[i];
            }
            lastMeanK = sum / k.length;
            // Sorted top kMax per row; rank r of row i survives when r < kᵢ.
            NDList top = a.stopGradient().topK(kMax, -1, true, true);
            NDArray ranks = m.arange(kMax).toType(DataType.FLOAT32, false).expandDims(0);
            NDArray kCol = m.create(k).toType(DataType.FLOAT32, false).expandDims(1);
            NDArray keepRank = ranks.lt(kCol).toType(DataType.FLOAT32, false);
            NDArray mask = a.zerosLike().stopGradient().scatter(top.get(1).toType(DataType.INT64, false), keepRank, 1);
            return a.mul(mask);
        }

        @Override
        public Optional<NDArray> auxiliaryLoss(Supplier<NDArray> perExampleLoss) {
            if (lastLogK == null) {
                return Optional.empty();
            }
            NDArray loss = perExampleLoss.get().stopGradient();
            if (config.baseline()) {
                loss = loss.sub(loss.mean());
            }
            NDArray mu = stats.get(0);
            NDArray sigma = stats.get(1).abs().maximum(MIN_SIGMA);
            // log N(x; μ, σ) = −(x−μ)²/(2σ²) − log σ − ½ log 2π, with x detached (score-function estimator).
            NDArray z = lastLogK.sub(mu).div(sigma);
            NDArray logP = z.square().mul(-0.5f).sub(sigma.log()).sub((float) (0.5 * Math.log(2 * Math.PI)));
            lastLogK = null;
            return Optional.of(logP.mul(loss).mean());
        }

        @Override
        public Map<String, NDArray> trainable() {
            return Map.of("log_k_stats", stats);
        }

        @Override
        public double learningRateScale(String name) {
            return config.lrMultiplier();
        }

        @Override
        public Map<String, NDArray> state() {
            return Map.of("log_k_stats", stats);
        }

        @Override
        public Optional<ONNXRef<?>> onnx(OnnxGraph graph, ONNXRef<?> activations) {
            int k = inferenceK();
            ONNXRef<?> a = graph.relu(activations);
            return Optional.of(k >= units ? a : graph.topKMask(a, k));
        }

        @Override
        public Map<String, Double> stats() {
            Map<String, Double> s = new LinkedHashMap<>();
            s.put("log_k_mean", (double) stats.getFloat(0));
            s.put("log_k_std", (double) Math.abs(stats.getFloat(1)));
            s.put("k_inference", (double) inferenceK());
            if (!Double.isNaN(lastMeanK)) {
                s.put("k_sampled_mean_last_batch", lastMeanK);
            }
            return s;
        }
    }
}

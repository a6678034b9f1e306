package org.sparselab.plugins.vdl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.pf4j.Extension;
import org.sparselab.api.Model;
import org.sparselab.api.Task;
import org.sparselab.api.config.Check;
import org.sparselab.api.config.ConfigException;
import org.sparselab.api.config.Param;
import org.sparselab.api.data.Batch;
import org.sparselab.api.model.ModelContext;
import org.sparselab.api.model.StepOutput;
import org.sparselab.api.model.TrainableModel;
import org.sparselab.api.onnx.OnnxGraph;
import org.sparselab.api.train.OptimizerSpec;
import org.tribuo.util.onnx.ONNXRef;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code vdl}: sparse coding with a LISTA encoder, FISTA inference and a linear or one-hidden-layer decoder, with
 * decoder column normalisation (SDL, SDL-NL) or variance regularisation of the codes (VDL, VDL-NL); Evtimova &amp; LeCun
 * 2022, spec vdl.md. Keys are the original's flags (main.py) with the defaults of the variant's MNIST script (§6).
 *
 * <p>Per training batch, in the original's order (§4): e = Enc(y); Z* = FISTA on the energy of §2 from e (decoder
 * frozen); one Adam step of the decoder on (1/N)Σ(1/P)‖y − Dec(Z*)‖², then the column projection (SDL, SDL-NL); one
 * Adam step of the encoder on (1/N)Σ(1/d)‖Enc(y) − Z*‖². Each module has its own Adam (learning rate, per-group
 * weight decay, the decoder's annealing), so the run's {@code training.optimizer} only gives Adam's betas and epsilon.
 *
 * <p>Weights are stored in the row layout the batch computations use (x·W): encoder W as {@code [P, d]} (= Wᵀ of
 * the original's Linear), S as Sᵀ {@code [d, d]}, the dictionary as Dᵀ {@code [d, P]} (atoms as rows), W1 as W1ᵀ
 * {@code [d, H]}, W2 as W2ᵀ {@code [H, P]}. A decoder "column" of the original is a row here.
 */
@Extension
public final class VdlModel implements Model<VdlModel.Config> {

    static final List<String> VARIANTS = List.of("sdl", "sdl-nl", "vdl", "vdl-nl");

    /** The original's flags (main.py) that shape the model and its training; unset keys take the variant's MNIST script value. */
    public record Config(
            @Param("sdl | sdl-nl | vdl | vdl-nl (§5): the defaults of decoder, norm_decoder, variance_reg, code_reg, the learning rates, "
                    + "sparsity_reg, lrt_z, weight_decay_dec_bias and the decoder annealing; any key set explicitly overrides") String variant,
            @Param("code dimension d (128 MNIST, 256 ImageNet patches)") Integer codeDim,
            @Param("hidden units H of the one-hidden-layer decoder (1024 MNIST, 2048 ImageNet patches)") Integer hiddenDim,
            @Param("linear (linear_dictionary) | one_hidden (one_hidden_decoder); unset = the variant's") String decoder,
            @Param("LISTA iterations K (applications of S; 3 in all scripts)") Integer numIterLista,
            @Param("λ, weight of Σ‖z‖₁ in the energy (>= 0)") Double sparsityReg,
            @Param("η, FISTA's fixed step size (> 0)") Double lrtZ,
            @Param("FISTA's iteration cap (0 = no inference: the decoder learns from the encoder's codes, the encoder is not trained)") Integer nStepsInf,
            @Param("FISTA's per-sample tolerance on the relative code change (stop_early; 0 = always the full cap)") Double stopEarly,
            @Param("FISTA momentum (false = plain ISTA)") Boolean fista,
            @Param("non-negative soft threshold (positive_ISTA)") Boolean positiveIsta,
            @Param("start inference from the encoder's prediction (false = from zeros)") Boolean useZsEncAsInit,
            @Param("decoder Adam learning rate lrt_D (> 0)") Double lrtD,
            @Param("encoder Adam learning rate lrt_E (> 0)") Double lrtE,
            @Param("β, weight of the variance hinge Σⱼ ReLU(T − σⱼ)² (0 = off)") Double varianceReg,
            @Param("T, the hinge's threshold on each code component's batch std") Double hingeThreshold,
            @Param("γ, weight of the distance Σ(1/d)‖z − e‖² to the encoder's prediction (0 = off)") Double codeReg,
            @Param("column norm the decoder's weights are projected to after each step and at init (0 = no projection)") Double normDecoder,
            @Param("decoder weight decay (PyTorch Adam's coupled L2)") Double weightDecayDec,
            @Param("weight decay of the one-hidden decoder's bias b1") Double weightDecayDecBias,
            @Param("encoder weight decay (W, S; and b when weight_decay_enc_bias is 0)") Double weightDecayEnc,
            @Param("weight decay of the encoder bias b (used when > 0)") Double weightDecayEncBias,
            @Param("decoder annealing: lr_D = lrt_D · anneal_lr_dec_mult^floor((epoch + 1) / anneal_lr_dec_freq) after each epoch; 0 = off") Integer annealLrDecFreq,
            @Param("decoder annealing factor (> 0)") Double annealLrDecMult,
            @Param("train the decoder (train_decoder)") Boolean trainDecoder,
            @Param("train the encoder (train_encoder; needs n_steps_inf > 0)") Boolean trainEncoder) {

        public Config {
            variant = Check.oneOf("variant", Check.orDefault(variant, "vdl"), VARIANTS);
            boolean nl = variant.endsWith("-nl");
            boolean vdl = variant.startsWith("vdl");
            decoder = Check.oneOf("decoder", Check.orDefault(decoder, nl ? "one_hidden" : "linear"), List.of("linear", "one_hidden"));
            codeDim = Check.atLeast("code_dim", Check.orDefault(codeDim, 128), 1);
            hiddenDim = Check.atLeast("hidden_dim", Check.orDefault(hiddenDim, 1024), 1);
            numIterLista = Check.atLeast("num_iter_lista", Check.orDefault(numIterLista, 3), 0);
            sparsityReg = Check.atLeast("sparsity_reg", Check.orDefault(sparsityReg, switch (variant) {
                case "sdl" -> 0.005;
                case "vdl" -> 0.02;
                default -> 0.01;
            }), 0.0);
            lrtZ = Check.positive("lrt_z", Check.orDefault(lrtZ, vdl ? 0.5 : 1.0));
            nStepsInf = Check.atLeast("n_steps_inf", Check.orDefault(nStepsInf, 200), 0);
            stopEarly = Check.atLeast("stop_early", Check.orDefault(stopEarly, 1e-3), 0.0);
            fista = Check.orDefault(fista, Boolean.TRUE);
            positiveIsta = Check.orDefault(positiveIsta, Boolean.TRUE);
            useZsEncAsInit = Check.orDefault(useZsEncAsInit, Boolean.TRUE);
            lrtD = Check.positive("lrt_d", Check.orDefault(lrtD, vdl ? 3e-4 : 1e-3));
            lrtE = Check.positive("lrt_e", Check.orDefault(lrtE, variant.equals("sdl") ? 3e-4 : 1e-4));
            varianceReg = Check.atLeast("variance_reg", Check.orDefault(varianceReg, vdl ? 10.0 : 0.0), 0.0);
            hingeThreshold = Check.atLeast("hinge_threshold", Check.orDefault(hingeThreshold, 0.5), 0.0);
            codeReg = Check.atLeast("code_reg", Check.orDefault(codeReg, switch (variant) {
                case "vdl" -> 5.0;
                case "vdl-nl" -> 100.0;
                default -> 1.0;
            }), 0.0);
            normDecoder = Check.atLeast("norm_decoder", Check.orDefault(normDecoder, vdl ? 0.0 : 1.0), 0.0);
            weightDecayDec = Check.atLeast("weight_decay_dec", Check.orDefault(weightDecayDec, 0.0), 0.0);
            weightDecayDecBias = Check.atLeast("weight_decay_dec_bias", Check.orDefault(weightDecayDecBias, nl ? 0.001 : 0.0), 0.0);
            weightDecayEnc = Check.atLeast("weight_decay_enc", Check.orDefault(weightDecayEnc, 0.0), 0.0);
            weightDecayEncBias = Check.atLeast("weight_decay_enc_bias", Check.orDefault(weightDecayEncBias, 0.0), 0.0);
            annealLrDecFreq = Check.atLeast("anneal_lr_dec_freq", Check.orDefault(annealLrDecFreq, variant.equals("vdl-nl") ? 30 : 0), 0);
            annealLrDecMult = Check.positive("anneal_lr_dec_mult", Check.orDefault(annealLrDecMult, 0.5));
            trainDecoder = Check.orDefault(trainDecoder, Boolean.TRUE);
            trainEncoder = Check.orDefault(trainEncoder, Boolean.TRUE);
            // The code term alone has curvature 2γ/d: a fixed step beyond its 1/L makes FISTA diverge whatever the decoder
            // (γ = 100 is stable at d = 128 with η = 0.5, not at a small test d).
            double codeCurvature = 2 * codeReg / codeDim;
            if (nStepsInf > 0 && lrtZ * codeCurvature > 1) {
                throw ConfigException.invalid("lrt_z", lrtZ, String.format(java.util.Locale.ROOT,
                        "a step <= d / (2 code_reg) = %.4g: the code term alone (curvature 2 code_reg / d = %.4g with code_reg = %s, code_dim = %d) "
                                + "makes a larger FISTA step diverge; lower lrt_z or code_reg, or raise code_dim", 1 / codeCurvature, codeCurvature, codeReg, codeDim));
            }
        }

        boolean linear() {
            return decoder.equals("linear");
        }

        /** The decoder learning rate after {@code epochsDone} finished epochs (§4 annealing; check C16). */
        double decoderLr(int epochsDone) {
            if (annealLrDecFreq == 0) {
                return lrtD;
            }
            return lrtD * Math.pow(annealLrDecMult, Math.floorDiv(epochsDone, annealLrDecFreq));
        }

        Fista.Settings fistaSettings(boolean hinge) {
            return new Fista.Settings(sparsityReg, lrtZ, stopEarly, nStepsInf, positiveIsta, fista,
                    hinge ? varianceReg : 0.0, hingeThreshold, codeReg);
        }
    }

    @Override
    public String id() {
        return "vdl";
    }

    @Override
    public String description() {
        return "Sparse coding with a LISTA encoder, FISTA inference and a linear or one-hidden-layer decoder: SDL, SDL-NL, VDL, VDL-NL (variance regularisation)";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public TrainableModel create(Config config, ModelContext context) {
        OptimizerSpec opt = context.training().optimizer();
        if (!opt.id().equals("adam")) {
            throw ConfigException.invalid("training.optimizer.id", opt.id(),
                    "adam (vdl trains its encoder and decoder with their own Adam; set the rates with the model's lrt_d and lrt_e)");
        }
        if (opt.weightDecay() > 0) {
            throw ConfigException.invalid("training.optimizer.weight_decay", opt.weightDecay(),
                    "0 (vdl's weight decays are the model's weight_decay_dec, weight_decay_dec_bias, weight_decay_enc, weight_decay_enc_bias)");
        }
        if (context.training().gradClip() > 0) {
            throw ConfigException.invalid("training.grad_clip", context.training().gradClip(), "0 (the original does not clip)");
        }
        if (config.trainEncoder() && config.nStepsInf() == 0) {
            throw ConfigException.invalid("train_encoder", true, "false when n_steps_inf is 0 (the encoder learns from the inferred codes)");
        }
        return new Instance(config, context.data().inputDim(), context.manager(), opt);
    }

    /** The working model of one run. */
    static final class Instance implements TrainableModel {
        final Config config;
        final int pixels;
        final int d;
        /** Encoder: W as [P, d], b [d], S as Sᵀ [d, d]. */
        final NDArray encW;
        final NDArray encB;
        final NDArray encS;
        /** Linear decoder: D as Dᵀ [d, P] (atoms as rows); null for the one-hidden decoder. */
        final NDArray dict;
        /** One-hidden decoder: W1 as W1ᵀ [d, H], b1 [H], W2 as W2ᵀ [H, P]; null for the linear decoder. */
        final NDArray w1;
        final NDArray b1;
        final NDArray w2;
        final Adam adamD;
        final Adam adamE;
        private final Fista.Settings settings;
        private final Fista.Settings settingsNoHinge;
        private final Stats stats;
        private Map<String, Double> lastStats = Map.of();
        private int epochsDone;

        Instance(Config c, int inputDim, NDManager m, OptimizerSpec opt) {
            this.config = c;
            this.pixels = inputDim;
            this.d = c.codeDim();
            int h = c.hiddenDim();
            // torch.nn.Linear's default weight init U(±1/√fan_in); the encoder bias and b1 start at 0 (§1).
            encW = uniform(m, new Shape(pixels, d), pixels);
            encB = m.zeros(new Shape(d));
            encS = uniform(m, new Shape(d, d), d);
            if (c.linear()) {
                dict = uniform(m, new Shape(d, pixels), d);
                w1 = null;
                b1 = null;
                w2 = null;
            } else {
                dict = null;
                w1 = uniform(m, new Shape(d, h), d);
                b1 = m.zeros(new Shape(h));
                w2 = uniform(m, new Shape(h, pixels), h);
            }
            adamE = new Adam(c.lrtE(), opt.beta1(), opt.beta2(), opt.epsilon());
            double wdEBias = c.weightDecayEncBias() > 0 ? c.weightDecayEncBias() : c.weightDecayEnc();
            adamE.add(encW, c.weightDecayEnc()).add(encB, wdEBias).add(encS, c.weightDecayEnc());
            adamD = new Adam(c.lrtD(), opt.beta1(), opt.beta2(), opt.epsilon());
            if (c.linear()) {
                adamD.add(dict, c.weightDecayDec());
            } else {
                adamD.add(w1, c.weightDecayDec()).add(b1, c.weightDecayDecBias()).add(w2, c.weightDecayDec());
            }
            settings = c.fistaSettings(true);
            settingsNoHinge = c.fistaSettings(false);
            stats = new Stats(m, d);
            // The projection is applied once at initialisation as well (random decoders).
            normalizeDecoder();
        }

        private static NDArray uniform(NDManager m, Shape shape, int fanIn) {
            float a = (float) (1 / Math.sqrt(fanIn));
            return m.randomUniform(-a, a, shape);
        }

        /** Parameter count of the encoder (W, b, S) and of the decoder, as the original's modules (check C4). */
        long encoderParameters() {
            return encW.size() + encB.size() + encS.size();
        }

        long decoderParameters() {
            return config.linear() ? dict.size() : w1.size() + b1.size() + w2.size();
        }

        /** LISTA: B = W y + b; Z⁰ = ReLU(B); Zᵏ = ReLU(B + S Zᵏ⁻¹) for k = 1..K (§1). */
        NDArray lista(NDArray y) {
            return Lista.forward(y, encW, encB, encS, config.numIterLista());
        }

        /** The decoder's hidden layer ReLU(W1 z + b1), one-hidden decoder only. */
        NDArray hidden(NDArray z) {
            return z.matMul(w1).add(b1).maximum(0f);
        }

        NDArray decodeCode(NDArray z) {
            return config.linear() ? z.matMul(dict) : hidden(z).matMul(w2);
        }

        /** Every decoder "column" of the original (a row here) rescaled to norm_decoder (x / max(‖x‖, 1e-12)). */
        void normalizeDecoder() {
            if (config.normDecoder() <= 0) {
                return;
            }
            try (NDScope scope = new NDScope()) {
                for (NDArray w : config.linear() ? List.of(dict) : List.of(w1, w2)) {
                    w.divi(w.norm(new int[]{1}, true).maximum(1e-12f).div((float) config.normDecoder().doubleValue()));
                }
            }
        }

        Fista.Reconstruction reconstruction(NDArray y) {
            return config.linear() ? new Fista.Linear(y, dict.transpose()) : new Fista.OneHidden(y, w1, b1, w2);
        }

        @Override
        public Task task() {
            return Task.RECONSTRUCTION;
        }

        @Override
        public int codeSize() {
            return d;
        }

        @Override
        public StepOutput trainStep(Batch batch) {
            NDArray y = batch.x().reshape(batch.x().getShape().get(0), pixels);
            long n = y.getShape().get(0);
            // 1. the encoder's prediction (the StepOutput's code: training L0 is that of the encoder, C17)
            NDArray e = lista(y);
            NDArray recE = decodeCode(e);
            // 2. inference with the decoder frozen, warm-started from the (detached) prediction
            NDArray z;
            Fista.Result r = null;
            if (config.nStepsInf() > 0) {
                NDArray z0 = config.useZsEncAsInit() ? e : e.zerosLike();
                try (Fista.Reconstruction rec = reconstruction(y)) {
                    r = Fista.solve(rec, z0, e, n > 1 ? settings : settingsNoHinge);
                }
                z = r.codes();
                NDScope.register(z); // freed with the step's arrays
            } else {
                z = e;
            }
            // 3. decoder step on the reconstruction of Z*, then the column projection
            double lossD;
            double hiddenZeros = Double.NaN;
            if (config.trainDecoder()) {
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray out;
                    if (config.linear()) {
                        out = z.matMul(dict);
                    } else {
                        NDArray h = hidden(z);
                        hiddenZeros = h.eq(0f).toType(DataType.FLOAT32, false).mean().getFloat();
                        out = h.matMul(w2);
                    }
                    NDArray loss = out.sub(y).square().mean();
                    gc.backward(loss);
                    lossD = loss.getFloat();
                }
                adamD.step();
                normalizeDecoder();
            } else {
                lossD = decodeCode(z).sub(y).square().mean().getFloat();
            }
            // 4. encoder step toward Z*
            double lossE = Double.NaN;
            if (config.trainEncoder()) {
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray loss = lista(y).sub(z).square().mean();
                    gc.backward(loss);
                    lossE = loss.getFloat();
                }
                adamE.step();
            }
            stats.add(this, e, z, r, n, lossD, lossE, hiddenZeros);
            double energy = r != null ? r.energy() / n : Double.NaN;
            return new StepOutput(y, batch.y(), e, recE, energy);
        }

        /**
         * The encoder's codes and their reconstruction (the original's validation); loss = the validation energy
         * Σᵢ(1/P)‖yᵢ − Dec(eᵢ)‖² + λΣ‖eᵢ‖₁ + β·hinge(e) of the batch divided by its size (the original logs the batch sum).
         */
        @Override
        public StepOutput evaluate(Batch batch) {
            NDArray y = batch.x().reshape(batch.x().getShape().get(0), pixels);
            long n = y.getShape().get(0);
            NDArray e = lista(y);
            NDArray out = decodeCode(e);
            double rec = out.sub(y).square().sum().toType(DataType.FLOAT64, false).getDouble() / pixels;
            double energy = rec + Fista.penalties(e, null, n > 1 ? settings : settingsNoHinge);
            return new StepOutput(y, batch.y(), e, out, energy / n);
        }

        @Override
        public NDArray encode(NDArray x) {
            return lista(x.reshape(x.getShape().get(0), pixels));
        }

        @Override
        public Optional<NDArray> decode(NDArray code) {
            return Optional.of(decodeCode(code));
        }

        @Override
        public Optional<NDArray> predict(NDArray x) {
            return Optional.of(decodeCode(encode(x)));
        }

        /**
         * Linear decoder: the dictionary's atoms (rows of Dᵀ, the live parameter). One-hidden decoder: what each code
         * unit adds at value 1, Dec(eⱼ) − Dec(0) (a new array).
         */
        @Override
        public Optional<NDArray> atoms() {
            if (config.linear()) {
                return Optional.of(dict);
            }
            NDManager m = w1.getManager();
            NDArray eye = m.eye(d).toType(w1.getDataType(), false);
            return Optional.of(decodeCode(eye).sub(decodeCode(m.zeros(new Shape(1, d), w1.getDataType()))));
        }

        @Override
        public Map<String, NDArray> state() {
            Map<String, NDArray> s = new LinkedHashMap<>();
            s.put("encoder_w", encW);
            s.put("encoder_b", encB);
            s.put("encoder_s", encS);
            if (config.linear()) {
                s.put("decoder_dict", dict);
            } else {
                s.put("decoder_w1", w1);
                s.put("decoder_b1", b1);
                s.put("decoder_w2", w2);
            }
            return s;
        }

        /** The LISTA encoder unrolled: K + 1 ReLUs, K products with S. */
        @Override
        public Optional<ONNXRef<?>> onnxEncode(OnnxGraph g, ONNXRef<?> x) {
            return Optional.of(Lista.onnx(g, x, encW, encB, encS, config.numIterLista()));
        }

        /** Decoder(encoder(x)). */
        @Override
        public Optional<ONNXRef<?>> onnxPredict(OnnxGraph g, ONNXRef<?> x) {
            ONNXRef<?> z = onnxEncode(g, x).orElseThrow();
            if (config.linear()) {
                return Optional.of(g.matMul(z, g.weights("dictionary", dict)));
            }
            ONNXRef<?> h = g.relu(g.add(g.matMul(z, g.weights("decoder_w1", w1)), g.weights("decoder_b1", b1)));
            return Optional.of(g.matMul(h, g.weights("decoder_w2", w2)));
        }

        /** Anneals the decoder's learning rate (VDL-NL, check C16) and closes the epoch's statistics. */
        @Override
        public void onEpochEnd(int epoch) {
            lastStats = stats.result(this);
            stats.reset();
            epochsDone = epoch + 1;
            adamD.lr(config.decoderLr(epochsDone));
        }

        /**
         * The training epoch's means over batches: {@code energy} (FISTA's final energy per sample, code term included),
         * {@code inf_steps} (FISTA steps whose change was ≥ tol, mean over samples), {@code code_distance} (mean ‖e − z*‖₂),
         * {@code encoder_loss}, {@code decoder_loss}, {@code zs_l0} (zero fraction of z*), {@code code_l1} (mean ‖z*‖₁),
         * {@code zs_std_below_t} (share of components whose batch std of z* is below T), {@code atom_norm_mean} (mean norm
         * of the dictionary's atoms, or of W1's columns), {@code dead_codes} (share of code units zero in the encoder's
         * codes for every training input of the epoch), {@code hidden_l0} (one-hidden decoder: zero fraction of the hidden
         * units on z*) and {@code lr_decoder} (the rate the epoch trained with).
         */
        @Override
        public Map<String, Double> epochStats() {
            return stats.batches > 0 ? stats.result(this) : lastStats;
        }

        @Override
        public void close() {
            adamD.close();
            adamE.close();
            stats.close();
            for (NDArray a : state().values()) {
                a.close();
            }
        }
    }

    /** Per-epoch sums of the training statistics (host doubles, plus one per-unit activity count on the engine). */
    static final class Stats {
        private final NDArray unitActive;
        long batches;
        double energy;
        double infSteps;
        double codeDistance;
        double encoderLoss;
        double decoderLoss;
        double zsZeros;
        double codeL1;
        double stdBelowT;
        double hiddenZeros;
        long stdBatches;
        long fistaBatches;

        Stats(NDManager m, int d) {
            unitActive = m.zeros(new Shape(d));
        }

        void add(Instance model, NDArray e, NDArray z, Fista.Result r, long n, double lossD, double lossE, double hidden) {
            batches++;
            decoderLoss += lossD;
            encoderLoss += Double.isNaN(lossE) ? 0 : lossE;
            hiddenZeros += Double.isNaN(hidden) ? 0 : hidden;
            unitActive.addi(e.gt(0f).toType(DataType.FLOAT32, false).sum(new int[]{0}));
            if (r != null) {
                fistaBatches++;
                energy += r.energy() / n;
                infSteps += r.meanCountedSteps();
                zsZeros += r.zeroFraction();
                codeDistance += e.sub(z).norm(new int[]{1}).mean().getFloat();
                codeL1 += z.abs().sum(new int[]{1}).mean().getFloat();
                if (n > 1) {
                    stdBatches++;
                    NDArray sigma = z.sub(z.mean(new int[]{0}, true)).square().sum(new int[]{0}).div((float) (n - 1)).sqrt();
                    stdBelowT += sigma.lt((float) model.config.hingeThreshold().doubleValue()).toType(DataType.FLOAT32, false).mean().getFloat();
                }
            }
        }

        Map<String, Double> result(Instance model) {
            Map<String, Double> s = new LinkedHashMap<>();
            if (batches == 0) {
                return s;
            }
            if (fistaBatches > 0) {
                s.put("energy", energy / fistaBatches);
                s.put("inf_steps", infSteps / fistaBatches);
                s.put("code_distance", codeDistance / fistaBatches);
                s.put("zs_l0", zsZeros / fistaBatches);
                s.put("code_l1", codeL1 / fistaBatches);
            }
            if (stdBatches > 0) {
                s.put("zs_std_below_t", stdBelowT / stdBatches);
            }
            if (model.config.trainEncoder()) {
                s.put("encoder_loss", encoderLoss / batches);
            }
            s.put("decoder_loss", decoderLoss / batches);
            if (!model.config.linear() && model.config.trainDecoder()) {
                s.put("hidden_l0", hiddenZeros / batches);
            }
            try (NDScope scope = new NDScope()) {
                NDArray cols = model.config.linear() ? model.dict : model.w1;
                s.put("atom_norm_mean", (double) cols.norm(new int[]{1}).mean().getFloat());
                s.put("dead_codes", (double) unitActive.eq(0f).toType(DataType.FLOAT32, false).mean().getFloat());
            }
            s.put("lr_decoder", model.adamD.lr());
            return s;
        }

        void reset() {
            batches = 0;
            fistaBatches = 0;
            stdBatches = 0;
            energy = 0;
            infSteps = 0;
            codeDistance = 0;
            encoderLoss = 0;
            decoderLoss = 0;
            zsZeros = 0;
            codeL1 = 0;
            stdBelowT = 0;
            hiddenZeros = 0;
            unitActive.muli(0f);
        }

        void close() {
            unitActive.close();
        }
    }
}

package org.sparselab.plugins.netfragments;

import java.util.SplittableRandom;

/**
 * The whole net-fragments pipeline for 32×32 images (spec A1): S1 filters, then S2 run recurrently. Shared by
 * the model (training, inference) and the evaluation tool (noise, interruptions, frames).
 */
public final class NetFragments {

    public static final int SIZE = 32;
    public static final int PIXELS = SIZE * SIZE;

    private final FragmentsConfig config;
    private final S1Filters s1;
    private final LateralLayer s2;
    /** The training activation and schedule, parsed once rather than per image. */
    private final S2Activation trainActivation;
    private final double[] trainGammas;

    public NetFragments(FragmentsConfig config) {
        this.config = config;
        this.trainActivation = config.trainActivation();
        this.trainGammas = config.trainGammas();
        this.s1 = new S1Filters(config.bank(), config.s1(), SIZE);
        this.s2 = new LateralLayer(SIZE, S1Filters.CHANNELS, config.nAlternativeCells(), config.supportFactor(),
                config.lr(), config.negCorr());
    }

    public FragmentsConfig config() {
        return config;
    }

    public S1Filters s1() {
        return s1;
    }

    public LateralLayer s2() {
        return s2;
    }

    /** S1 features {@code [4*1024]} of one image. */
    public float[] features(float[] image, SplittableRandom rng) {
        return s1.apply(image, rng);
    }

    /** S2's recurrent run on given features, without learning. */
    public LateralLayer.Cycle run(float[] features, S2Activation activation, double[] gammas, SplittableRandom rng,
                                  boolean keepSteps, LateralLayer.StepObserver observer) {
        return s2.run(features, config.maxTimesteps(), gammas, activation, rng, keepSteps, observer);
    }

    /** One training image: S1, S2 with the training activation, then the Hebbian update from the temporal median. */
    public LateralLayer.Cycle learn(float[] image, SplittableRandom rng, LateralLayer.StepObserver observer) {
        float[] f = features(image, rng);
        LateralLayer.Cycle c = run(f, trainActivation, trainGammas, rng, false, observer);
        s2.hebbianUpdate(f, c.median());
        return c;
    }

    /** Cells merged over the alternatives: {@code [cells*1024]} → {@code [4*1024]}, 1 where any alternative is on. */
    public float[] merge(float[] cells) {
        int a = config.nAlternativeCells();
        float[] out = new float[S1Filters.CHANNELS * PIXELS];
        for (int co = 0; co < S1Filters.CHANNELS * a; co++) {
            int f = co / a;
            for (int p = 0; p < PIXELS; p++) {
                out[f * PIXELS + p] = Math.max(out[f * PIXELS + p], cells[co * PIXELS + p]);
            }
        }
        return out;
    }
}

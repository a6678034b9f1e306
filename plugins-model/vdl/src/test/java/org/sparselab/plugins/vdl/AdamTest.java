package org.sparselab.plugins.vdl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The modules' Adam follows torch.optim.Adam with coupled weight decay, per group, and a rate that can change. */
class AdamTest {

    @Test
    void matchesTorchAdamWithCoupledWeightDecay() {
        double[] p0 = {1.0, -2.0, 0.5};
        double[] c = {0.3, 1.5, -2.0};
        double lr = 0.01;
        double wd = 0.1;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray p = m.create(new float[]{1.0f, -2.0f, 0.5f});
            NDArray q = m.create(new float[]{3.0f});
            Adam adam = new Adam(lr, 0.9, 0.999, 1e-8).add(p, wd).add(q, 0.0);
            // reference: loss = Σ c_i p_i² + q³, so g_p = 2 c p (+ wd p), g_q = 3 q²
            double[] rp = p0.clone();
            double[] mp = new double[3];
            double[] vp = new double[3];
            double rq = 3.0;
            double mq = 0;
            double vq = 0;
            for (int t = 1; t <= 4; t++) {
                if (t == 3) {
                    adam.lr(lr / 2);
                }
                double stepLr = t >= 3 ? lr / 2 : lr;
                try (NDScope scope = new NDScope()) {
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray loss = p.square().mul(m.create(new float[]{0.3f, 1.5f, -2.0f})).sum().add(q.pow(3).sum());
                        gc.backward(loss);
                    }
                    adam.step();
                }
                double bc1 = 1 - Math.pow(0.9, t);
                double bc2 = 1 - Math.pow(0.999, t);
                for (int i = 0; i < 3; i++) {
                    double g = 2 * c[i] * rp[i] + wd * rp[i];
                    mp[i] = 0.9 * mp[i] + 0.1 * g;
                    vp[i] = 0.999 * vp[i] + 0.001 * g * g;
                    rp[i] -= stepLr / bc1 * mp[i] / (Math.sqrt(vp[i]) / Math.sqrt(bc2) + 1e-8);
                }
                double g = 3 * rq * rq;
                mq = 0.9 * mq + 0.1 * g;
                vq = 0.999 * vq + 0.001 * g * g;
                rq -= stepLr / bc1 * mq / (Math.sqrt(vq) / Math.sqrt(bc2) + 1e-8);
                float[] got = p.toFloatArray();
                for (int i = 0; i < 3; i++) {
                    assertEquals(rp[i], got[i], 1e-6, "step " + t + " entry " + i);
                }
                assertEquals(rq, q.getFloat(), 1e-5, "step " + t);
                // gradients are zeroed after the step
                try (NDArray grad = p.getGradient()) {
                    assertEquals(0f, grad.abs().sum().getFloat(), 0f);
                }
            }
            assertEquals(4, adam.steps());
            adam.close();
        }
    }
}

package org.sparselab.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.*;
import ai.djl.ndarray.types.*;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
/** Phase timings of the SDMLP training step at 10000 units (forward+backward, clip+update, constraints), bare DJL. */
public final class SdmlpStepProfile {
    private SdmlpStepProfile() {
    }

    public static void main(String[] a) {
    Engine e = Engine.getEngine("PyTorch");
    int N = 10000;
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray w = m.randomUniform(0, 0.03f, new Shape(N, 784)); w.divi(w.norm(new int[]{1}, true)); w.setRequiresGradient(true);
      NDArray v = m.randomUniform(0, 0.01f, new Shape(10, N)); v.setRequiresGradient(true);
      NDArray counts = m.zeros(new Shape(N));
      Optimizer sgd = Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.03f)).optMomentum(0.9f).build();
      Loss ce = Loss.softmaxCrossEntropyLoss();
      NDArray x = m.randomUniform(0, 1, new Shape(128, 784));
      NDArray y = m.randomInteger(0, 10, new Shape(128), DataType.INT64);
      long tf = 0, tu = 0, tc = 0;
      for (int it = 0; it < 40; it++) {
        long t0 = System.nanoTime();
        try (NDScope s = new NDScope()) {
          try (GradientCollector gc = e.newGradientCollector()) {
            NDArray q = x.maximum(0f); q = q.div(q.norm(new int[]{1}, true).maximum(1e-12f));
            NDArray h = q.matMul(w.transpose()).maximum(0f);
            NDArray thr = h.stopGradient().topK(11, -1, true, false).get(0).min(new int[]{-1}, true);
            NDArray gamma = counts.mul(2f / 30000).sub(1f).clip(-1f, 1f);
            NDArray out = h.sub(thr.mul(gamma)).maximum(0f);
            counts.addi(out.stopGradient().gt(0f).toType(DataType.FLOAT32, false).sum(new int[]{0}));
            NDArray loss = ce.evaluate(new NDList(y), new NDList(out.matMul(v.transpose())));
            gc.backward(loss);
            loss.getFloat();
          }
        }
        long t1 = System.nanoTime();
        try (NDArray gw = w.getGradient(); NDArray gv = v.getGradient()) {
          double n = Math.sqrt(Math.pow(gw.norm().getFloat(), 2) + Math.pow(gv.norm().getFloat(), 2));
          sgd.update("w", w, gw); sgd.update("v", v, gv); gw.muli(0f); gv.muli(0f);
        }
        long t2 = System.nanoTime();
        try (NDScope s = new NDScope()) {
          // as SdmTopKModel.afterStep (a max-then-copy variant measured slower: copyTo is a full extra pass)
          try (NDArray k = w.gte(0f)) { w.muli(k); }
          try (NDArray k = v.gte(0f)) { v.muli(k); }
          w.divi(w.norm(new int[]{1}, true).maximum(1e-12f));
        }
        long t3 = System.nanoTime();
        if (it >= 10) { tf += t1 - t0; tu += t2 - t1; tc += t3 - t2; }
      }
      System.out.printf("per step: forward+backward %.1f ms, clip+update %.1f ms, constraints %.1f ms%n", tf / 30e6, tu / 30e6, tc / 30e6);
    }
  }
}

package org.sparselab.core.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.sparselab.core.UserException;

/** Starts the DJL engine once, offline, and maps a run's {@code device} setting to a DJL device. */
public final class Engines {
    private Engines() {
    }

    /** The PyTorch engine; never downloads (ai.djl.offline=true unless the user set it). */
    public static synchronized Engine engine() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        try {
            return Engine.getEngine("PyTorch");
        } catch (RuntimeException e) {
            throw new UserException("the PyTorch engine could not start: " + e.getMessage()
                    + " (the CPU libtorch comes from the pytorch-native-cpu jar; a GPU libtorch from PYTORCH_LIBRARY_PATH)", e);
        }
    }

    /** auto: the first GPU if there is one, else CPU; gpu: a GPU or a clear error; cpu: CPU. */
    public static Device device(String setting) {
        Engine e = engine();
        int gpus = safeGpuCount(e);
        return switch (setting) {
            case "cpu" -> Device.cpu();
            case "gpu" -> {
                if (gpus == 0) {
                    throw new UserException("device = gpu, but the engine sees no GPU: on a GPU machine set PYTORCH_LIBRARY_PATH to a CUDA "
                            + "libtorch 2.7.1 (see README, GPU); or use device: auto or cpu");
                }
                yield Device.gpu();
            }
            default -> gpus > 0 ? Device.gpu() : Device.cpu();
        };
    }

    private static int safeGpuCount(Engine e) {
        try {
            return e.getGpuCount();
        } catch (RuntimeException ex) {
            return 0;
        }
    }
}

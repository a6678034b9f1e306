package org.sparselab.core.onnx;

import ai.djl.Device;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparselab.core.UserException;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * ONNX Runtime sessions (from the onnxruntime_gpu artifact): the CUDA execution provider when the run's
 * device is a GPU and the provider loads, otherwise the CPU one. Adding CUDA throws on a machine without
 * CUDA 12 / cuDNN 9; that is caught and the session falls back to the CPU, saying so.
 */
public final class OrtSessions {
    private static final Logger LOG = LoggerFactory.getLogger(OrtSessions.class);

    private OrtSessions() {
    }

    /** An open session and the execution provider it uses ({@code CUDA} or {@code CPU}). */
    public record Opened(OrtSession session, String provider) implements AutoCloseable {
        @Override
        public void close() throws OrtException {
            session.close();
        }
    }

    public static Opened open(Path model, boolean gpu) {
        if (!Files.isRegularFile(model)) {
            throw new UserException("no ONNX model at " + model);
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        if (gpu) {
            try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
                opts.addCUDA(0);
                return new Opened(env.createSession(model.toString(), opts), "CUDA");
            } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
                LOG.warn("ONNX Runtime's CUDA provider did not load ({}); using the CPU provider", firstLine(e.getMessage()));
            }
        }
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            return new Opened(env.createSession(model.toString(), opts), "CPU");
        } catch (OrtException e) {
            throw new UserException(model + " is not a valid ONNX model: " + firstLine(e.getMessage()), e);
        }
    }

    public static boolean isGpu(Device device) {
        return device != null && device.isGpu();
    }

    static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}

package org.sparselab.cli;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.TensorInfo;
import org.sparselab.core.UserException;
import org.sparselab.core.onnx.OnnxModels;
import org.sparselab.core.onnx.OnnxVerifier;
import org.sparselab.core.onnx.OrtSessions;
import org.sparselab.core.util.AtomicFiles;
import org.sparselab.api.data.Npy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.zip.GZIPInputStream;

/** {@code sparselab predict <model.onnx> <input>}: deployment inference with ONNX Runtime alone. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Run an exported ONNX model on inputs from an IDX file (raw or .gz) or a .npy file; write .npy or CSV.")
final class PredictCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "an exported model: encoder.onnx, model.onnx or pipeline.onnx")
    Path model;

    @Parameters(index = "1", paramLabel = "INPUT", description = "IDX images (uint8, divided by --scale) or .npy (float32/float64/uint8/int), one sample per row")
    Path input;

    @Option(names = "--out", paramLabel = "FILE", description = "output file (.npy or .csv; default: <input>.<output>.npy)")
    Path out;

    @Option(names = "--format", description = "npy or csv (default: from --out's extension, else npy)")
    String format;

    @Option(names = "--scale", description = "divide IDX pixel values by this, as the mnist dataset's default normalisation does (default 255)")
    float scale = 255f;

    @Option(names = "--limit", description = "use only the first n samples")
    Integer limit;

    @Option(names = "--batch", description = "samples per ONNX Runtime call (default 256)")
    int batch = 256;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Npy.Matrix x = readInput(input, scale);
        int rows = limit == null ? x.rows() : Math.min(limit, x.rows());
        try (OrtSessions.Opened ort = OrtSessions.open(model, false)) {
            var inputs = ort.session().getInputInfo();
            NodeInfo in = inputs.get(OnnxModels.INPUT);
            if (in == null) {
                throw new UserException(model + " has no input named '" + OnnxModels.INPUT + "' (inputs: " + inputs.keySet()
                        + "): it was not exported by sparselab");
            }
            long[] shape = ((TensorInfo) in.getInfo()).getShape();
            long width = shape[shape.length - 1];
            if (width > 0 && width != x.cols()) {
                throw new UserException(input + " has samples of " + x.cols() + " values but " + model.getFileName() + " expects "
                        + width + " per sample");
            }
            String outName = ort.session().getOutputNames().iterator().next();
            float[] result = null;
            int outWidth = 0;
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            for (int start = 0; start < rows; start += batch) {
                int n = Math.min(batch, rows - start);
                float[] chunk = new float[n * x.cols()];
                System.arraycopy(x.data(), start * x.cols(), chunk, 0, chunk.length);
                float[] y = OnnxVerifier.run(env, ort.session(), outName, chunk, n, x.cols());
                if (result == null) {
                    outWidth = y.length / n;
                    result = new float[rows * outWidth];
                }
                System.arraycopy(y, 0, result, start * outWidth, y.length);
            }
            if (result == null) {
                throw new UserException(input + " holds no samples");
            }
            Path target = out != null ? out : input.resolveSibling(input.getFileName() + "." + outName + ".npy");
            String fmt = format != null ? format : target.toString().endsWith(".csv") ? "csv" : "npy";
            if (fmt.equals("csv")) {
                writeCsv(target, result, rows, outWidth);
            } else if (fmt.equals("npy")) {
                Npy.write(target, result, rows, outWidth);
            } else {
                throw new UserException("--format " + fmt + " is not accepted: expected npy or csv");
            }
            spec.commandLine().getOut().println(String.format(Locale.ROOT, "%d samples -> %s [%d x %d] (%s, ONNX Runtime %s)", rows, target, rows,
                    outWidth, outName, ort.provider()));
            return 0;
        }
    }

    static Npy.Matrix readInput(Path file, float scale) {
        if (!Files.isRegularFile(file)) {
            throw new UserException("input file not found: " + file);
        }
        try {
            String name = file.getFileName().toString();
            if (name.endsWith(".npy")) {
                return Npy.read(file);
            }
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length > 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b) {
                try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
                    bytes = in.readAllBytes();
                }
            }
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
            int magic = in.readInt();
            if ((magic >>> 8) != 0x08 || (magic & 0xff) < 1) {
                throw new UserException(file + " is neither a .npy file nor an IDX file of unsigned bytes");
            }
            int nd = magic & 0xff;
            int rows = in.readInt();
            int cols = 1;
            for (int i = 1; i < nd; i++) {
                cols *= in.readInt();
            }
            long need = (long) rows * cols;
            if (bytes.length - 4 - 4L * nd != need) {
                throw new UserException(file + ": the IDX header describes " + need + " bytes of data but the file holds " + (bytes.length - 4 - 4L * nd));
            }
            float[] x = new float[(int) need];
            int off = 4 + 4 * nd;
            for (int i = 0; i < x.length; i++) {
                x[i] = (bytes[off + i] & 0xff) / scale;
            }
            return new Npy.Matrix(x, rows, cols);
        } catch (IOException e) {
            throw new UserException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static void writeCsv(Path target, float[] v, int rows, int cols) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                sb.append(c == 0 ? "" : ",").append(v[r * cols + c]);
            }
            sb.append('\n');
        }
        AtomicFiles.writeString(target, sb.toString());
    }
}

package org.sparselab.cli;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.JsonNode;
import org.sparselab.api.data.Npy;
import org.sparselab.core.UserException;
import org.sparselab.core.onnx.OnnxModels;
import org.sparselab.core.onnx.OnnxVerifier;
import org.sparselab.core.onnx.OrtSessions;
import org.sparselab.core.util.AtomicFiles;
import org.sparselab.core.util.Json;
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
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.zip.GZIPInputStream;

/**
 * {@code sparselab predict <model.onnx> <input>}: deployment inference with ONNX Runtime alone. The exported
 * graphs take inputs as the run's dataset delivers them; predict divides IDX pixels (and uint8 .npy values) by
 * {@code --scale} (the mnist dataset's default {@code normalize: scale}) and passes float .npy rows unchanged.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Run an exported ONNX model on inputs from an IDX file (raw or .gz) or a .npy file; write .npy or CSV.")
final class PredictCommand implements Callable<Integer> {
    static final float DEFAULT_SCALE = 255f;

    @Parameters(index = "0", paramLabel = "MODEL", description = "an exported model: encoder.onnx, model.onnx or pipeline.onnx")
    Path model;

    @Parameters(index = "1", paramLabel = "INPUT", description = "IDX images (uint8, divided by --scale) or .npy (float32/float64 as they are; "
            + "uint8 divided by --scale; int32/int64 as they are), one sample per row (further dimensions are flattened)")
    Path input;

    @Option(names = "--out", paramLabel = "FILE", description = "output file (.npy or .csv; default: <input>.<output>.npy)")
    Path out;

    @Option(names = "--format", description = "npy or csv (default: from --out's extension, else npy)")
    String format;

    @Option(names = "--output-name", paramLabel = "NAME", description = "graph output to write (default: the model's first output)")
    String outputName;

    @Option(names = "--scale", description = "divide IDX pixel values and uint8 .npy values by this (default 255, the mnist dataset's "
            + "'normalize: scale'; 1 for 'normalize: none')")
    Float scale;

    @Option(names = "--limit", description = "use only the first n samples")
    Integer limit;

    @Option(names = "--batch", description = "samples per ONNX Runtime call (default 256)")
    int batch = 256;

    @Option(names = "--gpu", description = "use ONNX Runtime's CUDA provider when it loads (else the CPU one)")
    boolean gpu;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (batch < 1) {
            throw new UserException("--batch must be at least 1, got " + batch);
        }
        if (limit != null && limit < 1) {
            throw new UserException("--limit must be at least 1, got " + limit);
        }
        if (scale != null && !(scale > 0)) {
            throw new UserException("--scale must be positive, got " + scale);
        }
        String fmt = format != null ? format.toLowerCase(Locale.ROOT) : out != null && out.toString().endsWith(".csv") ? "csv" : "npy";
        if (!fmt.equals("csv") && !fmt.equals("npy")) {
            throw new UserException("--format " + format + " is not accepted: expected npy or csv");
        }
        try (OrtSessions.Opened ort = OrtSessions.open(model, gpu)) {
            long width = inputWidth(ort);
            String outName = outputName(ort);
            Input in = readInput(input, scale == null ? DEFAULT_SCALE : scale, width);
            if (in.pixels() && scale == null) {
                warnIfNormalisedOtherwise(ort);
            }
            Npy.Matrix x = in.matrix();
            if (width > 0 && width != x.cols()) {
                throw new UserException(input + " has samples of " + x.cols() + " values but " + model.getFileName() + " expects "
                        + width + " per sample");
            }
            int rows = limit == null ? x.rows() : Math.min(limit, x.rows());
            if (rows == 0) {
                throw new UserException(input + " holds no samples");
            }
            float[] result = null;
            int outWidth = 0;
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            for (int start = 0; start < rows; start += batch) {
                int n = Math.min(batch, rows - start);
                float[] chunk = new float[n * x.cols()];
                System.arraycopy(x.data(), start * x.cols(), chunk, 0, chunk.length);
                float[] y = run(env, ort, outName, chunk, n, x.cols());
                if (result == null) {
                    outWidth = y.length / n;
                    result = new float[rows * outWidth];
                }
                System.arraycopy(y, 0, result, start * outWidth, y.length);
            }
            Path target = out != null ? out : input.resolveSibling(input.getFileName() + "." + outName + "." + fmt);
            if (fmt.equals("csv")) {
                writeCsv(target, result, rows, outWidth);
            } else {
                Npy.write(target, result, rows, outWidth);
            }
            spec.commandLine().getOut().println(String.format(Locale.ROOT, "%d samples -> %s [%d x %d] (%s, ONNX Runtime %s)", rows, target, rows,
                    outWidth, outName, ort.provider()));
            return 0;
        }
    }

    private long inputWidth(OrtSessions.Opened ort) throws OrtException {
        Map<String, NodeInfo> inputs = ort.session().getInputInfo();
        NodeInfo in = inputs.get(OnnxModels.INPUT);
        if (in == null || !(in.getInfo() instanceof TensorInfo t) || t.getShape().length != 2) {
            throw new UserException(model + " has no 2-D tensor input named '" + OnnxModels.INPUT + "' (inputs: " + inputs.keySet()
                    + "): it was not exported by sparselab");
        }
        return t.getShape()[1];
    }

    private String outputName(OrtSessions.Opened ort) {
        var names = ort.session().getOutputNames();
        if (outputName == null) {
            return names.iterator().next();
        }
        if (!names.contains(outputName)) {
            throw new UserException(model.getFileName() + " has no output '" + outputName + "'; its outputs are " + names);
        }
        return outputName;
    }

    private float[] run(OrtEnvironment env, OrtSessions.Opened ort, String outName, float[] x, int n, int cols) {
        try {
            return OnnxVerifier.run(env, ort.session(), outName, x, n, cols);
        } catch (OrtException | ClassCastException e) {
            throw new UserException("ONNX Runtime could not run " + model + " on " + input + ": " + firstLine(e.getMessage()), e);
        }
    }

    /**
     * Exports record the dataset's resolved parameters; when they say the training inputs were normalised other
     * than by 1/255, IDX pixels scaled by 1/255 are not what the model expects: say so (the user may know better).
     */
    private void warnIfNormalisedOtherwise(OrtSessions.Opened ort) {
        try {
            String params = ort.session().getMetadata().getCustomMetadata().get("dataset_params");
            if (params == null) {
                return;
            }
            JsonNode norm = Json.mapper().readTree(params).get("normalize");
            if (norm != null && !norm.asText().equals("scale")) {
                spec.commandLine().getErr().println("warning: " + model.getFileName() + " was trained on inputs with normalize: "
                        + norm.asText() + ", but predict divides IDX pixels by " + DEFAULT_SCALE
                        + (norm.asText().equals("none") ? "; pass --scale 1" : "; give a .npy of inputs preprocessed as the dataset does"));
            }
        } catch (OrtException | IOException e) {
            // metadata are advisory: a model without readable metadata is still run
        }
    }

    /** The samples and whether they were raw pixels (IDX or uint8) scaled by {@code scale}. */
    record Input(Npy.Matrix matrix, boolean pixels) {
    }

    /**
     * Reads IDX or .npy. A 1-D .npy whose length equals the model's input width is one sample; {@code width}
     * {@code <= 0} means unknown.
     */
    static Input readInput(Path file, float scale, long width) {
        if (!Files.isRegularFile(file)) {
            throw new UserException("input file not found: " + file);
        }
        try {
            byte[] bytes = Files.readAllBytes(file);
            boolean npyMagic = bytes.length > 1 && (bytes[0] & 0xff) == 0x93 && bytes[1] == 'N';
            if (npyMagic || file.getFileName().toString().endsWith(".npy")) {
                return readNpy(file, scale, width);
            }
            // IDX, raw or gzipped (as MNIST is distributed)
            if (bytes.length > 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b) {
                try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
                    bytes = in.readAllBytes();
                }
            }
            return new Input(readIdx(file, bytes, scale), true);
        } catch (IOException e) {
            throw new UserException("cannot read " + file + ": " + firstLine(e.getMessage()), e);
        }
    }

    private static Input readNpy(Path file, float scale, long width) throws IOException {
        Npy.Matrix m;
        try {
            m = Npy.read(file);
        } catch (RuntimeException e) {
            throw new IOException(file + " is not a readable .npy file", e);
        }
        if (m.shape().length == 1 && width > 1 && m.rows() == width) {
            m = new Npy.Matrix(m.data(), 1, m.rows(), m.dtype(), m.shape());
        }
        if (!m.dtype().equals("u1")) {
            return new Input(m, false);
        }
        float[] x = m.data();
        for (int i = 0; i < x.length; i++) {
            x[i] /= scale;
        }
        return new Input(m, true);
    }

    private static Npy.Matrix readIdx(Path file, byte[] bytes, float scale) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        int magic = bytes.length < 4 ? 0 : in.readInt();
        if ((magic >>> 8) != 0x08 || (magic & 0xff) < 1) {
            throw new UserException(file + " is neither a .npy file nor an IDX file of unsigned bytes");
        }
        int nd = magic & 0xff;
        int rows = in.readInt();
        long cols = 1;
        for (int i = 1; i < nd; i++) {
            cols *= in.readInt();
        }
        long need = rows * cols;
        long have = bytes.length - 4 - 4L * nd;
        if (rows < 0 || cols < 0 || have != need || need > Integer.MAX_VALUE) {
            throw new UserException(file + ": the IDX header describes " + need + " bytes of data but the file holds " + have);
        }
        float[] x = new float[(int) need];
        int off = 4 + 4 * nd;
        for (int i = 0; i < x.length; i++) {
            x[i] = (bytes[off + i] & 0xff) / scale;
        }
        return new Npy.Matrix(x, rows, (int) cols, "u1", new int[]{rows, (int) cols});
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

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}

package org.sparselab.it;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparselab.core.plugin.PluginHost;
import org.sparselab.core.run.RunState;
import org.sparselab.api.data.Npy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ONNX export at the end of a run, `sparselab export` on the folder, and `sparselab predict` against Java. */
class OnnxExportIT {
    @TempDir
    static Path tmp;
    static Path idx;
    static Path run;

    @BeforeAll
    static void train() throws IOException {
        idx = tmp.resolve("idx");
        TestKit.writeIdx(idx, 400, 120);
        Path cfg = TestKit.runFile(tmp, "onnx", idx, tmp.resolve("out"), "evaluate: [export]");
        TestKit.Cli c = TestKit.cli("run", "--plain", "--plugins", TestKit.pluginFolder().toString(), cfg.toString());
        assertEquals(0, c.exit(), c.all());
        run = TestKit.runFolders(tmp.resolve("out"), "onnx").get(0);
    }

    @Test
    void theRunExportsAndVerifiesEncoderAndModel() throws IOException {
        assertTrue(Files.isRegularFile(run.resolve("export/encoder.onnx")));
        assertTrue(Files.isRegularFile(run.resolve("export/model.onnx")));
        JsonNode check = new ObjectMapper().readTree(run.resolve("export/check.json").toFile());
        assertTrue(check.get("passed").asBoolean(), check.toString());
        JsonNode enc = check.get("checks").get(0);
        assertEquals("encoder.onnx", enc.get("file").asText());
        assertEquals("CPU", enc.get("provider").asText());
        assertEquals(120, enc.get("samples").asInt());
        assertTrue(enc.get("max_abs_diff").asDouble() <= 1e-4, enc.toString());
        assertTrue(enc.get("active_set_agreement").asDouble() >= 0.999, enc.toString());
        JsonNode fwd = check.get("checks").get(1);
        assertTrue(fwd.get("class_agreement").asDouble() >= 0.999, fwd.toString());
        JsonNode summary = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
        assertTrue(summary.at("/export/passed").asBoolean());
    }

    @Test
    void theFilesRecordTheirRunDatasetAndDigests() throws Exception {
        try (OrtSession s = OrtEnvironment.getEnvironment().createSession(run.resolve("export/encoder.onnx").toString(), new OrtSession.SessionOptions())) {
            Map<String, String> meta = s.getMetadata().getCustomMetadata();
            assertEquals("onnx", meta.get("run_name"));
            assertEquals("sdm-topk", meta.get("model"));
            assertTrue(meta.get("dataset_params").contains("\"normalize\":\"scale\""), meta.toString());
            assertEquals(sha256(run.resolve("provenance.json")), meta.get("provenance_sha256"));
            assertEquals(sha256(run.resolve("model/parameters.npz")), meta.get("parameters_sha256"));
        }
    }

    private static String sha256(Path f) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    }

    @Test
    void predictReadsNpyAndGzippedIdxAndWritesTheOutputAsked() throws IOException {
        Path images = idx.resolve("t10k-images-idx3-ubyte");
        Path raw = tmp.resolve("raw.npy");
        TestKit.Cli a = TestKit.cli("predict", run.resolve("export/model.onnx").toString(), images.toString(), "--limit", "20", "--out", raw.toString());
        assertEquals(0, a.exit(), a.all());
        // the same images gzipped, as MNIST is distributed
        Path gz = tmp.resolve("images.gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
            o.write(Files.readAllBytes(images));
        }
        Path fromGz = tmp.resolve("gz.npy");
        assertEquals(0, TestKit.cli("predict", run.resolve("export/model.onnx").toString(), gz.toString(), "--limit", "20", "--out",
                fromGz.toString()).exit());
        assertArrayEquals(Npy.read(raw).data(), Npy.read(fromGz).data());
        // one sample as a 1-D .npy, CSV out by --format
        float[] one = new float[784];
        System.arraycopy(Npy.read(writeInputsAsNpy(1)).data(), 0, one, 0, 784);
        Path single = tmp.resolve("single.npy");
        Npy.write(single, one, 784);
        Path csv = tmp.resolve("single.txt");
        TestKit.Cli b = TestKit.cli("predict", run.resolve("export/model.onnx").toString(), single.toString(), "--format", "csv",
                "--out", csv.toString());
        assertEquals(0, b.exit(), b.all());
        String[] cells = Files.readAllLines(csv).get(0).split(",");
        assertEquals(10, cells.length);
        for (int c = 0; c < 10; c++) {
            assertEquals(Npy.read(raw).data()[c], Float.parseFloat(cells[c]), 1e-4);
        }
        // a named output
        TestKit.Cli named = TestKit.cli("predict", run.resolve("export/encoder.onnx").toString(), images.toString(), "--limit", "3",
                "--output-name", "code", "--out", tmp.resolve("c.npy").toString());
        assertEquals(0, named.exit(), named.all());
        assertEquals(64, Npy.read(tmp.resolve("c.npy")).cols());
    }

    @Test
    void exportCommandAndPredictReproduceJava() throws IOException {
        TestKit.Cli ex = TestKit.cli("export", "--plugins", TestKit.pluginFolder().toString(), run.toString());
        assertEquals(0, ex.exit(), ex.all());
        assertTrue(ex.out().contains("encoder.onnx on CPU") && ex.out().contains("passed"), ex.out());
        Path out = tmp.resolve("pred.npy");
        TestKit.Cli p = TestKit.cli("predict", run.resolve("export/model.onnx").toString(), idx.resolve("t10k-images-idx3-ubyte").toString(),
                "--limit", "100", "--out", out.toString());
        assertEquals(0, p.exit(), p.all());
        Npy.Matrix onnx = Npy.read(out);
        assertEquals(100, onnx.rows());
        assertEquals(10, onnx.cols());
        Npy.Matrix x = Npy.read(writeInputsAsNpy(100));
        try (PluginHost host = PluginHost.load(TestKit.pluginFolder());
             RunState state = RunState.reopen(run, host, tmp)) {
            NDManager m = state.manager();
            NDArray in = m.create(x.data(), new Shape(x.rows(), x.cols()));
            float[] java = state.model().predict(in).orElseThrow().toFloatArray();
            int same = 0;
            for (int r = 0; r < 100; r++) {
                if (argMax(java, r, 10) == argMax(onnx.data(), r, 10)) {
                    same++;
                }
                for (int c = 0; c < 10; c++) {
                    assertEquals(java[r * 10 + c], onnx.data()[r * 10 + c], 1e-4);
                }
            }
            assertEquals(100, same);
        }
        TestKit.Cli csv = TestKit.cli("predict", run.resolve("export/encoder.onnx").toString(), idx.resolve("t10k-images-idx3-ubyte").toString(),
                "--limit", "5", "--out", tmp.resolve("codes.csv").toString());
        assertEquals(0, csv.exit(), csv.all());
        assertEquals(5, Files.readAllLines(tmp.resolve("codes.csv")).size());
    }

    @Test
    void badInputsGetClearErrors() throws IOException {
        Path notOnnx = Files.writeString(tmp.resolve("fake.onnx"), "definitely not a protobuf");
        TestKit.Cli a = TestKit.cli("predict", notOnnx.toString(), idx.resolve("t10k-images-idx3-ubyte").toString());
        assertNotEquals(0, a.exit());
        assertTrue(a.err().contains("is not a valid ONNX model"), a.err());
        Path wrong = tmp.resolve("wrong.npy");
        Npy.write(wrong, new float[30], 3, 10);
        TestKit.Cli b = TestKit.cli("predict", run.resolve("export/encoder.onnx").toString(), wrong.toString());
        assertNotEquals(0, b.exit());
        assertTrue(b.err().contains("has samples of 10 values but encoder.onnx expects 784"), b.err());
        Path empty = Files.createDirectories(tmp.resolve("not-a-run"));
        Files.writeString(empty.resolve("config.resolved.yaml"), Files.readString(run.resolve("config.resolved.yaml")));
        TestKit.Cli c = TestKit.cli("export", "--plugins", TestKit.pluginFolder().toString(), empty.toString());
        assertNotEquals(0, c.exit());
        assertTrue(c.err().contains("has no model/parameters.npz"), c.err());
        assertTrue(!c.all().contains("\tat "), c.all());

        String encoder = run.resolve("export/encoder.onnx").toString();
        Path truncated = Files.write(tmp.resolve("truncated-idx3-ubyte"), new byte[]{0, 0, 8, 3, 0, 0, 0, 5, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2});
        assertError(TestKit.cli("predict", encoder, truncated.toString()), "the IDX header describes 3920 bytes of data but the file holds 2");
        Path text = Files.writeString(tmp.resolve("notes.txt"), "hello");
        assertError(TestKit.cli("predict", encoder, text.toString()), "is neither a .npy file nor an IDX file");
        Path badNpy = Files.write(tmp.resolve("bad.npy"), new byte[]{(byte) 0x93, 'N', 'U', 'M'});
        assertError(TestKit.cli("predict", encoder, badNpy.toString()), "cannot read");
        assertError(TestKit.cli("predict", encoder, tmp.resolve("missing.npy").toString()), "input file not found");
        String images = idx.resolve("t10k-images-idx3-ubyte").toString();
        assertError(TestKit.cli("predict", encoder, images, "--output-name", "nope"), "has no output 'nope'; its outputs are [code]");
        assertError(TestKit.cli("predict", encoder, images, "--batch", "0"), "--batch must be at least 1");
        assertError(TestKit.cli("predict", encoder, images, "--format", "xlsx"), "--format xlsx is not accepted");
        assertError(TestKit.cli("predict", tmp.resolve("nothing.onnx").toString(), images), "no ONNX model at");
    }

    private static void assertError(TestKit.Cli c, String message) {
        assertNotEquals(0, c.exit(), c.all());
        assertTrue(c.err().contains(message), c.err());
        assertTrue(!c.all().contains("\tat "), c.all());
    }

    private static Path writeInputsAsNpy(int n) throws IOException {
        byte[] bytes = Files.readAllBytes(idx.resolve("t10k-images-idx3-ubyte"));
        float[] x = new float[n * 784];
        for (int i = 0; i < x.length; i++) {
            x[i] = (bytes[16 + i] & 0xff) / 255f;
        }
        Path p = tmp.resolve("inputs.npy");
        Npy.write(p, x, n, 784);
        return p;
    }

    private static int argMax(float[] v, int row, int width) {
        int best = 0;
        for (int j = 1; j < width; j++) {
            if (v[row * width + j] > v[row * width + best]) {
                best = j;
            }
        }
        return best;
    }
}

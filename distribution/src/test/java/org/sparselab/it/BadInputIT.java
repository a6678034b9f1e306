package org.sparselab.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each kind of bad input gets one clear message, a non-zero exit, no stack trace, and no complete-looking run folder. */
class BadInputIT {
    @TempDir
    static Path tmp;
    static Path idx;

    @BeforeAll
    static void data() throws IOException {
        idx = tmp.resolve("idx");
        TestKit.writeIdx(idx, 300, 100);
    }

    private static TestKit.Cli validate(Path cfg) {
        return TestKit.cli("validate", "--plugins", TestKit.pluginFolder().toString(), cfg.toString());
    }

    private static void assertClean(TestKit.Cli c, String... fragments) {
        assertNotEquals(0, c.exit(), c.all());
        for (String f : fragments) {
            assertTrue(c.err().contains(f), "expected '" + f + "' in:\n" + c.err());
        }
        assertFalse(c.all().contains("\tat "), "no stack trace:\n" + c.all());
        assertFalse(c.all().contains("Exception"), "no exception names:\n" + c.all());
    }

    private Path cfg(String name, String replace, String with) throws IOException {
        Path f = TestKit.runFile(tmp, name, idx, tmp.resolve("out"), "");
        String text = Files.readString(f);
        assertTrue(text.contains(replace), replace);
        Files.writeString(f, text.replace(replace, with));
        return f;
    }

    @Test
    void goodConfigValidates() throws IOException {
        TestKit.Cli c = validate(TestKit.runFile(tmp, "good", idx, tmp.resolve("out"), ""));
        assertEquals(0, c.exit(), c.all());
        assertTrue(c.out().contains("ok"));
        assertFalse(Files.exists(tmp.resolve("out/good")), "validate writes nothing");
    }

    @Test
    void unknownPluginIdListsTheKnownIds() throws IOException {
        Path f = cfg("unknown-id", "id: sdm-topk", "id: sdm-topq");
        TestKit.Cli c = validate(f);
        assertClean(c, f + ":6", "unknown model id 'sdm-topq'", "known model ids: [");
        // the list names every model the plugin folder provides, the intended one among them
        assertTrue(c.err().matches("(?s).*known model ids: \\[[^]]*\\bsdm-topk\\b[^]]*].*"), c.err());
    }

    @Test
    void unknownKeyNamesKeyFileAndLine() throws IOException {
        Path f = cfg("unknown-key", "units: 64", "unitz: 64");
        assertClean(validate(f), f + ":6", "unknown key 'model.unitz'", "units");
        Path g = cfg("unknown-top", "seed: 7", "sead: 7");
        assertClean(validate(g), g + ":2", "unknown key 'sead'");
        Path h = cfg("unknown-training", "batch_size: 32", "batchsize: 32");
        assertClean(validate(h), h + ":9", "unknown key 'training.batchsize'", "batch_size");
    }

    @Test
    void wrongTypeAndRangeAreNamed() throws IOException {
        Path f = cfg("wrong-type", "units: 64", "units: many");
        assertClean(validate(f), f + ":6", "model.units = many is not accepted: expected an integer");
        Path g = cfg("range", "units: 64", "units: 0");
        assertClean(validate(g), g + ":6", "units = 0 is not accepted", ">= 1");
        Path h = cfg("k-range", "k: 8", "k: 65");
        assertClean(validate(h), "k = 65 is not accepted", "[1, 64]");
        Path i = cfg("optimizer", "id: adam", "id: adamm");
        assertClean(validate(i), "optimizer.id = adamm is not accepted", "sgdm");
        Path j = cfg("device", "device: cpu", "device: tpu");
        assertClean(validate(j), j + ":3", "device = tpu is not accepted", "[auto, cpu, gpu]");
    }

    @Test
    void missingDataSaysHowToFetchIt() throws IOException {
        Path f = cfg("missing-data", "root: " + idx, "root: " + tmp.resolve("nowhere"));
        assertClean(validate(f), "sparselab data fetch mnist");
    }

    @Test
    void truncatedIdxNamesTheFileAndTheSizes() throws IOException {
        Path bad = tmp.resolve("truncated");
        TestKit.writeIdx(bad, 300, 100);
        try (RandomAccessFile raf = new RandomAccessFile(bad.resolve("train-images-idx3-ubyte").toFile(), "rw")) {
            raf.setLength(raf.length() - 1000);
        }
        Path f = cfg("truncated", "root: " + idx, "root: " + bad);
        assertClean(validate(f), "train-images-idx3-ubyte");
        // The same file through run: the run fails cleanly and its folder is marked FAILED, without a summary.
        TestKit.Cli r = TestKit.cli("run", "--plain", "--plugins", TestKit.pluginFolder().toString(), f.toString());
        assertClean(r, "train-images-idx3-ubyte");
        Path run = TestKit.runFolders(tmp.resolve("out"), "truncated").get(0);
        assertTrue(Files.exists(run.resolve("FAILED")));
        assertFalse(Files.exists(run.resolve("summary.json")));
        assertFalse(Files.exists(run.resolve("RUNNING")));
    }

    @Test
    void mislabelledIdxIsCaught() throws IOException {
        Path bad = tmp.resolve("mislabelled");
        TestKit.writeIdx(bad, 300, 100);
        TestKit.writeIdx(tmp.resolve("other"), 200, 100);
        Files.copy(tmp.resolve("other/train-labels-idx1-ubyte"), bad.resolve("train-labels-idx1-ubyte"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path f = cfg("mislabelled", "root: " + idx, "root: " + bad);
        assertClean(validate(f), "train-labels-idx1-ubyte");
    }

    @Test
    void unwritableOutputIsNamed() throws IOException {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        Path f = cfg("unwritable", "output: " + tmp.resolve("out"), "output: " + file.resolve("sub"));
        assertClean(validate(f), "output folder", file.toString());
        TestKit.Cli r = TestKit.cli("run", "--plain", "--plugins", TestKit.pluginFolder().toString(), f.toString());
        assertClean(r, "output folder");
    }

    @Test
    void aJarThatIsNotAPluginIsNamedAndFailsValidation(@TempDir Path plugins) throws IOException {
        TestKit.copyPlugins(plugins);
        Files.write(plugins.resolve("oops.jar"), new byte[]{9, 9, 9});
        Path f = TestKit.runFile(tmp, "with-junk", idx, tmp.resolve("out"), "");
        TestKit.Cli c = TestKit.cli("validate", "--plugins", plugins.toString(), f.toString());
        assertClean(c, "oops.jar");
    }

    @Test
    void yamlSyntaxErrorsAndMissingFilesAreClear() throws IOException {
        Path f = Files.writeString(tmp.resolve("broken.yaml"), "name: x\nmodel: {id: sdm-topk\n");
        assertClean(validate(f), "broken.yaml", "not valid YAML");
        assertClean(validate(tmp.resolve("nope.yaml")), "run file not found");
    }
}

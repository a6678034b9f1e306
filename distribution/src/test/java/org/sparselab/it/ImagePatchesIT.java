package org.sparselab.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.PluginClassLoader;
import org.sparselab.api.Dataset;
import org.sparselab.api.data.DataContext;
import org.sparselab.api.data.DataSource;
import org.sparselab.core.config.ConfigBinder;
import org.sparselab.core.config.ConfigSource;
import org.sparselab.core.plugin.PluginHost;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The image-patches dataset from its jar in the plugin folder, on a small folder of generated images. */
class ImagePatchesIT {

    /** Six textured images (PNG, JPEG, BMP; colour and grey), two in a class subfolder as ImageNet has them. */
    static Path images(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("n01440764"));
        Random r = new Random(4);
        String[][] files = {{"a.png", "png"}, {"b.jpg", "jpg"}, {"c.bmp", "bmp"}, {"d.png", "png"},
                {"n01440764/e.JPEG", "jpeg"}, {"n01440764/f.png", "png"}};
        for (int i = 0; i < files.length; i++) {
            boolean grey = i == 3;
            BufferedImage im = new BufferedImage(90 + 10 * i, 70 + 5 * i, grey ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
            double f = 0.1 + 0.05 * i;
            for (int y = 0; y < im.getHeight(); y++) {
                for (int x = 0; x < im.getWidth(); x++) {
                    int v = (int) Math.max(0, Math.min(255, 128 + 80 * Math.sin(f * x) * Math.cos(f * y) + 25 * r.nextGaussian()));
                    if (grey) {
                        im.getRaster().setSample(x, y, 0, v);
                    } else {
                        im.setRGB(x, y, (v << 16) | ((255 - v) << 8) | (v / 2));
                    }
                }
            }
            ImageIO.write(im, files[i][1], dir.resolve(files[i][0]).toFile());
        }
        return dir;
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static DataSource open(Dataset dataset, Map<String, Object> params, Path data, long seed) throws IOException {
        Record config = (Record) ConfigBinder.bind(params, dataset.configType(), "dataset", ConfigSource.inline("ImagePatchesIT"),
                "dataset 'image-patches'");
        return dataset.open(config, new DataContext(data, seed));
    }

    private static float[] all(DataSource d, String split) {
        return d.split(split).features(IntStream.range(0, d.split(split).size()).toArray());
    }

    @Test
    void opensAFolderOfImagesFromThePluginJar(@TempDir Path tmp) throws IOException {
        images(tmp.resolve("imagenet-like"));
        Map<String, Object> params = Map.of("root", "imagenet-like", "train_size", 24, "val_size", 6, "test_size", 8,
                "image_size", 64, "lcn_batch", 5, "seed", 31);
        try (PluginHost host = PluginHost.load(TestKit.pluginFolder())) {
            Dataset dataset = host.datasets().get("image-patches").extension();
            assertInstanceOf(PluginClassLoader.class, dataset.getClass().getClassLoader());
            DataSource d = open(dataset, params, tmp, 7);
            assertEquals(List.of("train", "val", "test"), d.splitNames());
            assertArrayEquals(new int[]{1, 28, 28}, d.spec().sampleShape());
            assertEquals(0, d.spec().numClasses());
            assertEquals(24, d.split("train").size());
            assertEquals(6, d.split("val").size());
            assertEquals(8, d.split("test").size());
            assertEquals(Set.of("val_mean", "val_std", "test_mean", "test_std", "pixel_scale", "pixel_offset"), d.groundTruth().keySet());
            assertEquals(0.259f, d.groundTruth().get("pixel_scale").data()[0]);
            assertArrayEquals(new int[]{8, 784}, d.groundTruth().get("test_mean").shape());
            // back in pixel space with the maps (spec check C9), the test patches are grey levels in [0, 1]
            float[] x = all(d, "test");
            float[] m = d.groundTruth().get("test_mean").data();
            float[] s = d.groundTruth().get("test_std").data();
            for (int i = 0; i < x.length; i++) {
                double pixel = (x[i] * s[i] + m[i]) * 0.259 + 0.457;
                assertTrue(pixel > -1e-5 && pixel < 1 + 1e-5, "pixel " + i + " = " + pixel);
                double level = pixel * 255;
                assertEquals(Math.round(level), level, 1e-3, "pixel " + i + " is not an 8-bit grey level");
            }
            // rebuilt exactly from the seed, whatever the run's seed
            DataSource again = open(dataset, params, tmp, 8);
            assertArrayEquals(all(d, "train"), all(again, "train"));
            assertEquals(d.fingerprint(), again.fingerprint());
            // keys are checked by the host's binder like any run file's
            RuntimeException unknown = assertThrows(RuntimeException.class,
                    () -> open(dataset, Map.of("root", "imagenet-like", "patch", 28), tmp, 7));
            assertTrue(unknown.getMessage().contains("patch"), unknown.getMessage());
            IOException missing = assertThrows(IOException.class, () -> open(dataset, Map.of("root", "no-such-folder"), tmp, 7));
            assertTrue(missing.getMessage().contains("no-such-folder") && missing.getMessage().contains("folder of images"),
                    missing.getMessage());
        }
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.sparselab.plugins.patches.ImagePatchesDataset"));
    }

    @Test
    void validateAndRunTrainOnThePatches(@TempDir Path tmp) throws IOException {
        Path imgs = images(tmp.resolve("imgs"));
        Path out = tmp.resolve("out");
        Path run = tmp.resolve("patches.yaml");
        Files.writeString(run, """
                name: patches
                seed: 3
                device: cpu
                output: %s
                dataset: {id: image-patches, root: %s, train_size: 32, val_size: 8, test_size: 8, image_size: 64, lcn_batch: 8, passes: 30}
                model: {id: sdm-topk, units: 32, task: reconstruction}
                sparsifiers: [{id: topk, k: 4}]
                metrics: [mse, active_fraction]
                training: {epochs: 1, batch_size: 8, optimizer: {id: adam, lr: 0.001}}
                """.formatted(out, imgs));
        TestKit.Cli v = TestKit.cli("validate", "--plugins", TestKit.pluginFolder().toString(), run.toString());
        assertEquals(0, v.exit(), v.all());
        assertTrue(v.out().contains("dataset image-patches DataSpec[1, 28, 28]"), v.out());
        TestKit.Cli r = TestKit.cli("run", "--plain", "--plugins", TestKit.pluginFolder().toString(), run.toString());
        assertEquals(0, r.exit(), r.all());
        assertEquals(1, TestKit.runFolders(out, "patches").size());
        TestKit.Cli list = TestKit.cli("plugins", "--plugins", TestKit.pluginFolder().toString());
        assertTrue(list.out().contains("dataset 'image-patches'") && list.out().contains("std_threshold"), list.out());
    }

    /**
     * The four ImageNet scripts as shipped (runs/vdl/imagenet-*.yaml), run through the CLI on generated images with only
     * the sizes shrunk (patch counts, batch, one epoch): every variant trains, keeps its best epoch, exports and
     * verifies its ONNX graphs, and denoises with PSNR in pixel space through each clean patch's LCN maps.
     */
    @Test
    void theShippedImageNetRunsTrainAndDenoiseOnAFolderOfImages(@TempDir Path tmp) throws IOException {
        Path imgs = images(tmp.resolve("imgs"));
        List<Path> files;
        try (var s = Files.list(TestKit.repo().resolve("runs/vdl"))) {
            files = s.filter(f -> f.getFileName().toString().startsWith("imagenet-")).sorted().toList();
        }
        assertEquals(4, files.size(), files.toString());
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (Path f : files) {
            String yaml = Files.readString(f);
            String name = f.getFileName().toString().replace(".yaml", "");
            String small = yaml
                    .replaceAll("(?m)^dataset: .*$", "dataset: {id: image-patches, root: " + imgs
                            + ", train_size: 24, val_size: 8, test_size: 8, image_size: 64, lcn_batch: 8, passes: 30}")
                    .replaceAll("(?m)^name: .*$", "name: " + name + "\noutput: " + tmp.resolve("out"))
                    .replaceAll("(?m)^  epochs: \\d+", "  epochs: 1")
                    .replaceAll("(?m)^  batch_size: 250", "  batch_size: 8")
                    .replaceAll("(?m)^  eval_batch_size: 250", "  eval_batch_size: 8");
            assertTrue(small.contains("epochs: 1\n") && small.contains("batch_size: 8") && small.contains("train_size: 24"), small);
            Path copy = tmp.resolve(f.getFileName());
            Files.writeString(copy, small);
            TestKit.Cli r = TestKit.cli("run", "--plain", "--plugins", TestKit.pluginFolder().toString(), copy.toString());
            assertEquals(0, r.exit(), f + ": " + r.all());
            Path run = TestKit.runFolders(tmp.resolve("out"), name).get(0);
            var summary = json.readTree(run.resolve("summary.json").toFile());
            assertEquals(1, summary.get("best").get("epoch").asInt(), name + ": " + summary);
            var level = summary.get("denoise").get("levels").get(0);
            double noisyImg = level.get("psnr_noisy_img").asDouble();
            double noisyRec = level.get("psnr_noisy_rec").asDouble();
            // σ = 1 in LCN space is a small error in pixel space (the maps' spread is < 1): finite PSNRs in a plausible range
            assertTrue(Double.isFinite(noisyImg) && noisyImg > 5 && noisyImg < 40, name + ": " + level);
            assertTrue(Double.isFinite(noisyRec) && noisyRec > 5 && noisyRec < 40, name + ": " + level);
            var check = json.readTree(run.resolve("export/check.json").toFile());
            assertTrue(check.get("passed").asBoolean(), name + ": " + check);
            assertTrue(Files.isRegularFile(run.resolve("export/encoder.onnx")), name);
        }
    }
}

package org.sparselab.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.PluginClassLoader;
import org.sparselab.core.plugin.PluginHost;
import org.sparselab.core.plugin.PluginProblem;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** This repository's plugins, loaded as jars from a folder through PF4J, with none of them on the class path. */
class PluginFolderIT {

    @Test
    void everyPluginLoadsFromTheFolderInItsOwnClassLoader() {
        try (PluginHost host = PluginHost.load(TestKit.pluginFolder())) {
            assertEquals(List.of(), host.problems());
            assertTrue(host.datasets().find("mnist").isPresent());
            assertTrue(host.datasets().find("synthetic-sparse").isPresent());
            assertTrue(host.datasets().find("npy").isPresent());
            assertTrue(host.datasets().find("image-patches").isPresent());
            assertTrue(host.sparsifiers().find("gaba-switch").isPresent());
            assertTrue(host.models().find("sdm-topk").isPresent());
            assertTrue(host.sparsifiers().find("topk").isPresent());
            for (String m : List.of("mse", "accuracy", "active_fraction", "dead_units", "dictionary_recovery")) {
                assertTrue(host.metrics().find(m).isPresent(), "metric " + m);
            }
            Object topk = host.sparsifiers().get("topk").extension();
            assertInstanceOf(PluginClassLoader.class, topk.getClass().getClassLoader());
            assertEquals("topk", host.sparsifiers().get("topk").pluginId());
        }
        // Proof that the test sees the plugins only through the folder.
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.sparselab.plugins.topk.TopKSparsifier"));
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.sparselab.plugins.sdmtopk.SdmTopKModel"));
    }

    @Test
    void brokenAndIncompatibleJarsAreReportedByNameAndSkipped(@TempDir Path dir) throws IOException {
        TestKit.copyPlugins(dir);
        Files.write(dir.resolve("garbage.jar"), new byte[]{1, 2, 3, 4, 5});
        try (JarOutputStream j = new JarOutputStream(Files.newOutputStream(dir.resolve("not-a-plugin.jar")))) {
            j.putNextEntry(new JarEntry("readme.txt"));
            j.write("hello".getBytes());
        }
        Path topk;
        try (var s = Files.list(TestKit.pluginFolder())) {
            topk = s.filter(p -> p.getFileName().toString().contains("topk")).findFirst().orElseThrow();
        }
        rewriteManifest(topk, dir.resolve("from-the-future.jar"), "future-topk", ">=9.0.0");
        try (PluginHost host = PluginHost.load(dir)) {
            String problems = host.problems().stream().map(PluginProblem::toString).collect(Collectors.joining("\n"));
            assertTrue(problems.contains("garbage.jar"), problems);
            assertTrue(problems.contains("not-a-plugin.jar"), problems);
            assertTrue(problems.contains("from-the-future.jar") && problems.contains(">=9.0.0"), problems);
            assertEquals(3, host.problems().size(), problems);
            assertTrue(host.models().find("sdm-topk").isPresent());
            assertTrue(host.sparsifiers().find("topk").isPresent());
        }
    }

    /** Copies a plugin jar with another id and another Plugin-Requires. */
    static void rewriteManifest(Path src, Path dst, String id, String requires) throws IOException {
        try (JarFile in = new JarFile(src.toFile())) {
            Manifest mf = new Manifest(in.getManifest());
            mf.getMainAttributes().put(new Attributes.Name("Plugin-Id"), id);
            mf.getMainAttributes().put(new Attributes.Name("Plugin-Requires"), requires);
            try (OutputStream os = Files.newOutputStream(dst); JarOutputStream out = new JarOutputStream(os, mf)) {
                var entries = in.entries();
                while (entries.hasMoreElements()) {
                    JarEntry e = entries.nextElement();
                    if (e.getName().equals("META-INF/MANIFEST.MF")) {
                        continue;
                    }
                    out.putNextEntry(new JarEntry(e.getName()));
                    in.getInputStream(e).transferTo(out);
                }
            }
        }
    }
}

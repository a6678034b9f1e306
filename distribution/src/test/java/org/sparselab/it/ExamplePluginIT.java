package org.sparselab.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The example third-party plugin (examples/metric-plugin, not a reactor module) compiled against the
 * framework's API jar alone, jarred with a PF4J manifest, dropped into a plugin folder and used by a run.
 */
class ExamplePluginIT {

    @Test
    void aPluginBuiltOutsideTheReactorWorksWhenDroppedIn(@TempDir Path tmp) throws IOException {
        Path src = TestKit.repo().resolve("examples/metric-plugin/src/main/java");
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        compile(src, classes);
        assertTrue(Files.exists(classes.resolve("META-INF/extensions.idx")), "PF4J's processor wrote the extension index");
        Path plugins = tmp.resolve("plugins");
        TestKit.copyPlugins(plugins);
        jar(classes, plugins.resolve("code-l1-metric-1.0.0.jar"));

        Path idx = tmp.resolve("idx");
        TestKit.writeIdx(idx, 200, 50);
        Path cfg = TestKit.runFile(tmp, "example", idx, tmp.resolve("out"), "");
        Files.writeString(cfg, Files.readString(cfg).replace("metrics: [accuracy, active_fraction, dead_units]",
                "metrics: [accuracy, {id: code_l1, per_unit: true}]").replace("epochs: 2", "epochs: 1"));
        TestKit.Cli list = TestKit.cli("plugins", "--plugins", plugins.toString());
        assertTrue(list.out().contains("plugin example-code-l1 1.0.0") && list.out().contains("metric 'code_l1'"), list.all());
        TestKit.Cli run = TestKit.cli("run", "--plain", "--plugins", plugins.toString(), cfg.toString());
        assertEquals(0, run.exit(), run.all());
        Path folder = TestKit.runFolders(tmp.resolve("out"), "example").get(0);
        String metrics = Files.readString(folder.resolve("metrics.jsonl"));
        assertTrue(metrics.contains("\"code_l1\""), metrics);

        // The plugin's command-line tool: listed, run as `sparselab code-stats ...`, and its argument errors are clear.
        assertTrue(list.out().contains("tool 'code-stats'"), list.all());
        Path codes = tmp.resolve("codes.npy");
        org.sparselab.api.data.Npy.write(codes, new float[]{0, 2, 0, 0, -1, 0}, 2, 3);
        TestKit.Cli tool = TestKit.cli("code-stats", "--plugins", plugins.toString(), "--codes", codes.toString());
        assertEquals(0, tool.exit(), tool.all());
        assertTrue(tool.out().contains("active fraction 0.3333, L1 per sample 1.5000, units never active 2"), tool.all());
        TestKit.Cli tools = TestKit.cli("tool", "--plugins", plugins.toString());
        assertTrue(tools.out().contains("code-stats"), tools.all());
        TestKit.Cli typo = TestKit.cli("code-stats", "--plugins", plugins.toString(), "--codes", codes.toString(), "--treshold", "1");
        assertEquals(2, typo.exit(), typo.all());
        assertTrue(typo.err().contains("unknown option --treshold") && typo.err().contains("--threshold"), typo.all());
        TestKit.Cli unknown = TestKit.cli("no-such-tool", "--plugins", plugins.toString());
        assertEquals(2, unknown.exit(), unknown.all());
        assertTrue(unknown.err().contains("unknown tool or command 'no-such-tool'"), unknown.all());
    }

    /** javac with the test's class path, which holds the API and PF4J (and thus PF4J's annotation processor). */
    private static void compile(Path src, Path out) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<Path> files;
        try (Stream<Path> s = Files.walk(src)) {
            files = s.filter(p -> p.toString().endsWith(".java")).toList();
        }
        try (StandardJavaFileManager fm = javac.getStandardFileManager(null, null, null)) {
            List<String> options = new ArrayList<>(List.of("--release", "17", "-proc:full", "-d", out.toString(),
                    "-classpath", System.getProperty("java.class.path")));
            boolean ok = javac.getTask(null, fm, null, options, null, fm.getJavaFileObjectsFromPaths(files)).call();
            assertTrue(ok, "the example plugin compiles against the API");
        }
    }

    private static void jar(Path classes, Path jar) throws IOException {
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.put(new Attributes.Name("Plugin-Id"), "example-code-l1");
        a.put(new Attributes.Name("Plugin-Version"), "1.0.0");
        a.put(new Attributes.Name("Plugin-Provider"), "example.com");
        a.put(new Attributes.Name("Plugin-Requires"), ">=0.1.0 & <0.2.0");
        a.put(new Attributes.Name("Plugin-Description"), "Mean L1 norm of the code per sample.");
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(os, mf);
             Stream<Path> s = Files.walk(classes)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
                Files.copy(p, out);
            }
        }
    }
}

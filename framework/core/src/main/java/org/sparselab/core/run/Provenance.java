package org.sparselab.core.run;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.sparselab.core.SparselabVersion;
import org.sparselab.core.config.Bound;
import org.sparselab.core.config.ResolvedRun;
import org.sparselab.core.plugin.PluginHost;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What {@code provenance.json} records: enough to reproduce a run from its folder. */
public final class Provenance {
    private Provenance() {
    }

    public static Map<String, Object> of(ResolvedRun run, PluginHost host, Engine engine, Device device, String dataFingerprint) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("created", Instant.now().toString());
        p.put("run_file", run.file().toAbsolutePath().toString());
        p.put("seed", run.seed());
        p.put("framework", Map.of("version", SparselabVersion.FRAMEWORK, "api", SparselabVersion.API));
        p.put("plugins", host.pluginVersions());
        Map<String, Object> components = new LinkedHashMap<>();
        components.put("dataset", component(run.dataset()));
        components.put("model", component(run.model()));
        components.put("sparsifiers", run.sparsifiers().stream().map(Provenance::component).toList());
        components.put("metrics", run.metrics().stream().map(Provenance::component).toList());
        p.put("components", components);
        p.put("git", git());
        p.put("jvm", Map.of("version", System.getProperty("java.version"), "vendor", System.getProperty("java.vendor"),
                "vm", System.getProperty("java.vm.name"), "max_heap_mb", Runtime.getRuntime().maxMemory() >> 20));
        p.put("os", Map.of("name", System.getProperty("os.name"), "arch", System.getProperty("os.arch"),
                "cpus", Runtime.getRuntime().availableProcessors()));
        Map<String, Object> eng = new LinkedHashMap<>();
        eng.put("name", engine.getEngineName());
        eng.put("version", engine.getVersion());
        eng.put("djl", Engine.getDjlVersion());
        String preload = System.getenv("LD_PRELOAD");
        eng.put("mkl_vendor_shim", preload != null && preload.contains("mkl_shim"));
        p.put("engine", eng);
        p.put("device", device.toString());
        p.put("data_fingerprint", dataFingerprint);
        return p;
    }

    @SuppressWarnings("rawtypes")
    private static Map<String, Object> component(Bound b) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", b.spec().id());
        c.put("plugin", b.pluginId());
        c.put("plugin_version", b.pluginVersion());
        return c;
    }

    /** Commit and dirty flag of the working directory's git checkout, or "unknown". */
    static Map<String, Object> git() {
        Map<String, Object> g = new LinkedHashMap<>();
        String home = System.getenv("SPARSELAB_HOME");
        Path dir = Path.of(home == null ? "." : home);
        String commit = exec(dir, "git", "rev-parse", "HEAD");
        g.put("commit", commit == null ? "unknown" : commit);
        if (commit != null) {
            String status = exec(dir, "git", "status", "--porcelain", "--untracked-files=no");
            g.put("dirty", status != null && !status.isBlank());
        }
        return g;
    }

    private static String exec(Path dir, String... cmd) {
        try {
            Process pr = new ProcessBuilder(List.of(cmd)).directory(dir.toFile()).redirectErrorStream(true).start();
            byte[] out = pr.getInputStream().readAllBytes();
            if (!pr.waitFor(10, TimeUnit.SECONDS) || pr.exitValue() != 0) {
                return null;
            }
            return new String(out, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}

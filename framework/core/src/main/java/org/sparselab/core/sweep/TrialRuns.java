package org.sparselab.core.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.sparselab.core.config.ConfigBinder;
import org.sparselab.core.run.RunFolder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What the run folders of one trial say. The folders are the truth about a sweep's progress: a trial is finished
 * when one of its run folders has {@code summary.json} and was made from the trial's configuration; folders left
 * RUNNING or FAILED by a stopped or failed attempt only count as attempts, so the trial runs again in a new folder.
 * "Made from the trial's configuration" compares the settings both resolved configurations record: a changed value
 * (the base file or the sweep's overrides changed) makes the old run outdated, while a parameter a newer framework
 * added with its default does not, so upgrading does not rerun finished sweeps.
 *
 * @param attempts every run folder of the trial, oldest first
 * @param finished the newest finished run of the trial's current configuration
 * @param outdated finished runs of another configuration (the base file or the sweep's overrides changed since)
 */
public record TrialRuns(List<Path> attempts, Optional<Path> finished, List<Path> outdated) {
    public static final String CONFIG = "config.resolved.yaml";

    /**
     * Scans {@code runParent}.
     *
     * @param expected the trial's resolved configuration ({@code config.resolved.yaml} of its runs), or null to accept any
     */
    public static TrialRuns scan(Path runParent, String expected) throws IOException {
        List<Path> all = new ArrayList<>();
        if (Files.isDirectory(runParent)) {
            try (Stream<Path> s = Files.list(runParent)) {
                all.addAll(s.filter(Files::isDirectory).sorted().toList());
            }
        }
        JsonNode want = expected == null ? null : comparable(expected);
        Path finished = null;
        List<Path> outdated = new ArrayList<>();
        for (Path p : all) {
            if (!Files.exists(p.resolve(RunFolder.SUMMARY))) {
                continue;
            }
            JsonNode had = config(p);
            if (want == null || had == null || !conflicts(want, had)) {
                finished = p;
            } else {
                outdated.add(p);
            }
        }
        return new TrialRuns(List.copyOf(all), Optional.ofNullable(finished), List.copyOf(outdated));
    }

    /** finished, failed (the last attempt failed), interrupted (the last attempt stopped while running) or pending. */
    public String status() {
        if (finished.isPresent()) {
            return "finished";
        }
        Optional<Path> last = latest();
        if (last.isEmpty() || outdated.contains(last.get())) {
            return "pending";
        }
        return Files.exists(last.get().resolve(RunFolder.FAILED)) ? "failed" : "interrupted";
    }

    /** The run folder that speaks for the trial: the finished one, else the newest attempt. */
    public Optional<Path> folder() {
        return finished.isPresent() ? finished : latest();
    }

    public Optional<Path> latest() {
        return attempts.isEmpty() ? Optional.empty() : Optional.of(attempts.get(attempts.size() - 1));
    }

    /** Whether two configuration trees disagree on a setting both record (maps are compared on their common keys). */
    static boolean conflicts(JsonNode a, JsonNode b) {
        if (a.isObject() && b.isObject()) {
            for (var it = a.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (b.has(k) && conflicts(a.get(k), b.get(k))) {
                    return true;
                }
            }
            return false;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return true;
            }
            for (int i = 0; i < a.size(); i++) {
                if (conflicts(a.get(i), b.get(i))) {
                    return true;
                }
            }
            return false;
        }
        if (a.isNumber() && b.isNumber()) {
            return a.asDouble() != b.asDouble();
        }
        return !a.equals(b);
    }

    private static JsonNode config(Path runFolder) {
        try {
            return comparable(Files.readString(runFolder.resolve(CONFIG)));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The resolved configuration as a tree, without {@code output}: a sweep folder that moved is still the same sweep. */
    private static JsonNode comparable(String yaml) {
        try {
            JsonNode n = ConfigBinder.mapper().readTree(yaml);
            if (n instanceof ObjectNode o) {
                o.remove("output");
            }
            return n;
        } catch (IOException e) {
            return null;
        }
    }
}

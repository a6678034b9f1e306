package org.sparselab.core.report;

import com.fasterxml.jackson.databind.JsonNode;
import org.sparselab.api.data.DataSource;
import org.sparselab.api.data.Split;
import org.sparselab.core.run.RunFolder;
import org.sparselab.core.run.RunState;
import org.sparselab.core.util.AtomicFiles;
import org.sparselab.core.util.Json;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The plots of a run ({@code plots/*.png}: training curves per metric and split, learned atoms, input and
 * reconstruction pairs, unit activity, the model's own figures) and {@code report.html}: one self-contained
 * page with config, provenance, metrics, figures, probe tables and export checks. Written at the end of every
 * run and again by {@code sparselab report}; each time the plots are drawn anew.
 */
public final class RunReport {

    private RunReport() {
    }

    /** Redraws the report of an opened run folder (finished, or not) from what the folder holds. */
    public static Path write(RunState state) throws IOException {
        return write(state, null);
    }

    /**
     * Draws every figure and writes report.html; returns the report's path.
     *
     * @param summary the summary about to be written, when the run itself calls this just before it finishes;
     *                null to read {@code summary.json} from the folder
     */
    public static Path write(RunState state, Map<String, Object> summary) throws IOException {
        RunFolder f = state.folder();
        JsonNode sum = summary != null ? Json.mapper().valueToTree(summary) : readSummary(f);
        String status = summary != null || f.finished() ? "finished" : Files.exists(f.resolve(RunFolder.FAILED)) ? "failed" : "running";
        String modelId = state.run().model().spec().id();
        ReportPage.Header head = new ReportPage.Header(state.run().name(), modelId, state.run().dataset().spec().id(), status, f.dir());
        DataSource data = state.data();
        Split test = data.hasSplit("test") ? data.split("test") : data.split(data.splitNames().get(0));
        return write(head, sum, new ModelPlots.Input(modelId, data.spec(), test, state.model(), state.manager()));
    }

    /** The report of a folder; {@code model} null draws only what the files hold (curves, tables). */
    static Path write(ReportPage.Header head, JsonNode summary, ModelPlots.Input model) throws IOException {
        Path dir = head.folder();
        Path plots = dir.resolve("plots");
        clearPlots(plots);
        PngFigures fig = new PngFigures(plots);
        List<String> failures = new ArrayList<>();
        Curves.Rows rows = Curves.read(dir.resolve("metrics.jsonl"));
        fig.section(ReportPage.CURVES);
        for (String metric : rows.metrics()) {
            ModelPlots.attempt("curve of " + metric, failures, () -> Curves.draw(fig, rows, metric));
        }
        if (model != null) {
            ModelPlots.draw(fig, model, failures);
        }
        Path html = dir.resolve("report.html");
        AtomicFiles.writeString(html, ReportPage.html(head, summary, rows, fig.written(), failures));
        return html;
    }

    private static JsonNode readSummary(RunFolder f) {
        Path s = f.resolve(RunFolder.SUMMARY);
        try {
            return Files.exists(s) ? Json.mapper().readTree(s.toFile()) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Plots of an earlier report go, so plots/ holds exactly what this report shows. */
    private static void clearPlots(Path plots) throws IOException {
        if (!Files.isDirectory(plots)) {
            return;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(plots, "*.png")) {
            for (Path p : s) {
                Files.deleteIfExists(p);
            }
        }
    }
}

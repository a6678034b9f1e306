package org.sparselab.core.sweep;

import org.sparselab.core.config.ResolvedRun;

import java.nio.file.Path;
import java.util.Map;

/**
 * One trial of a sweep, validated against the plugins.
 *
 * @param id made of its swept values, e.g. {@code k=5} or {@code units=500,lr=0.001}; also the run's name
 * @param values swept key (canonical) to value
 * @param runFile the trial's run file in the sweep folder
 * @param yaml the run file's content
 * @param run the resolved run (what the trial's process will resolve from the same file)
 */
public record Trial(String id, Map<String, Object> values, Path runFile, String yaml, ResolvedRun run) {
}

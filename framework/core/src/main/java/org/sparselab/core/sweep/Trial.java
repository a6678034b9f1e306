package org.sparselab.core.sweep;

import java.nio.file.Path;
import java.util.Map;

/**
 * One trial of a sweep: an id made of its swept values, those values, and its run file.
 *
 * @param id e.g. {@code k=5} or {@code units=500,lr=0.001}
 * @param values swept key → value
 * @param runFile the trial's run file, written into the sweep folder
 * @param yaml the run file's content
 */
public record Trial(String id, Map<String, Object> values, Path runFile, String yaml) {
}

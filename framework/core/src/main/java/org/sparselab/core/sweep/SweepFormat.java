package org.sparselab.core.sweep;

import org.sparselab.core.UserException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * A kind of sweep file. Every format reads into the same {@link SweepSpec}, so expansion, validation against the
 * plugins, execution, resume and the summary are shared. The YAML sweep file is the standard format; others adapt
 * a method's own tuning files (for instance {@link FlagGridFormat} for a JSON map of flags to value lists).
 */
public interface SweepFormat {

    /** Whether this format reads {@code file} (by its name, extension or content). */
    boolean reads(Path file, String text);

    /** Reads the sweep; configuration errors are {@link org.sparselab.core.config.ConfigError}s naming file and line. */
    SweepSpec read(Path file, String text);

    /** Reads {@code file} with the first of {@code formats} that accepts it, else as a YAML sweep file. */
    static SweepSpec read(Path file, List<SweepFormat> formats) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new UserException("sweep file not found: " + file);
        } catch (IOException e) {
            throw new UserException("cannot read sweep file " + file + ": " + e.getMessage(), e);
        }
        for (SweepFormat f : formats) {
            if (f.reads(file, text)) {
                return f.read(file, text);
            }
        }
        return new YamlSweepFormat().read(file, text);
    }
}

package org.sparselab.core.run;

import org.sparselab.core.UserException;
import org.sparselab.core.util.AtomicFiles;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/**
 * A run's own new folder, {@code <root>/<name>/<yyyyMMdd-HHmmss>-<id>/}. It is never reused: creation fails
 * rather than enter an existing folder. While the run works the folder holds {@code RUNNING}; a finished run
 * has {@code summary.json}; a failed one {@code FAILED} with the reason. Files are written atomically.
 */
public final class RunFolder {
    public static final String RUNNING = "RUNNING";
    public static final String FAILED = "FAILED";
    public static final String SUMMARY = "summary.json";

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Path dir;

    private RunFolder(Path dir) {
        this.dir = dir;
    }

    public static RunFolder create(Path outputRoot, String runName) {
        Path parent = outputRoot.resolve(runName).toAbsolutePath().normalize();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new UserException("cannot create the output folder " + parent + " (" + reason(e)
                    + "); choose a writable one with 'output:' in the run file, --output, or SPARSELAB_OUTPUT", e);
        }
        if (!Files.isWritable(parent)) {
            throw new UserException("the output folder " + parent + " is not writable; choose another with 'output:' in the run file, --output, or SPARSELAB_OUTPUT");
        }
        for (int attempt = 0; attempt < 20; attempt++) {
            byte[] id = new byte[3];
            RANDOM.nextBytes(id);
            Path dir = parent.resolve(LocalDateTime.now().format(STAMP) + "-" + HexFormat.of().formatHex(id));
            try {
                Files.createDirectory(dir);
                RunFolder f = new RunFolder(dir);
                AtomicFiles.writeString(dir.resolve(RUNNING), "pid " + ProcessHandle.current().pid() + "\n");
                return f;
            } catch (FileAlreadyExistsException e) {
                // another run took this name in the same second: draw another id
            } catch (IOException e) {
                throw new UserException("cannot create a run folder under " + parent + " (" + reason(e) + ")", e);
            }
        }
        throw new UserException("could not find a free run folder name under " + parent);
    }

    /** Opens an existing run folder (for export, probe, report). */
    public static RunFolder open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UserException("not a run folder: " + dir + " does not exist or is not a folder");
        }
        return new RunFolder(dir.toAbsolutePath().normalize());
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    public Path dir() {
        return dir;
    }

    public Path resolve(String name) {
        return dir.resolve(name);
    }

    public void write(String name, String text) throws IOException {
        AtomicFiles.writeString(dir.resolve(name), text);
    }

    public boolean finished() {
        return Files.exists(dir.resolve(SUMMARY));
    }

    /** Marks success: the summary is written last, then the RUNNING marker goes. */
    public void finish(String summaryJson) throws IOException {
        write(SUMMARY, summaryJson);
        Files.deleteIfExists(dir.resolve(RUNNING));
    }

    /** Marks failure with the reason; never throws. */
    public void fail(String reason) {
        try {
            write(FAILED, reason + "\n");
            Files.deleteIfExists(dir.resolve(RUNNING));
        } catch (IOException ignored) {
            // the folder itself may be gone; the CLI reports the reason anyway
        }
    }
}

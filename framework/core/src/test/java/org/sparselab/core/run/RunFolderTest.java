package org.sparselab.core.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparselab.core.UserException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunFolderTest {
    @Test
    void everyRunGetsANewFolderAndMarkersTellItsState(@TempDir Path root) throws IOException {
        Set<Path> seen = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            RunFolder f = RunFolder.create(root, "r");
            assertTrue(seen.add(f.dir()), "folders are never reused");
            assertTrue(Files.exists(f.resolve(RunFolder.RUNNING)));
        }
        RunFolder ok = RunFolder.create(root, "r");
        ok.finish("{}");
        assertTrue(ok.finished());
        assertFalse(Files.exists(ok.resolve(RunFolder.RUNNING)));
        RunFolder bad = RunFolder.create(root, "r");
        bad.fail("boom");
        assertEquals("boom\n", Files.readString(bad.resolve(RunFolder.FAILED)));
        assertFalse(bad.finished());
    }

    @Test
    void anOutputRootThatCannotBeCreatedIsAUserError(@TempDir Path root) throws IOException {
        Path file = Files.writeString(root.resolve("f"), "x");
        UserException e = assertThrows(UserException.class, () -> RunFolder.create(file.resolve("sub"), "r"));
        assertTrue(e.getMessage().contains("cannot create the output folder"), e.getMessage());
    }

    @Test
    void atomicWritesLeaveNoTemporaryFiles(@TempDir Path root) throws IOException {
        RunFolder f = RunFolder.create(root, "r");
        f.write("a/b.txt", "hello");
        f.write("a/b.txt", "again");
        assertEquals("again", Files.readString(f.resolve("a/b.txt")));
        try (var s = Files.list(f.resolve("a"))) {
            assertEquals(1, s.count());
        }
    }
}

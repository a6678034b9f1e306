package org.sparselab.api.tool;

import org.junit.jupiter.api.Test;
import org.sparselab.api.config.ConfigException;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ToolArgsTest {

    @Test
    void parsesPositionalsOptionsAndFlags() {
        ToolArgs a = ToolArgs.parse("sdm", List.of("circle", "--n", "1000", "--d=0.1,0.2", "--exact", "-5", "--", "--raw"),
                Set.of("exact"));
        assertEquals(List.of("circle", "-5", "--raw"), a.positionals());
        assertEquals(1000, a.intValue("n", 64));
        assertEquals(List.of(0.1, 0.2), a.doubles("d", List.of()));
        assertTrue(a.flag("exact"));
        assertFalse(a.flag("plot"));
        assertEquals(7.5, a.doubleValue("beta", 7.5));
        a.finish();
    }

    @Test
    void errorsNameTheOptionAndWhatIsAccepted() {
        ToolArgs a = ToolArgs.parse("sdm", List.of("--n", "ten", "--nn", "3"), Set.of());
        ConfigException e = assertThrows(ConfigException.class, () -> a.intValue("n", 1));
        assertTrue(e.getMessage().contains("--n = ten") && e.getMessage().contains("an integer"), e.getMessage());
        ConfigException u = assertThrows(ConfigException.class, a::finish);
        assertTrue(u.getMessage().contains("--nn") && u.getMessage().contains("accepted: --n"), u.getMessage());
        assertThrows(ConfigException.class, () -> ToolArgs.parse("sdm", List.of("--n"), Set.of()));
        assertThrows(ConfigException.class, () -> ToolArgs.parse("sdm", List.of("--n", "1", "--n", "2"), Set.of()));
        assertThrows(ConfigException.class, () -> a.positional(0, "subcommand"));
    }
}

package io.sharemirror.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sharemirror.config.ConfigException.Problem;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigExceptionTest {

    private static final Path FILE = Path.of("/etc/sharemirror/config.yaml");

    @Test
    void rendersFileLinePathAndMessage() {
        Problem p = new Problem(FILE, 12, "databases[1].sync_interval", "\"abc\" is not a number");
        assertEquals("config.yaml:12: databases[1].sync_interval: \"abc\" is not a number", p.render());
    }

    @Test
    void leavesOutUnknownLineAndPath() {
        assertEquals("config.yaml: file not found: /x/config.yaml",
                new Problem(FILE, 0, "", "file not found: /x/config.yaml").render());
        assertEquals("config.yaml:3: YAML syntax error", new Problem(FILE, 3, null, "YAML syntax error").render());
    }

    @Test
    void messageHasOneLinePerProblemAndTheListIsImmutable() {
        ConfigException e = new ConfigException(List.of(
                new Problem(FILE, 1, "a", "first"), new Problem(FILE, 2, "b", "second")));
        assertEquals(List.of("config.yaml:1: a: first", "config.yaml:2: b: second"), e.getMessage().lines().toList());
        assertThrows(UnsupportedOperationException.class, () -> e.problems().add(new Problem(FILE, 3, "", "x")));
    }

    @Test
    void needsAtLeastOneProblem() {
        assertThrows(IllegalArgumentException.class, () -> new ConfigException(List.of()));
    }
}

package io.sharemirror.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Whatever the text, parsing either returns a whole configuration or throws ConfigException with
 * problems that point into the file; never another exception. Texts are built from YAML-ish pieces
 * with a fixed seed, so a failure is reproducible.
 */
class ConfigLoaderFuzzTest {

    private static final Path FILE = Path.of("/nonexistent-sharemirror-test/config.yaml");

    private static final List<String> PIECES = List.of(
            "database:\n", "databases:\n", "  - ", "  ", "    ", "name: a", "name: A", "path: /x.db",
            "path: //s/h/x.db", "sync_interval: ", "enable_cache: ", "conflict: ", "tables:", "include: [a, b]",
            "exclude: [a]", "thread_pool_size: ", "retry_max_delay: ", "30", "0.5", "-1", "abc", "[1, 2]",
            "{a: 1}", "&x ", "*x", "!!str ", "!foo ", "!!java.lang.Runtime ", "\"q\"", "'", "~", "\n", ": ",
            "#c\n", "<<: ", "---\n", "\t", "? ", "|\n", "%YAML 1.1\n", "\u00e9", "\u0000");

    @Test
    void anyTextLoadsOrFailsWithProblems() {
        Random random = new Random(20240611L);
        for (int i = 0; i < 3000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = random.nextInt(31);
            for (int j = 0; j < n; j++) {
                sb.append(PIECES.get(random.nextInt(PIECES.size())));
            }
            String text = sb.toString();
            try {
                AppConfig config = ConfigLoader.parse(text, FILE);
                assertFalse(config.databases().isEmpty(), text);
            } catch (ConfigException e) {
                assertFalse(e.problems().isEmpty(), text);
                long lines = text.lines().count() + 1;
                e.problems().forEach(p -> {
                    assertTrue(p.line() >= 0 && p.line() <= lines, () -> p.render() + "\n--- text:\n" + text);
                    assertFalse(p.message().isBlank(), () -> p.render() + "\n--- text:\n" + text);
                });
            } catch (RuntimeException e) {
                fail("unexpected " + e + " for text:\n" + text, e);
            }
        }
    }
}

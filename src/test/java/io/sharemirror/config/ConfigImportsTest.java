package io.sharemirror.config;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Design §2: config imports no java.sql, java.awt or javax.swing, and does not depend on platform. */
class ConfigImportsTest {

    private static final Pattern FORBIDDEN = Pattern.compile(
            "^\\s*import\\s+(static\\s+)?(java\\.sql|javax\\.sql|org\\.sqlite|java\\.awt|javax\\.swing"
                    + "|io\\.sharemirror\\.platform|io\\.sharemirror\\.app)\\b.*$",
            Pattern.MULTILINE);

    @Test
    void noForbiddenImports() throws IOException {
        Path dir = Path.of("src/main/java/io/sharemirror/config");
        List<Path> sources;
        try (Stream<Path> s = Files.list(dir)) {
            sources = s.filter(p -> p.toString().endsWith(".java")).toList();
        }
        assertFalse(sources.isEmpty(), "no sources found in " + dir.toAbsolutePath());
        for (Path p : sources) {
            var m = FORBIDDEN.matcher(Files.readString(p));
            assertFalse(m.find(), () -> p + ": " + m.group());
        }
    }
}

package io.sharemirror.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Design §2: platform touches no JDBC and no Swing (AWT only for Desktop). */
class PlatformImportsTest {

    private static final Pattern FORBIDDEN = Pattern.compile(
            "^\\s*import\\s+(static\\s+)?(java\\.sql|javax\\.sql|org\\.sqlite|javax\\.swing)\\b.*$",
            Pattern.MULTILINE);

    @Test
    void noJdbcOrSwingImports() throws IOException {
        Path dir = Path.of("src/main/java/io/sharemirror/platform");
        List<Path> sources;
        try (Stream<Path> s = Files.list(dir)) {
            sources = s.filter(p -> p.toString().endsWith(".java")).toList();
        }
        assertFalse(sources.isEmpty(), "no sources found in " + dir.toAbsolutePath());
        for (Path p : sources) {
            var m = FORBIDDEN.matcher(Files.readString(p));
            assertFalse(m.find(), () -> p + ": " + m.group());
        }
        assertEquals(List.of(), sources.stream().filter(p -> p.getFileName().toString().contains(" ")).toList());
    }
}

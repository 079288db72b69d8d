package io.sharemirror;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md §2: the engine, status model and config are plain Java; only store touches JDBC; only ui (and platform,
 * for Desktop) touches AWT/Swing. Scans the import lines of every main source file.
 *
 * <p>One addition: {@code driver}, the JDBC driver applications load. A java.sql.Driver must speak java.sql, and it
 * must read the config and decide mirrored-or-direct as the agent does, which store may not (it knows no config or
 * platform); so it is a small package of its own between them, like app a composition root, but for applications:
 * java.sql and config, platform and store, never sqlite-jdbc or the pool directly (store makes every connection), nor
 * the engine, the status model or the UI. Only app may use it.
 */
class LayeringTest {

    private static final Path ROOT = Path.of("src/main/java/io/sharemirror");
    /** Beyond java.sql, what only store may import: sqlite-jdbc and the pool make every connection there. */
    private static final String STORE_ONLY =
            "javax\\.sql|org\\.sqlite|org\\.apache\\.commons\\.dbcp2|org\\.apache\\.commons\\.pool2";
    private static final String JDBC = "java\\.sql|" + STORE_ONLY;
    private static final String GUI = "java\\.awt|javax\\.swing|com\\.formdev";

    /** Package (relative to io.sharemirror) to the imports it must not have. */
    private static final Map<String, String> FORBIDDEN = Map.of(
            "sync", JDBC + "|" + GUI + "|io\\.sharemirror\\.(store|app|ui|config|platform|driver)",
            "status", JDBC + "|" + GUI + "|io\\.sharemirror\\.(store|sync|app|ui|config|platform|driver)",
            "config", JDBC + "|" + GUI + "|io\\.sharemirror\\.(store|app|ui|platform|status|driver)",
            "platform", JDBC + "|javax\\.swing|com\\.formdev|io\\.sharemirror\\.(store|app|ui|sync|driver)",
            "store", GUI + "|io\\.sharemirror\\.(app|ui|config|platform|driver)",
            "driver", STORE_ONLY + "|" + GUI + "|io\\.sharemirror\\.(app|ui|sync|status)",
            "app", JDBC + "|" + GUI,
            // The UI renders status and sync records and calls AgentControl; it never reaches storage or the app.
            "ui", JDBC + "|io\\.sharemirror\\.(store|app|driver)");

    @Test
    void packagesImportOnlyWhatTheDesignAllows() throws IOException {
        List<String> violations = new ArrayList<>();
        int scanned = 0;
        for (var rule : FORBIDDEN.entrySet()) {
            Pattern forbidden = Pattern.compile("^import\\s+(static\\s+)?((" + rule.getValue() + ")\\b[\\w.*]*);",
                    Pattern.MULTILINE);
            Path dir = ROOT.resolve(rule.getKey());
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    scanned++;
                    Matcher m = forbidden.matcher(Files.readString(file));
                    while (m.find()) {
                        violations.add(ROOT.relativize(file) + " imports " + m.group(2));
                    }
                }
            }
        }
        assertFalse(scanned < 20, "scanned only " + scanned + " files under " + ROOT.toAbsolutePath());
        assertEquals(List.of(), violations);
    }

    @Test
    void theRuleCatchesAForbiddenImport() {
        Pattern forbidden = Pattern.compile("^import\\s+(static\\s+)?((" + FORBIDDEN.get("sync")
                + ")\\b[\\w.*]*);", Pattern.MULTILINE);
        assertTrue(forbidden.matcher("package x;\nimport java.sql.Connection;\n").find());
        assertFalse(forbidden.matcher("package x;\nimport java.util.List;\n").find());
    }
}

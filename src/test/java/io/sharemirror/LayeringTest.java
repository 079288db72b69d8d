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
 *
 * <p>The session bus (D-Bus: the StatusNotifierItem tray icon, its menu, notifications) is part of the desktop face,
 * so it lives in the UI, in {@code ui.freedesktop}, which may not touch Swing or AWT: the rest of the UI renders the
 * icons and describes the menu ({@code ui.menu}), and the protocol code only carries them.
 */
class LayeringTest {

    private static final Path ROOT = Path.of("src/main/java/io/sharemirror");
    /** Beyond java.sql, what only store may import: sqlite-jdbc and the pool make every connection there. */
    private static final String STORE_ONLY =
            "javax\\.sql|org\\.sqlite|org\\.apache\\.commons\\.dbcp2|org\\.apache\\.commons\\.pool2";
    private static final String JDBC = "java\\.sql|" + STORE_ONLY;
    private static final String GUI = "java\\.awt|javax\\.swing|com\\.formdev";
    /** The session bus (dbus-java): only the UI's desktop integration speaks it. */
    private static final String DBUS = "org\\.freedesktop\\.dbus";

    /** Package (relative to io.sharemirror) to the imports it must not have. */
    private static final Map<String, String> FORBIDDEN = Map.of(
            "sync", JDBC + "|" + GUI + "|" + DBUS + "|io\\.sharemirror\\.(store|app|ui|config|platform|driver)",
            "status", JDBC + "|" + GUI + "|" + DBUS + "|io\\.sharemirror\\.(store|sync|app|ui|config|platform|driver)",
            "config", JDBC + "|" + GUI + "|" + DBUS + "|io\\.sharemirror\\.(store|app|ui|platform|status|driver)",
            "platform", JDBC + "|javax\\.swing|com\\.formdev|" + DBUS + "|io\\.sharemirror\\.(store|app|ui|sync|driver)",
            "store", GUI + "|" + DBUS + "|io\\.sharemirror\\.(app|ui|config|platform|driver)",
            "driver", STORE_ONLY + "|" + GUI + "|" + DBUS + "|io\\.sharemirror\\.(app|ui|sync|status)",
            "app", JDBC + "|" + GUI + "|" + DBUS,
            // The UI renders status and sync records and calls AgentControl; it never reaches storage or the app.
            "ui", JDBC + "|io\\.sharemirror\\.(store|app|driver)",
            // Inside it, the tray menu's description is plain Java, drawn by Swing and exported over D-Bus alike...
            "ui/menu", JDBC + "|" + GUI + "|" + DBUS + "|io\\.sharemirror\\.(store|app|driver|ui\\.[A-Z]\\w*)",
            // ...and the freedesktop protocols carry pixels and menu entries the rest of the UI hands them.
            "ui/freedesktop", JDBC + "|" + GUI + "|io\\.sharemirror\\.(store|app|driver|sync|config|platform|ui\\.[A-Z]\\w*)");

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
        Pattern freedesktop = Pattern.compile("^import\\s+(static\\s+)?((" + FORBIDDEN.get("ui/freedesktop")
                + ")\\b[\\w.*]*);", Pattern.MULTILINE);
        assertTrue(freedesktop.matcher("import io.sharemirror.ui.TrayMenu;\n").find());
        assertTrue(freedesktop.matcher("import javax.swing.JMenu;\n").find());
        assertFalse(freedesktop.matcher("import io.sharemirror.ui.menu.MenuEntry;\n").find());
        assertFalse(freedesktop.matcher("import org.freedesktop.dbus.types.Variant;\n").find());
        Pattern forbidden = Pattern.compile("^import\\s+(static\\s+)?((" + FORBIDDEN.get("sync")
                + ")\\b[\\w.*]*);", Pattern.MULTILINE);
        assertTrue(forbidden.matcher("package x;\nimport java.sql.Connection;\n").find());
        assertFalse(forbidden.matcher("package x;\nimport java.util.List;\n").find());
    }
}

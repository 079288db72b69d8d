package io.sharemirror;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * ARCHITECTURE.md#packages: the engine, status model and config are plain Java; only store touches JDBC; only ui (and platform,
 * for Desktop) touches AWT/Swing; no package reaches back up toward app. Checked with ArchUnit on the compiled main
 * classes, so every dependency counts (a fully qualified name, a field, a call, a lambda), not only import lines.
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

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.sharemirror");

    /**
     * Beyond java.sql, what only store may use: sqlite-jdbc and the pool make every connection there, and so will
     * PostgreSQL's driver for a PostgreSQL hub (issue 17).
     */
    private static final String[] STORE_ONLY = {"javax.sql..", "org.sqlite..", "org.apache.commons.dbcp2..",
            "org.apache.commons.pool2..", "org.postgresql.."};
    private static final String[] JDBC = with(STORE_ONLY, "java.sql..");
    private static final String[] GUI = {"java.awt..", "javax.swing..", "com.formdev.."};
    /** The session bus (dbus-java): only the UI's desktop integration speaks it. */
    private static final String[] DBUS = {"org.freedesktop.dbus.."};

    /** Each package of io.sharemirror (with its subpackages) and what it must not depend on. */
    private static final List<ArchRule> RULES = List.of(
            // The JSON codec is a leaf: plain Java, for the engine, storage, the UI and the app.
            rule("json", JDBC, GUI, DBUS, ours("sync", "status", "config", "store", "platform", "driver", "ui", "app",
                    "paths")),
            rule("sync", JDBC, GUI, DBUS, ours("store", "app", "ui", "config", "platform", "driver")),
            rule("status", JDBC, GUI, DBUS, ours("store", "sync", "app", "ui", "config", "platform", "driver", "json",
                    "paths")),
            rule("config", JDBC, GUI, DBUS, ours("store", "app", "ui", "platform", "status", "driver", "json")),
            // The shapes of path texts (UNC, drive, home), which config, platform and store must read alike.
            rule("paths", JDBC, GUI, DBUS, ours("store", "app", "ui", "platform", "status", "driver", "sync",
                    "config", "json")),
            // platform may use java.awt.Desktop (open a folder, a log), nothing else of the GUI.
            rule("platform", JDBC, new String[] {"javax.swing..", "com.formdev.."}, DBUS,
                    ours("store", "app", "ui", "sync", "driver", "json")),
            rule("store", GUI, DBUS, ours("app", "ui", "config", "platform", "driver")),
            rule("driver", STORE_ONLY, GUI, DBUS, ours("app", "ui", "sync", "status", "json")),
            rule("app", JDBC, GUI, DBUS),
            // The UI renders status and sync records and calls AgentControl; it never reaches storage or the app.
            rule("ui", JDBC, ours("store", "app", "driver")),
            // Inside it, the tray menu's description is plain Java, drawn by Swing and exported over D-Bus alike...
            rule("ui.menu", JDBC, GUI, DBUS, ours("store", "app", "driver", "json"),
                    new String[] {"io.sharemirror.ui"}),
            // ...and the freedesktop protocols carry pixels and menu entries the rest of the UI hands them.
            rule("ui.freedesktop", JDBC, GUI, ours("store", "app", "driver", "sync", "config", "platform", "json"),
                    new String[] {"io.sharemirror.ui"}));

    @Test
    void packagesDependOnlyOnWhatTheDesignAllows() {
        assertTrue(MAIN.size() > 150, "imported only " + MAIN.size() + " main classes");
        List<String> violations = new ArrayList<>();
        for (ArchRule rule : RULES) {
            var result = rule.evaluate(MAIN);
            if (result.hasViolation()) {
                violations.add(result.getFailureReport().toString());
            }
        }
        assertTrue(violations.isEmpty(), String.join("\n", violations));
    }

    /** What the rules above leave open still may not loop: no two top-level packages depend on each other. */
    @Test
    void noCycleBetweenPackages() {
        slices().matching("io.sharemirror.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    /** A rule sees a dependency no import line shows, and leaves alone what it does not name. */
    @Test
    void aRuleCatchesADependencyWithoutAnImport() {
        JavaClasses samples = new ClassFileImporter().importClasses(ReachesJdbc.class, PlainJava.class);
        ArchRule noJdbc = noClasses().that().haveSimpleNameEndingWith("Jdbc").should().dependOnClassesThat()
                .resideInAnyPackage(JDBC);
        assertTrue(noJdbc.evaluate(samples).hasViolation());
        ArchRule noJdbcInPlainJava = noClasses().that().haveSimpleNameEndingWith("PlainJava").should()
                .dependOnClassesThat().resideInAnyPackage(JDBC);
        assertFalse(noJdbcInPlainJava.evaluate(samples).hasViolation());
    }

    /** Uses java.sql by its full name, as a class that slipped past an import scan would. */
    private static final class ReachesJdbc {
        int timeout() throws java.sql.SQLException {
            return java.sql.DriverManager.getLoginTimeout();
        }
    }

    private static final class PlainJava {
        int size() {
            return List.of().size();
        }
    }

    private static ArchRule rule(String pkg, String[]... forbidden) {
        String[] all = Stream.of(forbidden).flatMap(Stream::of).toArray(String[]::new);
        return noClasses().that().resideInAPackage("io.sharemirror." + pkg + "..").should().dependOnClassesThat()
                .resideInAnyPackage(all).as(pkg + " depends on none of " + String.join(", ", all));
    }

    private static String[] ours(String... packages) {
        return Stream.of(packages).map(p -> "io.sharemirror." + p + "..").toArray(String[]::new);
    }

    private static String[] with(String[] packages, String more) {
        return Stream.concat(Stream.of(packages), Stream.of(more)).toArray(String[]::new);
    }
}

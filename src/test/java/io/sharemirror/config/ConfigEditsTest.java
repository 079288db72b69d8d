package io.sharemirror.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.sync.MirrorMode;
import io.sharemirror.sync.conflict.ConflictPolicy;
import io.sharemirror.sync.conflict.MergeMode;
import io.sharemirror.sync.conflict.TablePolicies;
import io.sharemirror.sync.conflict.TablePolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Add, Edit and Remove Database as edits of the config text: only the database's own lines change. */
class ConfigEditsTest {

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("config.yaml");
    }

    private String cache() {
        return "  cache_directory: " + dir.resolve("cache") + "\n";
    }

    private static DatabaseDraft draft(String name, String path, int seconds) {
        return new DatabaseDraft(name, path, Duration.ofSeconds(seconds), EnableCache.AUTO, ConflictPolicy.NEWEST_WINS,
                MirrorMode.READ_WRITE);
    }

    private AppConfig parse(String text) throws ConfigException {
        return ConfigLoader.parse(text, file());
    }

    @Test
    void aNewFileNamesOnlyWhatDiffersFromTheDefaults() throws Exception {
        String text = ConfigEdits.newFile(file(), draft("orders", "/srv/share/orders.db", 30));
        assertTrue(text.startsWith(ConfigEdits.HEADER), text);
        assertTrue(text.endsWith("databases:\n  - name: orders\n    path: /srv/share/orders.db\n"), text);
        DatabaseConfig db = parse(text).database("orders").orElseThrow();
        assertEquals("/srv/share/orders.db", db.location());
        assertEquals(Duration.ofSeconds(30), db.syncInterval());

        String readOnly = ConfigEdits.newFile(file(), new DatabaseDraft("prices", "/srv/prices.db",
                Duration.ofMinutes(5), EnableCache.TRUE, ConflictPolicy.HUB_WINS, MirrorMode.READ_ONLY));
        assertTrue(readOnly.endsWith("  - name: prices\n    path: /srv/prices.db\n    sync_interval: 300\n"
                + "    enable_cache: true\n    conflict: hub-wins\n    mode: read-only\n"), readOnly);
    }

    @Test
    void addingToTheShippedConfigKeepsEveryLineOfIt() throws Exception {
        String shipped = Files.readString(Path.of("config.yaml"));
        DatabaseDraft defaults = ConfigEdits.newEntryDefaults(shipped, Path.of("config.yaml").toAbsolutePath());
        assertEquals(EnableCache.TRUE, defaults.enableCache(), "the shipped config mirrors every database");
        String text = ConfigEdits.add(shipped, Path.of("config.yaml").toAbsolutePath(), new DatabaseDraft("orders",
                "//fileserver/team/orders.db", defaults.syncInterval(), defaults.enableCache(), defaults.conflict(),
                defaults.mode()));
        // The chinook entry's own comment lines stay with it: the new entry comes after them.
        assertEquals(shipped + "  - name: orders\n    path: //fileserver/team/orders.db\n", text);
        assertEquals(List.of("chinook", "orders"), ConfigLoader.parse(text, Path.of("config.yaml").toAbsolutePath())
                .databases().stream().map(DatabaseConfig::name).toList());
    }

    @Test
    void addingToTheSingleDatabaseLayoutStartsAListThatInheritsTheBlock() throws Exception {
        String before = "# mine\ndatabase:\n" + cache() + "  path: /srv/app.db   # the old one\n  sync_interval: 10\n";
        String text = ConfigEdits.add(before, file(), draft("orders", "/srv/orders.db", 10));
        assertEquals(before + "databases:\n  - name: orders\n    path: /srv/orders.db\n", text);
        assertEquals(Duration.ofSeconds(10), parse(text).database("orders").orElseThrow().syncInterval());
    }

    @Test
    void valuesThatAreNotPlainYamlAreQuoted() throws Exception {
        for (String path : List.of("/srv/a #1/x.db", "/srv/a: b.db", "\\\\server\\share\\it's.db", "'/q.db'", "@x.db")) {
            String text = ConfigEdits.newFile(file(), draft("x", path, 30));
            assertEquals(path, parse(text).database("x").orElseThrow().path(), text);
        }
        assertEquals("'12'", ConfigEdits.scalar("12"));
        assertEquals("\\\\server\\share\\x.db", ConfigEdits.scalar("\\\\server\\share\\x.db"));
    }

    @Test
    void aFlowListGetsAFlowEntry() throws Exception {
        String text = ConfigEdits.add("database:\n" + cache() + "databases: [{name: a, path: /a.db}]  # short\n", file(),
                draft("b", "/b.db", 30));
        assertTrue(text.endsWith("databases: [{name: a, path: /a.db}, {name: b, path: /b.db}]  # short\n"), text);
        String removed = ConfigEdits.remove(text, file(), "a");
        assertTrue(removed.endsWith("databases: [{name: b, path: /b.db}]  # short\n"), removed);
    }

    @Test
    void editingChangesTheValuesInPlaceAndAddsWhatWasNotWritten() throws Exception {
        String before = "database:\n" + cache() + "databases:\n"
                + "  - name: a\n    path: /a.db\n    sync_interval: 10   # fast\n    tables:\n      exclude: [log]\n"
                + "  # the second\n  - name: b\n    path: /b.db\n";
        DatabaseDraft a = DatabaseDraft.of(parse(before).database("a").orElseThrow());
        String text = ConfigEdits.change(before, file(), new DatabaseDraft("a", "/a.db", Duration.ofMinutes(1),
                a.enableCache(), ConflictPolicy.HUB_WINS, a.mode()));
        assertEquals("database:\n" + cache() + "databases:\n"
                + "  - name: a\n    path: /a.db\n    sync_interval: 60   # fast\n    tables:\n      exclude: [log]\n"
                + "    conflict: hub-wins\n"
                + "  # the second\n  - name: b\n    path: /b.db\n", text);
        assertEquals(ConflictPolicy.HUB_WINS, parse(text).database("a").orElseThrow().conflict());
        assertFalse(parse(text).database("a").orElseThrow().tables().accepts("log"), "the table filter is kept");
    }

    /** The dialog does not show per-table settings; saving it keeps them as written, comments and all. */
    @Test
    void editingKeepsPerTableSettingsAsWritten() throws Exception {
        String perTable = "    per_table:   # issue 13\n      stock_move: { conflict: hub-wins, merge: row }\n"
                + "      customer:\n        merge: column\n";
        String before = "database:\n" + cache() + "  path: /app.db\n  merge: column\n"
                + "  per_table: {log: {conflict: hub-wins}}\n"
                + "databases:\n  - name: a\n    path: /a.db\n    merge: column\n" + perTable
                + "  - name: b\n    path: /b.db\n";
        AppConfig parsed = parse(before);
        DatabaseDraft a = DatabaseDraft.of(parsed.database("a").orElseThrow());
        String text = ConfigEdits.change(before, file(), new DatabaseDraft("a", "/a.db", Duration.ofMinutes(1),
                a.enableCache(), ConflictPolicy.REPLICA_WINS, a.mode()));
        assertEquals("database:\n" + cache() + "  path: /app.db\n  merge: column\n"
                + "  per_table: {log: {conflict: hub-wins}}\n"
                + "databases:\n  - name: a\n    path: /a.db\n    merge: column\n" + perTable
                + "    sync_interval: 60\n    conflict: replica-wins\n"
                + "  - name: b\n    path: /b.db\n", text);
        TablePolicies policies = parse(text).database("a").orElseThrow().policies();
        assertEquals(new TablePolicy(ConflictPolicy.HUB_WINS, MergeMode.ROW), policies.of("stock_move"));
        assertEquals(new TablePolicy(ConflictPolicy.REPLICA_WINS, MergeMode.COLUMN), policies.of("customer"));
        assertEquals(new TablePolicy(ConflictPolicy.HUB_WINS, MergeMode.COLUMN), policies.of("log"));

        DatabaseDraft app = DatabaseDraft.of(parsed.database("app").orElseThrow());
        String block = ConfigEdits.change(before, file(), new DatabaseDraft("app", "/app.db", app.syncInterval(),
                app.enableCache(), ConflictPolicy.HUB_WINS, app.mode()));
        assertTrue(block.contains("  per_table: {log: {conflict: hub-wins}}\n  conflict: hub-wins\n"), block);
        assertEquals(parsed.database("b").orElseThrow().policies(), parse(block).database("b").orElseThrow().policies(),
                "the list's databases keep the policies they had");
    }

    @Test
    void editingTheBlocksOwnDatabaseKeepsWhatTheListInheritsFromIt() throws Exception {
        String before = "database:\n" + cache() + "  path: /app.db\n  sync_interval: 20\n"
                + "databases:\n  - name: b\n    path: /b.db\n  - name: c\n    path: /c.db\n    sync_interval: 5\n";
        DatabaseDraft app = DatabaseDraft.of(parse(before).database("app").orElseThrow());
        String text = ConfigEdits.change(before, file(), new DatabaseDraft("app", "/app.db", Duration.ofSeconds(90),
                app.enableCache(), app.conflict(), app.mode()));
        AppConfig after = parse(text);
        assertEquals(Duration.ofSeconds(90), after.database("app").orElseThrow().syncInterval());
        assertEquals(Duration.ofSeconds(20), after.database("b").orElseThrow().syncInterval(), text);
        assertEquals(Duration.ofSeconds(5), after.database("c").orElseThrow().syncInterval(), text);
        assertTrue(text.contains("  - name: b\n    path: /b.db\n    sync_interval: 20\n"), text);
    }

    @Test
    void removingTakesTheEntryAndItsCommentsAndLeavesTheRest() throws Exception {
        String a = "  - name: a\n    path: /a.db\n    # a's own note\n";
        String b = "  - name: b   # keep me\n    path: /b.db\n";
        String head = "# top\ndatabase:\n" + cache() + "\ndatabases:\n";
        String text = ConfigEdits.remove(head + a + b + "# the end\n", file(), "a");
        assertEquals(head + b + "# the end\n", text);
        String last = ConfigEdits.remove(text, file(), "b");
        assertEquals("# top\ndatabase:\n" + cache() + "\ndatabases: []\n# the end\n", last);
        assertEquals(List.of(), parse(last).databases());
    }

    @Test
    void removingTheBlocksOwnDatabaseKeepsItsDefaults() throws Exception {
        String text = ConfigEdits.remove("database:\n" + cache() + "  path: /app.db\n  sync_interval: 20\n", file(),
                "app");
        assertEquals("database:\n" + cache() + "  sync_interval: 20\ndatabases: []\n", text);
    }

    @Test
    void windowsLineBreaksAndAByteOrderMarkAreKept() throws Exception {
        String before = "\uFEFFdatabase:\r\n" + cache().replace("\n", "\r\n")
                + "databases:\r\n  - name: a\r\n    path: /a.db\r\n";
        String text = ConfigEdits.add(before, file(), draft("b", "/b.db", 30));
        assertEquals(before + "  - name: b\r\n    path: /b.db\r\n", text);
        assertEquals(before, ConfigEdits.remove(text, file(), "b"));
    }

    @Test
    void whatTheAgentWouldRefuseIsRefusedWithTheLoadersOwnMessage() throws Exception {
        String before = "database:\n" + cache() + "databases:\n  - name: a\n    path: /a.db\n";
        ConfigException reserved = assertThrows(ConfigException.class,
                () -> ConfigEdits.add(before, file(), draft("state", "/s.db", 30)));
        assertTrue(reserved.getMessage().contains("\"state\" is a reserved name"), reserved.getMessage());
        ConfigException twice = assertThrows(ConfigException.class,
                () -> ConfigEdits.add(before, file(), draft("b", "/a.db", 30)));
        assertTrue(twice.getMessage().contains("is the same database file as databases[0]"), twice.getMessage());
        ConfigException gone = assertThrows(ConfigException.class, () -> ConfigEdits.remove(before, file(), "zz"));
        assertEquals("config.yaml: there is no database named \"zz\" in the file (any more); configured: a",
                gone.getMessage());
        ConfigException broken = assertThrows(ConfigException.class,
                () -> ConfigEdits.add("databases: [\n", file(), draft("b", "/b.db", 30)));
        assertTrue(broken.getMessage().contains("YAML syntax error"), broken.getMessage());
    }
}

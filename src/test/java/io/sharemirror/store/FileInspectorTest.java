package io.sharemirror.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.share.ReadOnlyFolder;
import io.sharemirror.status.FileCheck;
import io.sharemirror.status.FileCheck.Topic;
import io.sharemirror.status.FileCheck.Verdict;
import io.sharemirror.sync.MirrorMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Add Database dialog's checks on real files: each answer, and nothing written to the file checked. */
class FileInspectorTest {

    @TempDir
    Path dir;

    private static FileCheck inspect(Path file, MirrorMode mode) {
        return FileInspector.inspect(file.toString(), mode, Duration.ofSeconds(2));
    }

    private static FileCheck.Finding finding(FileCheck check, Topic topic) {
        return check.findings().stream().filter(f -> f.topic() == topic).findFirst()
                .orElseThrow(() -> new AssertionError("no " + topic + " in " + check));
    }

    private static String text(FileCheck check) {
        return check.findings().stream().map(f -> f.topic() + " " + f.verdict() + ": " + f.text())
                .collect(Collectors.joining("\n"));
    }

    @Test
    void aGoodHubWithATableThatCannotBeMirrored() throws Exception {
        Path hub = dir.resolve("orders.db");
        Cluster.run(hub, "CREATE TABLE orders(id INTEGER PRIMARY KEY, item TEXT)", "CREATE TABLE lines(a, b)",
                "CREATE TABLE odd(rowid TEXT, _rowid_ TEXT, oid TEXT)", "CREATE VIRTUAL TABLE notes USING fts5(body)",
                "INSERT INTO orders VALUES(1, 'paper')");
        byte[] before = Files.readAllBytes(hub);
        FileCheck check = inspect(hub, MirrorMode.READ_WRITE);
        assertTrue(check.usable(), text(check));
        assertEquals("an SQLite database", finding(check, Topic.SQLITE).text());
        assertEquals(Verdict.GOOD, finding(check, Topic.ACCESS).verdict());
        assertTrue(finding(check, Topic.SIZE).text().matches("\\d+\\.?\\d* KB .*"), text(check));
        assertEquals("2 tables: lines, orders", finding(check, Topic.TABLES).text());
        String not = finding(check, Topic.NOT_MIRRORED).text();
        assertTrue(not.contains("odd (no primary key, and columns named rowid, _rowid_ and oid hide its row ids)"), not);
        assertTrue(not.contains("notes (a virtual table"), not);
        assertArrayEquals(before, Files.readAllBytes(hub), "the check writes nothing");
    }

    @Test
    void aTextFileIsNotAnSqliteDatabase() throws Exception {
        Path text = dir.resolve("orders.db");
        Files.writeString(text, "id,item\n1,paper\n".repeat(20));
        FileCheck check = inspect(text, MirrorMode.READ_WRITE);
        assertFalse(check.usable());
        assertEquals("not an SQLite database — check the path (it does not start the way every SQLite file does)",
                finding(check, Topic.SQLITE).text());
        Files.writeString(text, "");
        assertTrue(finding(inspect(text, MirrorMode.READ_WRITE), Topic.SQLITE).text().startsWith("the file is empty"));
    }

    @Test
    void aHubInWalModeIsAProblemWithTheCommandThatFixesIt() throws Exception {
        Path hub = dir.resolve("wal.db");
        Cluster.run(hub, "CREATE TABLE t(id INTEGER PRIMARY KEY)", "PRAGMA journal_mode = WAL");
        FileCheck check = inspect(hub, MirrorMode.READ_WRITE);
        assertFalse(check.usable());
        assertEquals(Verdict.PROBLEM, finding(check, Topic.JOURNAL).verdict());
        assertTrue(finding(check, Topic.JOURNAL).text().endsWith("`sqlite3 " + hub + " 'PRAGMA journal_mode=DELETE'`"),
                text(check));
    }

    @Test
    void aReadOnlyShareSuitsOnlyReadOnlyMode() throws Exception {
        Path share = Files.createDirectories(dir.resolve("share"));
        Path hub = share.resolve("prices.db");
        Cluster.run(hub, "CREATE TABLE prices(id INTEGER PRIMARY KEY, amount REAL)");
        try (ReadOnlyFolder readOnly = ReadOnlyFolder.of(share)) {
            FileCheck both = inspect(hub, MirrorMode.READ_WRITE);
            assertFalse(both.usable());
            assertTrue(finding(both, Topic.ACCESS).text().startsWith("read-only for this user: syncing both ways"),
                    text(both));
            FileCheck copy = inspect(hub, MirrorMode.READ_ONLY);
            assertTrue(copy.usable(), text(copy));
            assertEquals("read-only for this user: fine for mode read-only", finding(copy, Topic.ACCESS).text());
        }
    }

    @Test
    void aMissingFileIsOneMessageWhetherOrNotItsFolderIsThere() throws Exception {
        Path inFolder = Files.createDirectories(dir.resolve("share")).resolve("orders.db");
        Path noFolder = dir.resolve("unmounted").resolve("orders.db");
        String here = finding(inspect(inFolder, MirrorMode.READ_WRITE), Topic.REACHABLE).text();
        String gone = finding(inspect(noFolder, MirrorMode.READ_WRITE), Topic.REACHABLE).text();
        assertEquals("there is no file orders.db in " + inFolder.getParent() + " — check the path, and that the share is"
                + " mounted; ShareMirror never creates the shared database", here);
        assertEquals("there is no file orders.db in " + noFolder.getParent() + " (nor can that folder be read) — check"
                + " the path, and that the share is mounted; ShareMirror never creates the shared database", gone);
        assertFalse(Files.exists(inFolder), "never created");
        assertEquals(Verdict.PROBLEM, finding(inspect(dir, MirrorMode.READ_WRITE), Topic.REACHABLE).verdict());
    }

    @Test
    void aReplicaIsNotTheDatabaseOnTheShare() throws Exception {
        Path replica;
        Path hubFile;
        try (Cluster cluster = Cluster.withSchema(dir, "CREATE TABLE t(id INTEGER PRIMARY KEY)")) {
            var node = cluster.add(io.sharemirror.sync.conflict.ConflictPolicy.NEWEST_WINS);
            node.sync();
            replica = node.replica();
            hubFile = cluster.hub;
        }
        FileCheck check = inspect(replica, MirrorMode.READ_WRITE);
        assertFalse(check.usable(), text(check));
        assertTrue(text(check).contains("this is a ShareMirror replica"), text(check));
        FileCheck hub = inspect(hubFile, MirrorMode.READ_WRITE);
        assertTrue(finding(hub, Topic.TABLES).text().contains("another computer already mirrors it"), text(hub));
    }
}

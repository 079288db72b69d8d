package io.sharemirror.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.sync.CycleRecord;
import io.sharemirror.sync.CycleRecord.Outcome;
import io.sharemirror.share.ReadOnlyFolder;
import io.sharemirror.sync.conflict.ConflictPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hubs the engine must refuse or report, seen the way the dashboard sees them: in the cycle's record. */
class HubErrorsTest {

    @TempDir
    Path dir;

    private static CycleRecord firstSync(Path hub, Path root) {
        try (Cluster cluster = new Cluster(root, hub)) {
            return cluster.add(ConflictPolicy.NEWEST_WINS).sync();
        }
    }

    @Test
    void aHubInWalModeIsRefusedAndLeftUntouched() throws Exception {
        Cluster made = Cluster.withSchema(dir, "CREATE TABLE t(id INTEGER PRIMARY KEY)", "PRAGMA journal_mode = WAL");
        made.close();
        CycleRecord record = firstSync(made.hub, dir);
        assertEquals(Outcome.FAILED, record.outcome());
        assertTrue(record.error().contains("WAL mode"), record.error());
        assertTrue(record.hint().contains("journal_mode=DELETE"), record.hint());
        assertEquals("0", Cluster.scalar(made.hub, "SELECT count(*) FROM sqlite_master WHERE name LIKE '\\_sm\\_%' ESCAPE '\\'"),
                "nothing was installed on a hub that was refused");
        assertFalse(Files.exists(dir.resolve("cache0").resolve("db.db")), "no replica was made");
    }

    @Test
    void aFolderIsNotAHub() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("share").resolve("app.db"));
        CycleRecord record = firstSync(folder, dir);
        assertEquals(Outcome.FAILED, record.outcome());
        assertTrue(record.error().contains("is a folder"), record.error());
        assertNotNull(record.hint());
    }

    @Test
    void aMissingFileOnAReachableShareFailsAndIsNeverCreated() throws Exception {
        Path hub = Files.createDirectories(dir.resolve("share")).resolve("app.db");
        CycleRecord record = firstSync(hub, dir);
        assertEquals(Outcome.FAILED, record.outcome());
        assertTrue(record.error().contains("does not exist"), record.error());
        assertFalse(Files.exists(hub), "ShareMirror never creates the shared database");
    }

    @Test
    void aMissingShareIsOfflineAndSyncResumesWhenItAppears() throws Exception {
        Path hub = dir.resolve("share").resolve("hub.db"); // where Cluster.withSchema makes it, below
        try (Cluster cluster = new Cluster(dir, hub)) {
            var node = cluster.add(ConflictPolicy.NEWEST_WINS);
            CycleRecord record = node.sync();
            assertEquals(Outcome.OFFLINE, record.outcome(), record.toString());
            // The same words as for a missing file in a folder that is there: only the backoff differs.
            assertEquals("the hub " + hub + " does not exist", record.error());
            assertTrue(record.hint().contains("share"), record.hint());
            Cluster.withSchema(dir, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)", "INSERT INTO t VALUES(1, 'x')").close();
            assertTrue(node.sync().succeeded());
            assertEquals("x", node.scalar("SELECT v FROM t"));
        }
    }

    @Test
    void aFileThatIsNotSqliteIsReportedAsDamagedAndLeftAlone() throws Exception {
        Path hub = Files.createDirectories(dir.resolve("share")).resolve("app.db");
        Files.writeString(hub, "just some text that happens to be called app.db\n".repeat(100));
        byte[] before = Files.readAllBytes(hub);
        CycleRecord record = firstSync(hub, dir);
        assertEquals(Outcome.FAILED, record.outcome());
        assertTrue(record.error().contains("not a database"), record.error());
        assertTrue(record.hint().contains("not an SQLite database"), record.hint());
        assertArrayEquals(before, Files.readAllBytes(hub), "the file was not written");
    }

    /**
     * The share turns read-only under a running agent and back: while it is, pushes fail and say why; once it is
     * writable again the next cycle pushes (SQLite opens a read-only file read-only without a word, so a connection
     * made meanwhile would refuse writes for good).
     */
    @Test
    void aShareThatTurnsReadOnlyUnderTheAgentIsWrittenAgainOnceItIsBack() throws Exception {
        try (Cluster cluster = Cluster.withSchema(dir, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)")) {
            var a = cluster.add(ConflictPolicy.NEWEST_WINS);
            assertTrue(a.sync().succeeded());
            a.exec("INSERT INTO t VALUES(1, 'before')");
            try (ReadOnlyFolder readOnly = ReadOnlyFolder.of(cluster.hub.getParent())) {
                a.store().disconnectHub(); // as after a restart, or a reconnect after the share was away
                for (int i = 0; i < 2; i++) {
                    CycleRecord r = a.sync();
                    assertEquals(Outcome.FAILED, r.outcome(), r::toString);
                    assertTrue(r.hint().contains("read-only"), r::hint);
                }
                a.exec("INSERT INTO t VALUES(2, 'while read-only')");
            }
            assertTrue(a.sync().succeeded(), () -> a.sync().toString());
            assertEquals("before|while read-only", Cluster.scalar(cluster.hub, "SELECT group_concat(v, '|') FROM t"));
        }
    }

    /** Someone switches the hub to WAL while the agent runs: refused before anything is written, and after. */
    @Test
    void aHubSwitchedToWalUnderTheAgentIsRefusedBeforeItIsWritten() throws Exception {
        try (Cluster cluster = Cluster.withSchema(dir, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)")) {
            var a = cluster.add(ConflictPolicy.NEWEST_WINS);
            assertTrue(a.sync().succeeded());
            assertEquals("wal", OtherPrograms.sqlite3(cluster.hub, "PRAGMA journal_mode = WAL;").output());
            a.exec("INSERT INTO t VALUES(1, 'waits')");
            CycleRecord r = a.sync();
            assertEquals(Outcome.FAILED, r.outcome(), r::toString);
            assertTrue(r.error().contains("is in WAL mode"), r::error);
            assertTrue(r.hint().contains("journal_mode=DELETE"), r::hint);
            assertEquals("0", Cluster.scalar(cluster.hub, "SELECT count(*) FROM t"), "nothing was pushed into it");
            assertEquals("1", a.scalar("SELECT count(*) FROM _sm_pending"));

            assertEquals("delete", OtherPrograms.sqlite3(cluster.hub, "PRAGMA journal_mode = DELETE;").output());
            assertTrue(a.sync().succeeded());
            assertEquals("waits", Cluster.scalar(cluster.hub, "SELECT v FROM t"));
        }
    }

    /**
     * The hub is put back from a backup by renaming a copy over it, while the agent runs (after it was damaged, say).
     * The agent must read the file now at the path, not the one it had open: an idle agent would otherwise never see
     * what others write to the restored hub.
     */
    @Test
    void aHubReplacedByABackupUnderTheAgentIsReadFromTheNewFile() throws Exception {
        try (Cluster cluster = Cluster.withSchema(dir, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)",
                "INSERT INTO t VALUES(1, 'one')")) {
            var a = cluster.add(ConflictPolicy.NEWEST_WINS);
            var b = cluster.add(ConflictPolicy.NEWEST_WINS);
            cluster.settle();
            Path backup = dir.resolve("backup.db");
            Files.copy(cluster.hub, backup);
            Path copy = cluster.hub.resolveSibling("restoring.db");
            Files.copy(backup, copy);
            Files.move(copy, cluster.hub, StandardCopyOption.REPLACE_EXISTING);
            b.exec("INSERT INTO t VALUES(2, 'written by b to the restored hub')");
            assertTrue(b.sync().succeeded());
            assertTrue(a.sync().succeeded());
            assertEquals("written by b to the restored hub", a.scalar("SELECT v FROM t WHERE id = 2"));
            a.exec("INSERT INTO t VALUES(3, 'written by a')");
            cluster.settle();
            cluster.assertConverged();
        }
    }
}

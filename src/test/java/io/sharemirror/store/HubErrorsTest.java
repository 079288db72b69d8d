package io.sharemirror.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.sync.CycleRecord;
import io.sharemirror.sync.CycleRecord.Outcome;
import io.sharemirror.sync.conflict.ConflictPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
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
}

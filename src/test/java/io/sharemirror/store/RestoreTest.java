package io.sharemirror.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.sharemirror.sync.ArchivedConflict;
import io.sharemirror.sync.Key;
import io.sharemirror.sync.conflict.ConflictPolicy;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's "restore the losing version": the archived row comes back as a new, captured local write. */
class RestoreTest {

    @TempDir
    Path dir;

    @Test
    void aRestoredLoserBecomesTheNewestVersionEverywhere() throws Exception {
        try (Cluster cluster = Cluster.withSchema(dir, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT, data BLOB, n REAL)",
                "INSERT INTO t VALUES(1, 'base', x'00ff', 1.5), (2, 'keep', NULL, NULL)")) {
            var a = cluster.add(ConflictPolicy.NEWEST_WINS);
            var b = cluster.add(ConflictPolicy.NEWEST_WINS);
            cluster.settle();
            a.exec("UPDATE t SET v = 'a''s \"quoted\" edit', data = x'0102', n = 2.25 WHERE id = 1", "DELETE FROM t WHERE id = 2");
            b.exec("UPDATE _sm_state SET clock = clock + 60000", "UPDATE t SET v = 'b wins' WHERE id = 1",
                    "UPDATE t SET v = 'b edits 2' WHERE id = 2");
            a.sync();
            b.sync(); // B's newer edits beat A's: A's versions are archived by B
            cluster.settle();
            assertEquals("b wins", Cluster.scalar(cluster.hub, "SELECT v FROM t WHERE id = 1"));

            ArchivedConflict edit = b.state().conflicts("db", 10).stream().filter(c -> c.key().equals("[1]")).findFirst()
                    .orElseThrow();
            ArchivedConflict delete = b.state().conflicts("db", 10).stream().filter(c -> c.key().equals("[2]")).findFirst()
                    .orElseThrow();
            assertEquals("hub", edit.loserSide());
            assertNull(delete.loserJson(), "the losing version of row 2 was A's delete");

            b.store().replica().restore(new Key(edit.table(), edit.key()), edit.loserJson(), edit.columns());
            b.store().replica().restore(new Key(delete.table(), delete.key()), delete.loserJson(), delete.columns());
            b.state().markRestored(edit.id(), Instant.ofEpochMilli(1234));
            assertEquals("2", b.scalar("SELECT count(*) FROM _sm_pending"), "restores are captured like any write");
            b.sync();
            cluster.settle();
            cluster.assertConverged();
            assertEquals("a's \"quoted\" edit|0102|2.25", Cluster.scalar(cluster.hub,
                    "SELECT v || '|' || hex(data) || '|' || n FROM t WHERE id = 1"));
            assertEquals("0", Cluster.scalar(cluster.hub, "SELECT count(*) FROM t WHERE id = 2"));
            assertEquals(Instant.ofEpochMilli(1234), b.state().conflict(edit.id()).orElseThrow().restoredAt());
            assertNotNull(b.state().conflict(delete.id()).orElseThrow());
            assertNull(b.state().conflict(delete.id()).orElseThrow().restoredAt());
        }
    }

    @Test
    void historyRemembersWhatWasStillPending() throws Exception {
        try (Cluster cluster = Cluster.withSchema(dir, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)")) {
            var a = cluster.add(ConflictPolicy.NEWEST_WINS);
            cluster.settle();
            a.exec("INSERT INTO t VALUES(1, 'x')", "INSERT INTO t VALUES(2, 'y')");
            a.sync();
            var last = a.state().history("db", 1).get(0);
            assertEquals(2, last.pushed());
            assertEquals(0, last.pending());
        }
    }
}

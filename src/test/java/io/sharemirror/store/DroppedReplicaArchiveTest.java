package io.sharemirror.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.Figures;
import io.sharemirror.sync.ArchivedConflict;
import io.sharemirror.sync.CycleRecord;
import io.sharemirror.sync.conflict.ConflictPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 12: nothing leaves a desktop unless it is on the hub or in the archive. Each path that drops a replica - Clear
 * Cache, the re-clone after the hub's log was pruned past it, a replica set aside (here: deleted while open) - after
 * each kind of change capture did not see, made by the sqlite3 shell on the replica. Every value written ends on the
 * hub or in that desktop's conflict archive, where Restore writes it back.
 */
class DroppedReplicaArchiveTest {

    @TempDir
    Path dir;

    private static final AtomicLong RUNS = new AtomicLong();
    private static final AtomicLong LOST = new AtomicLong();

    private static final String[] SCHEMA = {
        "CREATE TABLE item(id INTEGER PRIMARY KEY, name TEXT, qty INTEGER)",
        "INSERT INTO item VALUES(1, 'one', 1), (2, 'two', 2), (3, 'three', 3)",
    };

    /** A change capture does not see, and the marker it writes. */
    enum Uncaptured {
        /** SQLite's rebuild drops the capture triggers with the old table; the writes right after are not queued. */
        REBUILD_THEN_WRITES("PRAGMA legacy_alter_table = ON; BEGIN; CREATE TABLE new_item(id INTEGER PRIMARY KEY,"
                + " name TEXT NOT NULL, qty INTEGER); INSERT INTO new_item SELECT * FROM item; DROP TABLE item;"
                + " ALTER TABLE new_item RENAME TO item; COMMIT; UPDATE item SET name = 'marker' WHERE id = 1;"),
        /** A column added here, filled before anything synced. */
        ADDED_COLUMN("ALTER TABLE item ADD COLUMN note TEXT; UPDATE item SET note = 'marker' WHERE id = 2;"),
        /** A table made here, with rows, that capture never knew. */
        CREATED_TABLE("CREATE TABLE supplier(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO supplier VALUES(1,"
                + " 'marker');"),
        /** A migration that changes the table's key and transforms values: refused by the sync, so never pushed. */
        CHANGED_KEY("BEGIN; CREATE TABLE new_item(id INTEGER NOT NULL, name TEXT PRIMARY KEY, qty INTEGER);"
                + " INSERT INTO new_item SELECT id, name || ' marker', qty FROM item; DROP TABLE item;"
                + " ALTER TABLE new_item RENAME TO item; COMMIT;");

        final String sql;

        Uncaptured(String sql) {
            this.sql = sql;
        }
    }

    @ParameterizedTest
    @EnumSource(Uncaptured.class)
    void clearCache(Uncaptured change) throws Exception {
        try (Cluster cluster = Cluster.withSchema(dir, SCHEMA)) {
            var a = cluster.add(ConflictPolicy.NEWEST_WINS);
            cluster.settle();
            make(a, change);
            a.mirror().clearCache(true);
            assertKept(cluster, a, change);
        }
    }

    @ParameterizedTest
    @EnumSource(Uncaptured.class)
    void reCloneAfterPruning(Uncaptured change) throws Exception {
        try (Cluster cluster = Cluster.withSchema(dir, SCHEMA)) {
            var a = cluster.add(ConflictPolicy.NEWEST_WINS);
            var b = cluster.add(ConflictPolicy.NEWEST_WINS);
            cluster.settle();
            make(b, change);
            for (int i = 0; i < 5; i++) {
                a.exec("INSERT INTO item(name, qty) VALUES('a" + i + "', " + i + ")");
                assertTrue(a.sync().succeeded());
            }
            long ms = 40 * 86_400_000L; // b has not been seen for 40 days: the log no longer waits for it
            cluster.hubExec("UPDATE _sm_log SET ts = ts - " + ms, "UPDATE _sm_nodes SET last_seen = last_seen - " + ms);
            var a2 = cluster.add(ConflictPolicy.NEWEST_WINS);
            a2.exec("UPDATE item SET qty = 100 WHERE id = 3");
            assertTrue(a2.sync().succeeded());
            b.sync();
            assertKept(cluster, b, change);
        }
    }

    @ParameterizedTest
    @EnumSource(Uncaptured.class)
    void setAside(Uncaptured change) throws Exception {
        try (Cluster cluster = Cluster.withSchema(dir, SCHEMA)) {
            var a = cluster.add(ConflictPolicy.NEWEST_WINS);
            cluster.settle();
            make(a, change);
            for (String suffix : List.of("", "-wal", "-shm")) {
                Files.deleteIfExists(Path.of(a.replica() + suffix));
            }
            CycleRecord r = a.sync();
            assertEquals(CycleRecord.Outcome.FAILED, r.outcome(), r::toString);
            assertTrue(r.error().contains("deleted while ShareMirror had it open"), r::error);
            assertKept(cluster, a, change);
        }
    }

    private static void make(Cluster.Node node, Uncaptured change) throws Exception {
        var shell = OtherPrograms.sqlite3(node.replica(), change.sql);
        assertEquals(0, shell.exitCode(), shell.output());
    }

    /** The marker is on the hub, or in the node's conflict archive. */
    private static void assertKept(Cluster cluster, Cluster.Node node, Uncaptured change) throws Exception {
        List<ArchivedConflict> archived = node.conflicts();
        boolean kept = Cluster.dump(cluster.hub).toString().contains("marker")
                || archived.stream().anyMatch(c -> String.valueOf(c.localJson()).contains("marker"));
        RUNS.incrementAndGet();
        if (!kept) {
            LOST.incrementAndGet();
        }
        assertTrue(kept, () -> change + ": the marker is neither on the hub nor archived: " + archived);
    }

    @AfterAll
    static void publish() {
        Figures.of("DroppedReplicaArchiveTest").runs(RUNS.get()).faults(RUNS.get()).writesChecked(RUNS.get())
                .writesLost(LOST.get()).publish();
    }
}

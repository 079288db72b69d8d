package io.sharemirror.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.sync.Backoff;
import io.sharemirror.sync.Clock;
import io.sharemirror.sync.CycleRecord;
import io.sharemirror.sync.Mirror;
import io.sharemirror.sync.MirrorMode;
import io.sharemirror.sync.Retry;
import io.sharemirror.sync.conflict.ConflictPolicy;
import io.sharemirror.sync.conflict.TablePolicies;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schema changes made on the hub by a program without ShareMirror (ARCHITECTURE.md#one-sync-cycle, schema changes): they reach every
 * replica; the ones that cannot be reproduced without losing a local change (a table dropped under local changes, a
 * changed key) are reported, never guessed at. Every other kind, both ways: SchemaChangeMatrixTest.
 */
class SchemaChangeTest {

    @TempDir
    Path dir;

    @Test
    void aTableAndAColumnAddedOnTheHubReachEveryReplica() throws Exception {
        try (Cluster cluster = Cluster.withSchema(dir, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)",
                "INSERT INTO t VALUES(1, 'one'), (2, 'two'), (3, 'three')")) {
            var a = cluster.add(ConflictPolicy.NEWEST_WINS);
            var b = cluster.add(ConflictPolicy.NEWEST_WINS);
            cluster.settle();

            cluster.hubExec("CREATE TABLE extra(id INTEGER PRIMARY KEY, note TEXT NOT NULL)",
                    "CREATE INDEX extra_note ON extra(note)",
                    "INSERT INTO extra VALUES(1, 'before anyone noticed'), (2, 'also early')",
                    "ALTER TABLE t ADD COLUMN c TEXT",
                    "UPDATE t SET c = 'c' || id");
            // A edits row 1 after the hub's change but before it knows the column: its edit is newer and wins,
            // and its push must not blank the column it never saw.
            Cluster.awaitClockPast(cluster.hub);
            a.exec("UPDATE t SET v = 'one a' WHERE id = 1");
            a.sync();
            assertEquals("one a|c1", Cluster.scalar(cluster.hub, "SELECT v || '|' || c FROM t WHERE id = 1"));
            b.sync();
            cluster.hubExec("INSERT INTO extra VALUES(3, 'after the triggers')");
            b.exec("INSERT INTO extra VALUES(10, 'from b')", "UPDATE t SET c = 'c2 b' WHERE id = 2");
            cluster.settle();
            cluster.assertConverged();
            assertEquals("1", a.scalar("SELECT count(*) FROM extra WHERE note = 'from b'"));
            assertEquals("4", a.scalar("SELECT count(*) FROM extra"));
            assertEquals("c2 b", a.scalar("SELECT c FROM t WHERE id = 2"));
            assertEquals("1", a.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'extra_note'"), "indexes come along");
            // The new table is captured on the replicas and logged on the hub like any other.
            a.exec("UPDATE extra SET note = 'edited on a' WHERE id = 1");
            cluster.settle();
            assertEquals("edited on a", b.scalar("SELECT note FROM extra WHERE id = 1"));
            cluster.assertConverged();
        }
    }

    /**
     * A column added with a default and never written: no log entries name the rows, so only the one-time copy
     * fills the column on the replica. A pending edit of such a row, and a new row inserted on the replica
     * afterwards, must reach the hub with the column's value, not NULL (which a NOT NULL column refuses).
     */
    @Test
    void aColumnAddedWithADefaultIsNeitherBlankedNorRefused() throws Exception {
        try (Cluster cluster = Cluster.withSchema(dir, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)",
                "INSERT INTO t VALUES(1, 'one'), (2, 'two')")) {
            var a = cluster.add(ConflictPolicy.NEWEST_WINS);
            var b = cluster.add(ConflictPolicy.NEWEST_WINS);
            cluster.settle();
            a.exec("UPDATE t SET v = 'one a' WHERE id = 1");
            cluster.hubExec("ALTER TABLE t ADD COLUMN status TEXT NOT NULL DEFAULT 'new'",
                    "ALTER TABLE t ADD COLUMN score REAL DEFAULT 1.5");
            a.sync();
            assertEquals("one a|new|1.5", Cluster.scalar(cluster.hub, "SELECT v || '|' || status || '|' || score FROM t WHERE id = 1"));
            a.exec("INSERT INTO t(id, v) VALUES(3, 'three a')");
            var record = a.sync();
            assertEquals(true, record.succeeded(), record.toString());
            assertEquals("three a|new|1.5", Cluster.scalar(cluster.hub, "SELECT v || '|' || status || '|' || score FROM t WHERE id = 3"));
            cluster.settle();
            cluster.assertConverged();
            assertEquals("new", b.scalar("SELECT status FROM t WHERE id = 2"));
        }
    }

    /**
     * A replica cloned before {@code _sm_state.replacing} and {@code _sm_pending.replaced, deleted} existed gets them
     * on open, with capture triggers that use them: capture of tables added later works, and a reused rowid is
     * recorded.
     */
    @Test
    void anOlderReplicaIsUpgradedOnOpen() throws Exception {
        try (Cluster cluster = Cluster.withSchema(dir, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)",
                "INSERT INTO t VALUES(1, 'one')")) {
            var a = cluster.add(ConflictPolicy.NEWEST_WINS);
            a.sync();
            a.store().close();
            // As an older clone: no note columns, and no capture that uses them.
            Cluster.run(a.replica(), "DROP TRIGGER _sm_cb_t", "DROP TRIGGER _sm_ci_t", "DROP TRIGGER _sm_cu_t",
                    "DROP TRIGGER _sm_ck_t", "DROP TRIGGER _sm_cd_t", "ALTER TABLE _sm_state DROP COLUMN replacing",
                    "ALTER TABLE _sm_pending DROP COLUMN replaced", "ALTER TABLE _sm_pending DROP COLUMN deleted");
            cluster.hubExec("CREATE TABLE later(id INTEGER PRIMARY KEY, v TEXT)");
            var retry = new Retry(new Backoff(Duration.ofMillis(20),
                    Duration.ofMillis(200), 3), Clock.SYSTEM);
            try (SqliteMirrorStore reopened = new SqliteMirrorStore("db", cluster.hub.toString(), a.replica(), t -> true,
                    MirrorMode.READ_WRITE, new ConnectionFactory(Duration.ofSeconds(10)), 2, Duration.ofSeconds(10),
                    retry)) {
                var mirror = new Mirror("db", reopened, TablePolicies.everyTable(ConflictPolicy.NEWEST_WINS), a.state(), retry,
                        Clock.SYSTEM);
                assertEquals(true, mirror.sync().succeeded());
                Cluster.run(a.replica(), "INSERT INTO later VALUES(1, 'captured')", "UPDATE t SET v = 'too'");
                assertEquals(true, mirror.sync().succeeded());
                assertEquals("too", Cluster.scalar(cluster.hub, "SELECT v FROM t"));
                Cluster.run(a.replica(), "DELETE FROM t", "INSERT INTO t(v) VALUES('anew')");
                assertEquals("1", Cluster.scalar(a.replica(), "SELECT count(*) FROM _sm_pending WHERE replaced > 0"));
                assertEquals(true, mirror.sync().succeeded());
            }
            assertEquals("captured", Cluster.scalar(cluster.hub, "SELECT v FROM later"));
            assertEquals("anew", Cluster.scalar(cluster.hub, "SELECT v FROM t WHERE id = 1"));
        }
    }
    /**
     * A table dropped on the hub while a replica holds changes to it: the cycle says so (and still syncs the other
     * tables), the changes wait, and once the table is back on the hub they are pushed.
     */
    @Test
    void aTableDroppedOnTheHubUnderLocalChangesIsReportedAndTheChangesWait() throws Exception {
        try (Cluster cluster = Cluster.withSchema(dir, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)",
                "CREATE TABLE gone(id INTEGER PRIMARY KEY, v TEXT)", "INSERT INTO gone VALUES(1, 'one')")) {
            var a = cluster.add(ConflictPolicy.NEWEST_WINS);
            a.sync();
            a.exec("UPDATE gone SET v = 'one on a' WHERE id = 1", "INSERT INTO t VALUES(1, 'still synced')");
            cluster.hubExec("DROP TABLE gone");
            for (int cycle = 0; cycle < 2; cycle++) { // reported again each cycle until it is resolved
                CycleRecord r = a.sync();
                assertEquals(CycleRecord.Outcome.FAILED, r.outcome(), r::toString);
                assertEquals("table gone was dropped on the hub; 1 local change to it cannot be pushed", r.error());
                assertTrue(r.hint().contains("clear-cache db --discard-pending"), r::hint);
            }
            assertEquals("still synced", Cluster.scalar(cluster.hub, "SELECT v FROM t WHERE id = 1"));
            assertEquals("0", Cluster.scalar(cluster.hub, "SELECT count(*) FROM sqlite_master WHERE name = 'gone'"),
                    "ShareMirror does not put the table back");
            assertEquals("one on a", a.scalar("SELECT v FROM gone WHERE id = 1"));
            assertEquals("1", a.scalar("SELECT count(*) FROM _sm_pending WHERE tbl = 'gone'"));

            cluster.hubExec("CREATE TABLE gone(id INTEGER PRIMARY KEY, v TEXT)", "INSERT INTO gone VALUES(1, 'one')");
            assertTrue(a.sync().succeeded());
            assertEquals("one on a", Cluster.scalar(cluster.hub, "SELECT v FROM gone WHERE id = 1"));
            cluster.settle();
            cluster.assertConverged();
        }
    }

    /**
     * A table rebuilt on the hub with another primary key: the replica's keys no longer name the hub's rows, so
     * neither side writes the other's rows by them. Pushing a local edit of the column that became the key would
     * otherwise insert a second row on the hub. Reported until Clear Cache re-clones (archiving the local change).
     */
    @Test
    void aTableWhoseKeyChangedOnTheHubIsNeitherPushedNorPulledUntilReCloned() throws Exception {
        try (Cluster cluster = Cluster.withSchema(dir, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)",
                "CREATE TABLE k(id INTEGER PRIMARY KEY, code TEXT NOT NULL, v TEXT)",
                "INSERT INTO k VALUES(1, 'c1', 'one'), (2, 'c2', 'two')")) {
            var a = cluster.add(ConflictPolicy.NEWEST_WINS);
            a.sync();
            a.exec("UPDATE k SET code = 'c1-new' WHERE id = 1", "INSERT INTO t VALUES(1, 'still synced')");
            // A program without ShareMirror rebuilds k keyed by code, then edits a row.
            cluster.hubExec("CREATE TABLE k2(id INTEGER NOT NULL, code TEXT PRIMARY KEY, v TEXT)",
                    "INSERT INTO k2 SELECT id, code, v FROM k", "DROP TABLE k", "ALTER TABLE k2 RENAME TO k");
            CycleRecord r = a.sync();
            assertEquals(CycleRecord.Outcome.FAILED, r.outcome(), r::toString);
            assertEquals("the key of table k changed on the hub (from id to code); its rows are not synced until the"
                    + " replica is made afresh", r.error());
            assertTrue(r.hint().contains("clear-cache db"), r::hint);
            cluster.hubExec("UPDATE k SET v = 'two on the hub' WHERE code = 'c2'");
            assertEquals(CycleRecord.Outcome.FAILED, a.sync().outcome());
            assertEquals(List.of("1|c1|one|", "2|c2|two on the hub|"), Cluster.dump(cluster.hub).get("k"),
                    "nothing of k was written to the hub");
            assertEquals("two", a.scalar("SELECT v FROM k WHERE id = 2"), "nor pulled into the replica");
            assertEquals("1", a.scalar("SELECT count(*) FROM _sm_pending WHERE tbl = 'k'"), "the local change waits");
            assertEquals("still synced", Cluster.scalar(cluster.hub, "SELECT v FROM t WHERE id = 1"));

            a.mirror().clearCache(true); // as `clear-cache db --discard-pending`: archived, then a fresh copy
            assertTrue(a.sync().succeeded());
            assertTrue(Archive.contains(cluster, "k", "[1]", "c1-new"), () -> Archive.all(cluster).toString());
            assertEquals("code", a.scalar("SELECT name FROM pragma_table_info('k') WHERE pk = 1"));
            cluster.assertConverged();
        }
    }
}

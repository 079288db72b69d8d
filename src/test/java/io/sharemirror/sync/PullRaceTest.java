package io.sharemirror.sync;

import io.sharemirror.store.Cluster;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.sync.conflict.ConflictPolicy;
import io.sharemirror.sync.conflict.TablePolicies;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Another node pushing while a cycle runs, at the exact points where it can: between the idle probe and the pull; and a
 * pull cut short between its local transactions, which leaves rows applied past the cursor.
 */
class PullRaceTest {

    @TempDir
    Path dir;

    /**
     * B's cycle probes the hub, then C pushes a newer version of a row before B reads the changes. B applies C's row
     * (the pull reads the hub's current rows) and must also take C's time into its clock: an edit B makes after
     * seeing C's row comes after it, and must win against it, even though C's clock runs an hour ahead.
     */
    @Test
    void aPushBetweenTheProbeAndThePullIsDatedByTheRowItBrings() throws Exception {
        try (Cluster cluster = Cluster.withSchema(dir, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)",
                "INSERT INTO t VALUES(1, 'one')")) {
            var a = cluster.add(ConflictPolicy.NEWEST_WINS);
            var b = cluster.add(ConflictPolicy.NEWEST_WINS);
            var c = cluster.add(ConflictPolicy.NEWEST_WINS);
            cluster.settle();
            a.exec("UPDATE t SET v = 'a' WHERE id = 1");
            a.sync();
            c.sync();
            c.exec("UPDATE _sm_state SET clock = clock + 3600000", "UPDATE t SET v = 'c' WHERE id = 1");

            HookedStore hooked = new HookedStore(b.mirror().store());
            hooked.afterProbe = () -> assertTrue(c.sync().succeeded());
            CycleRecord record = hookedMirror(b, hooked).sync();
            assertTrue(record.succeeded(), record.toString());
            assertEquals("c", b.scalar("SELECT v FROM t WHERE id = 1"), "B read C's row");

            b.exec("UPDATE t SET v = 'b, having seen c' WHERE id = 1");
            cluster.settle();
            cluster.assertConverged();
            assertEquals("b, having seen c", Cluster.scalar(cluster.hub, "SELECT v FROM t WHERE id = 1"),
                    "B's edit came after C's and wins");
        }
    }

    /**
     * B's pull applies C's rows 1 and 2 in its first local transaction, and the cycle fails before the window's last
     * one, so B's cursor stays before them. C then deletes both, A makes its own rows 1 and 2 on the free keys, and B's
     * application, still showing C's rows, deletes row 1 and edits row 2. B's next pull reads the window again: C's
     * inserts are rows B knew, not new ones, so A's rows are new rows on reused keys. B's delete of C's row leaves
     * A's row 1; B's edit, newer than C's delete, brings C's row 2 back under another key beside A's. (ContentionTest,
     * long run, seed 33026266035171: B took A's rows for edits of C's and its newer delete and edit archived both.)
     */
    @Test
    void rowsAPullCutShortAppliedAreNotTakenForNewRowsWhenItsWindowIsReadAgain() throws Exception {
        try (Cluster cluster = Cluster.withSchema(dir, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)")) {
            var a = cluster.add(ConflictPolicy.NEWEST_WINS);
            var b = cluster.add(ConflictPolicy.NEWEST_WINS);
            var c = cluster.add(ConflictPolicy.NEWEST_WINS);
            cluster.settle();
            pullCutShortAfterItsFirstChunk(b, c);

            c.exec("DELETE FROM t WHERE id IN (1, 2)");
            assertTrue(c.sync().succeeded());
            Cluster.awaitClockPast(c.replica());
            a.exec("INSERT INTO t VALUES(1, 'a1'), (2, 'a2')");
            assertTrue(a.sync().succeeded());
            Cluster.awaitClockPast(cluster.hub);
            b.exec("DELETE FROM t WHERE id = 1", "UPDATE t SET v = 'c2, edited by b' WHERE id = 2");
            Cluster.awaitClockPast(b.replica());

            assertTrue(b.sync().succeeded());
            cluster.settle();
            cluster.assertConverged();
            assertEquals("a1,a2", Cluster.scalar(cluster.hub,
                    "SELECT group_concat(v) FROM (SELECT v FROM t WHERE id < 3 ORDER BY id)"),
                    "A's new rows stay on the keys C freed");
            assertEquals("1", Cluster.scalar(cluster.hub, "SELECT count(*) FROM t WHERE v = 'c2, edited by b'"),
                    "B's edit outlived C's delete, under another key");
        }
    }

    /**
     * B's pull applies C's rows 1 and 2 and is cut short before the window's last chunk, so its cursor stays before
     * them. Then a program drops B's capture triggers, and B's application deletes row 1 and edits row 2 unseen. The
     * repaired capture compares the table with the hub: C's inserts in the window are rows B applied already, not rows
     * made since, so B's delete and edit are queued as capture would have queued them and reach the hub (they were
     * passed over as the pull's to bring, which then brought nothing: the row B deleted stayed on the hub, and B's
     * edit went as a new row).
     */
    @Test
    void writesCaptureMissedOnRowsAPullCutShortAppliedReachTheHub() throws Exception {
        try (Cluster cluster = Cluster.withSchema(dir, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)")) {
            var b = cluster.add(ConflictPolicy.NEWEST_WINS);
            var c = cluster.add(ConflictPolicy.NEWEST_WINS);
            cluster.settle();
            pullCutShortAfterItsFirstChunk(b, c);

            String triggers = b.scalar("SELECT group_concat(name) FROM sqlite_master WHERE type = 'trigger'"
                    + " AND tbl_name = 't' AND name LIKE '\\_sm\\_c%' ESCAPE '\\'");
            for (String trigger : triggers.split(",")) {
                b.exec("DROP TRIGGER " + trigger);
            }
            b.exec("DELETE FROM t WHERE id = 1", "UPDATE t SET v = 'c2, edited by b' WHERE id = 2");
            assertEquals("0", b.scalar("SELECT count(*) FROM _sm_pending"), "capture missed both");

            CycleRecord record = b.sync();
            assertTrue(record.succeeded(), record.toString());
            cluster.settle();
            cluster.assertConverged();
            assertEquals("2=c2, edited by b", Cluster.scalar(cluster.hub, "SELECT group_concat(id || '=' || v)"
                    + " FROM (SELECT * FROM t WHERE id < 3 OR v <> 'more' ORDER BY id)"),
                    "B's delete and edit reached the hub");
        }
    }

    /**
     * B's pull takes A's new row 1 (C deleted C's row, A made one on the key after B's probe: its newest change lies
     * past the pull's window). B's application deletes A's row before the push, whose pull under the hub's lock reads the
     * log from the cursor again: the delete and insert there are what B already applied, and B's delete of A's row
     * reaches the hub instead of vanishing under A's row taken once more.
     */
    @Test
    void aDeleteOfARowTheCyclePulledPastItsWindowReachesTheHub() throws Exception {
        try (Cluster cluster = Cluster.withSchema(dir, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)",
                "INSERT INTO t VALUES(1, 'one'), (2, 'two')")) {
            var a = cluster.add(ConflictPolicy.NEWEST_WINS);
            var b = cluster.add(ConflictPolicy.NEWEST_WINS);
            var c = cluster.add(ConflictPolicy.NEWEST_WINS);
            cluster.settle();
            c.exec("UPDATE t SET v = 'c' WHERE id = 1");
            assertTrue(c.sync().succeeded());

            b.exec("UPDATE t SET v = 'two b' WHERE id = 2"); // so that B's cycle pushes

            HookedStore hooked = new HookedStore(b.mirror().store());
            hooked.afterProbe = sql(() -> {
                c.exec("DELETE FROM t WHERE id = 1");
                assertTrue(c.sync().succeeded());
                a.exec("DELETE FROM t WHERE id = 1", "INSERT INTO t VALUES(1, 'a')");
                assertTrue(a.sync().succeeded());
                Cluster.awaitClockPast(cluster.hub);
            });
            hooked.beforePush = sql(() -> {
                assertEquals("a", b.scalar("SELECT v FROM t WHERE id = 1"), "B's pull took A's row");
                b.exec("DELETE FROM t WHERE id = 1");
            });
            CycleRecord record = hookedMirror(b, hooked).sync();
            assertTrue(record.succeeded(), record.toString());
            cluster.settle();
            cluster.assertConverged();
            assertEquals("2=two b", Cluster.scalar(cluster.hub, "SELECT group_concat(id || '=' || v) FROM t"),
                    "B deleted the row it saw");
        }
    }

    /**
     * C makes rows 1 and 2, then more than a chunk of rows after them; B's pull applies the first chunk (rows 1 and 2
     * among them) and the cycle fails before the window's last one, so B's cursor stays before them.
     */
    private static void pullCutShortAfterItsFirstChunk(Cluster.Node b, Cluster.Node c) throws SQLException {
        c.exec("INSERT INTO t VALUES(1, 'c1'), (2, 'c2')");
        assertTrue(c.sync().succeeded());
        c.exec("WITH RECURSIVE n(i) AS (SELECT 3 UNION ALL SELECT i + 1 FROM n WHERE i < "
                + (RowExchange.APPLY_CHUNK + 2) + ") INSERT INTO t SELECT i, 'more' FROM n");
        assertTrue(c.sync().succeeded());

        HookedStore hooked = new HookedStore(b.mirror().store());
        hooked.beforeApply = applied -> {
            if (applied == 1) {
                throw new StoreException(StoreException.Kind.FAILED, "the pull cut short after its first chunk",
                        null, null);
            }
        };
        CycleRecord cut = hookedMirror(b, hooked).sync();
        assertFalse(cut.succeeded(), cut.toString());
        assertEquals("c1", b.scalar("SELECT v FROM t WHERE id = 1"), "B applied the first chunk");
    }

    /** A mirror of {@code node}'s replica on the hooked store, retrying BUSY quickly. */
    private static Mirror hookedMirror(Cluster.Node node, HookedStore hooked) {
        Retry retry = new Retry(new Backoff(Duration.ofMillis(20), Duration.ofMillis(200), 3), Clock.SYSTEM);
        return new Mirror("db", hooked, TablePolicies.everyTable(ConflictPolicy.NEWEST_WINS), node.state(), retry,
                Clock.SYSTEM);
    }

    /** Steps run inside a hook, where a checked exception cannot pass. */
    private static Runnable sql(SqlSteps steps) {
        return () -> {
            try {
                steps.run();
            } catch (SQLException e) {
                throw new AssertionError(e);
            }
        };
    }

    @FunctionalInterface
    private interface SqlSteps {
        void run() throws SQLException;
    }
}

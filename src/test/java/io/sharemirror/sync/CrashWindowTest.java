package io.sharemirror.sync;

import io.sharemirror.store.Archive;
import io.sharemirror.store.Cluster;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.sync.conflict.ConflictPolicy;
import io.sharemirror.sync.conflict.TablePolicies;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A crash after the hub committed a push but before the replica cleared its pending rows (ARCHITECTURE.md#one-sync-cycle): the
 * next cycle pushes the same versions again, which must not duplicate, lose or resurrect anything.
 */
class CrashWindowTest {

    @TempDir
    Path dir;

    private Cluster cluster(ConflictPolicy policy) throws Exception {
        Cluster cluster = Cluster.withSchema(dir, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)",
                "CREATE TABLE n(v TEXT)", "INSERT INTO t VALUES(1, 'one'), (2, 'two')");
        cluster.add(policy);
        cluster.add(policy);
        cluster.settle();
        return cluster;
    }

    private static String rows(Path db) throws Exception {
        return Cluster.scalar(db, "SELECT group_concat(id || '=' || v, ',') FROM (SELECT * FROM t ORDER BY id)");
    }

    /** Pushes the node's pending rows and commits, then "crashes": the pending rows are not cleared. */
    private static int pushAndCrash(Cluster.Node node) {
        return commitPush(node).written().size();
    }

    private record Committed(List<LocalChange> written, long head) {
    }

    private static Committed commitPush(Cluster.Node node) {
        Hub hub = node.store().hub();
        Replica replica = node.store().replica();
        try (PushTransaction tx = hub.beginPush()) {
            long head = tx.probe().head();
            var written = tx.write(replica.pending(1000), replica.node(), head).written();
            long newHead = tx.probe().head();
            tx.commit();
            return new Committed(written, newHead);
        }
    }

    /** A pushes an insert and crashes; B pulls it and edits it; A edits it again, later, before it syncs. */
    private static void editAfterTheCrashOnBothSides(Cluster.Node a, Cluster.Node b) throws Exception {
        a.exec("INSERT INTO t VALUES(10, 'ten')");
        pushAndCrash(a);
        b.sync();
        b.exec("UPDATE t SET v = 'ten b' WHERE id = 10");
        a.exec("UPDATE _sm_state SET clock = clock + 3600000", "UPDATE t SET v = 'ten a' WHERE id = 10");
    }

    /** Pulls without pushing: the node's own entries past its cursor confirm what it pushed. */
    private static void pullOnly(Cluster.Node node) {
        Hub hub = node.store().hub();
        Replica replica = node.store().replica();
        long head = hub.probe().head();
        List<RemoteChange> changes = hub.changes(replica.cursor(), head, replica.node(), replica.appliedPastCursor());
        Plan plan = new Planner("db", replica.node(), TablePolicies.everyTable(ConflictPolicy.NEWEST_WINS), Instant.now(),
                Long.MAX_VALUE).plan(
                changes, replica.pendingFor(changes.stream().map(RemoteChange::key).toList()),
                replica.tables()::contains, new PlanInputs() {
                    @Override
                    public long freeKey(String table, long atLeast) {
                        throw new AssertionError("nobody else made a row in " + table);
                    }

                    @Override
                    public List<Follower> followers(Key parent, boolean hubsRow) {
                        throw new AssertionError("nothing moves");
                    }

                    @Override
                    public Row hubRow(Key key) {
                        throw new AssertionError("nothing clashes");
                    }

                    @Override
                    public Row localRow(Key key) {
                        throw new AssertionError("nothing clashes");
                    }
                }, Found.NOTHING);
        assertEquals(List.of(), plan.archive(), "nobody else changed these rows");
        replica.apply(plan, head, node.state());
    }

    /**
     * After a crash that left its pushed insert pending, the node edits the row again and meets another node's edit,
     * pushed between its probe and its pull: resolved in the pull and again under the push's lock, the row must stay
     * one row. (CrashRecoveryTest found a duplicate: once the cursor had passed the node's own log entry, the second
     * resolution saw the stale "inserted here" mark and re-keyed the edited row.)
     */
    @Test
    void anEditAfterTheCrashMetTwiceInOneCycleStaysOneRow() throws Exception {
        try (Cluster cluster = cluster(ConflictPolicy.NEWEST_WINS)) {
            var a = cluster.nodes.get(0);
            var b = cluster.nodes.get(1);
            editAfterTheCrashOnBothSides(a, b);
            HookedStore hooked = new HookedStore(a.mirror().store());
            hooked.afterProbe = () -> assertTrue(b.sync().succeeded());
            Retry retry = new Retry(new Backoff(Duration.ofMillis(20), Duration.ofMillis(200), 3), Clock.SYSTEM);
            CycleRecord record = new Mirror("db", hooked, TablePolicies.everyTable(ConflictPolicy.NEWEST_WINS), a.state(), retry, Clock.SYSTEM)
                    .sync();
            assertTrue(record.succeeded(), record.toString());
            cluster.settle();
            cluster.assertConverged();
            assertEquals("1=one,2=two,10=ten a", rows(cluster.hub), "A's newer edit wins, in place");
        }
    }

    /**
     * A's new row 3 is being pushed when A's application deletes it and makes another row 3 (SQLite reuses the largest
     * rowid). Once the push commits the hub has the first row; the second is a new row, and B's later edit of the
     * first must not overwrite it. (ContentionTest: taken for an edit of the pushed row, A's new row lost to B's edit
     * and was only in the archive.)
     */
    @Test
    void aRowReplacedWhileItsPushRunsIsANewRow() throws Exception {
        try (Cluster cluster = cluster(ConflictPolicy.NEWEST_WINS)) {
            var a = cluster.nodes.get(0);
            var b = cluster.nodes.get(1);
            a.exec("INSERT INTO t(v) VALUES('three')");
            Committed push = commitPush(a);
            a.exec("DELETE FROM t WHERE id = 3", "INSERT INTO t(v) VALUES('new three')");
            a.store().replica().clearPushed(push.written(), push.head());
            b.sync();
            Cluster.awaitClockPast(a.replica());
            b.exec("UPDATE t SET v = 'three b' WHERE id = 3");
            b.sync();
            a.sync();
            cluster.settle();
            cluster.assertConverged();
            assertEquals("1=one,2=two,3=three b,4=new three", rows(cluster.hub),
                    "B's newer edit keeps row 3; A's new row moves");
            assertEquals(1, Archive.all(cluster).size(), "A's delete of the first row 3 lost to B's newer edit");
        }
    }

    /** How a node learns that the delete it pushed is on the hub. */
    enum Learned {
        /** A crash left the delete pending; the next pull meets someone else's change to the key. */
        RESOLVING_A_COLLISION,
        /** A crash left the delete pending; the next pull finds the node's own log entry the newest for the key. */
        CONFIRMING_ITS_OWN_ENTRY,
        /** The row was made again during the push, so clearing the push leaves the key pending. */
        CLEARING_THE_PUSH
    }

    /**
     * A row deleted here and pushed is gone from the hub; a row the application then makes on the same key (SQLite
     * reuses the largest rowid) is a new row, and so is one another writer makes there meanwhile. Both must survive,
     * the local one re-keyed, as for any insert/insert collision: taken for an edit, one would overwrite the other.
     * (Found by CrashRecoveryTest, seed 14489724837637: a direct writer's new row H-4 was overwritten this way.)
     */
    @ParameterizedTest
    @EnumSource(Learned.class)
    void aRowMadeAgainOnAKeyItsPushDeletedIsANewRow(Learned how) throws Exception {
        try (Cluster cluster = cluster(ConflictPolicy.NEWEST_WINS)) {
            var a = cluster.nodes.get(0);
            a.exec("DELETE FROM t WHERE id = 2");
            Committed push = commitPush(a);
            a.exec("INSERT INTO t VALUES(2, 'two a')");
            switch (how) {
                case RESOLVING_A_COLLISION -> { }
                case CONFIRMING_ITS_OWN_ENTRY -> pullOnly(a);
                case CLEARING_THE_PUSH -> a.store().replica().clearPushed(push.written(), push.head());
            }
            cluster.hubExec("INSERT INTO t VALUES(2, 'two hub')");
            a.sync();
            cluster.settle();
            cluster.assertConverged();
            assertEquals("1=one,2=two hub,3=two a", rows(cluster.hub));
            assertEquals(List.of(), Archive.all(cluster), "two new rows are no conflict");
        }
    }

    @Test
    void repushAfterACrashDuplicatesNothing() throws Exception {
        try (Cluster cluster = cluster(ConflictPolicy.NEWEST_WINS)) {
            var a = cluster.nodes.get(0);
            var b = cluster.nodes.get(1);
            a.exec("INSERT INTO t VALUES(10, 'ten')", "INSERT INTO n(v) VALUES('n1')", "UPDATE t SET v = 'one a' WHERE id = 1",
                    "DELETE FROM t WHERE id = 2");
            assertEquals(4, pushAndCrash(a));
            assertEquals("4", a.scalar("SELECT count(*) FROM _sm_pending"), "the crash left the pending rows");
            b.sync(); // B sees the pushed rows before A comes back
            a.sync();
            cluster.settle();
            cluster.assertConverged();
            assertEquals("1=one a,10=ten", rows(cluster.hub));
            assertEquals("1", Cluster.scalar(cluster.hub, "SELECT count(*) FROM n"));
            assertEquals(List.of(), Archive.all(cluster));
        }
    }

    /**
     * Someone else changes the pushed rows before the crashed node syncs again. Those changes came after the
     * crashed node's versions (they were written having seen them), so they win under every policy, and nothing
     * is a conflict: no re-keyed duplicate of the inserted row, no resurrected row, no reverted edit.
     */
    @ParameterizedTest
    @EnumSource(ConflictPolicy.class)
    void changesMadeAfterTheCrashedPushWin(ConflictPolicy policy) throws Exception {
        try (Cluster cluster = cluster(policy)) {
            var a = cluster.nodes.get(0);
            var b = cluster.nodes.get(1);
            a.exec("INSERT INTO t VALUES(10, 'ten')", "INSERT INTO n(v) VALUES('n1')", "UPDATE t SET v = 'one a' WHERE id = 1",
                    "UPDATE t SET v = 'two a' WHERE id = 2");
            pushAndCrash(a);
            b.sync();
            b.exec("UPDATE t SET v = 'ten b' WHERE id = 10", "UPDATE n SET v = 'n1 b'", "DELETE FROM t WHERE id = 1",
                    "UPDATE t SET v = 'two b' WHERE id = 2");
            b.sync();
            a.sync();
            cluster.settle();
            cluster.assertConverged();
            assertEquals("2=two b,10=ten b", rows(cluster.hub));
            assertEquals("n1 b", Cluster.scalar(cluster.hub, "SELECT group_concat(v) FROM n"));
            assertEquals(List.of(), Archive.all(cluster), "nothing was edited concurrently");
        }
    }

    /** After the crash the node edits its pushed row again: that is a real conflict with the other node's edit. */
    @Test
    void anEditAfterTheCrashIsARealConflictNotACollision() throws Exception {
        try (Cluster cluster = cluster(ConflictPolicy.NEWEST_WINS)) {
            var a = cluster.nodes.get(0);
            var b = cluster.nodes.get(1);
            editAfterTheCrashOnBothSides(a, b);
            b.sync();
            a.sync();
            cluster.settle();
            cluster.assertConverged();
            assertEquals("1=one,2=two,10=ten a", rows(cluster.hub),
                    "A's newer edit wins, in place: the row is not duplicated under a new key");
            assertEquals(1, a.conflicts().size());
            assertEquals("local", a.conflicts().get(0).winner());
        }
    }
}

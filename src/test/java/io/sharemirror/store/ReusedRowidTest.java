package io.sharemirror.store;

import io.sharemirror.sync.HookedStore;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.sync.ArchivedConflict;
import io.sharemirror.sync.Backoff;
import io.sharemirror.sync.Clock;
import io.sharemirror.sync.CycleRecord;
import io.sharemirror.sync.Mirror;
import io.sharemirror.sync.Retry;
import io.sharemirror.sync.conflict.ConflictPolicy;
import io.sharemirror.sync.conflict.TablePolicies;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SQLite gives a new row the largest rowid plus one, so deleting the last row and inserting makes a new row on the
 * old key. Replicas must tell that from an edit of the deleted row: the new row survives like any insert (re-keyed
 * if it collides), and the delete meets concurrent changes to the old row as a delete. Taken for an edit, the new
 * row overwrote or was overwritten by the other side (CrashRecoveryTest, strict archive check: a new row or the
 * newest edit of a row found only in the conflict archive).
 *
 * <p>After each step the test waits for the clock to pass it, so each later step is the newer change.
 */
class ReusedRowidTest {

    @TempDir
    Path dir;

    private Cluster cluster() throws Exception {
        Cluster cluster = Cluster.withSchema(dir, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)",
                "INSERT INTO t VALUES(1, 'one'), (2, 'two')");
        cluster.add(ConflictPolicy.NEWEST_WINS);
        cluster.add(ConflictPolicy.NEWEST_WINS);
        cluster.settle();
        return cluster;
    }

    private static void exec(Cluster.Node node, String... sql) throws Exception {
        node.exec(sql);
        Cluster.awaitClockPast(node.replica()); // so the next change, on any node, is the newer one
    }

    private static String rows(Cluster cluster) throws Exception {
        cluster.settle();
        cluster.assertConverged();
        return Cluster.scalar(cluster.hub, "SELECT group_concat(id || '=' || v, ',') FROM (SELECT * FROM t ORDER BY id)");
    }

    /** B replaced row 2 with a new row; A's later delete was meant for the old row 2 and leaves B's new one. */
    @Test
    void aDeleteOfTheOldRowLeavesTheNewRowMadeOnItsKey() throws Exception {
        try (Cluster cluster = cluster()) {
            var a = cluster.nodes.get(0);
            var b = cluster.nodes.get(1);
            exec(b, "DELETE FROM t WHERE id = 2", "INSERT INTO t(v) VALUES('new b')");
            assertEquals("2", b.scalar("SELECT id FROM t WHERE v = 'new b'"), "SQLite reused the rowid");
            exec(a, "DELETE FROM t WHERE id = 2");
            b.sync();
            a.sync();
            assertEquals("1=one,2=new b", rows(cluster));
            assertEquals(List.of(), Archive.all(cluster), "both deleted the old row: no conflict");
        }
    }

    /**
     * A deletes row 2 and makes a new row on its key; B edits the old row 2, before or after A's delete, and either
     * pushes first. An edit newer than the delete survives (under another key, as the new row has the old one; or it
     * keeps the key and A's new row moves, whoever finds the other's change on the hub); an older edit loses to the
     * delete. A's new row survives every time, and the delete/edit conflict is archived once.
     */
    @ParameterizedTest(name = "B's edit {0} than A's delete, {1} pushes first")
    @CsvSource({
        "newer, A, '1=one,2=new a,3=two b', A's delete",
        "newer, B, '1=one,2=two b,3=new a', A's delete",
        "older, A, '1=one,2=new a', two b",
        "older, B, '1=one,2=new a', two b"})
    void aDeleteAndANewRowOnItsKeyMeetAnEditOfTheOldRow(String edit, String first, String expected, String loser)
            throws Exception {
        try (Cluster cluster = cluster()) {
            var a = cluster.nodes.get(0);
            var b = cluster.nodes.get(1);
            if (edit.equals("older")) {
                exec(b, "UPDATE t SET v = 'two b' WHERE id = 2");
            }
            exec(a, "DELETE FROM t WHERE id = 2", "INSERT INTO t(v) VALUES('new a')");
            if (edit.equals("newer")) {
                exec(b, "UPDATE t SET v = 'two b' WHERE id = 2");
            }
            (first.equals("A") ? a : b).sync();
            (first.equals("A") ? b : a).sync();
            assertEquals(expected, rows(cluster));
            List<ArchivedConflict> archived = Archive.all(cluster);
            assertEquals(1, archived.size(), archived.toString());
            String lost = archived.get(0).loserJson();
            assertEquals(loser, lost == null ? "A's delete" : Archive.column(lost, "v"));
        }
    }

    /**
     * A's edit of row 3 is newer than B's delete of it, so A's row lives on, but the hub no longer has it; C meanwhile
     * made a new row 3 of its own (its insert had not met A's row yet) and pushes it between A's pull and A's push.
     * Two different rows: both survive, A's moved. (ContentionTest: A's edit, taken for an edit of C's new row,
     * overwrote it.)
     */
    @Test
    void anEditThatOutlivedADeleteCollidesWithANewRowOnItsKey() throws Exception {
        try (Cluster cluster = cluster()) {
            var a = cluster.nodes.get(0);
            var b = cluster.nodes.get(1);
            var c = cluster.add(ConflictPolicy.NEWEST_WINS);
            assertTrue(c.sync().succeeded());
            exec(a, "INSERT INTO t(v) VALUES('three a')");
            a.sync();
            exec(c, "INSERT INTO t(v) VALUES('three c')");
            assertEquals("3", c.scalar("SELECT id FROM t WHERE v = 'three c'"));
            b.sync();
            exec(b, "DELETE FROM t WHERE id = 3");
            b.sync();
            exec(a, "UPDATE t SET v = 'three a, edited' WHERE id = 3");
            HookedStore hooked = new HookedStore(a.mirror().store());
            hooked.beforePush = () -> assertTrue(c.sync().succeeded());
            Retry retry = new Retry(new Backoff(Duration.ofMillis(20), Duration.ofMillis(200), 3), Clock.SYSTEM);
            CycleRecord record = new Mirror("db", hooked, TablePolicies.everyTable(ConflictPolicy.NEWEST_WINS), a.state(), retry, Clock.SYSTEM)
                    .sync();
            assertTrue(record.succeeded(), record.toString());
            assertEquals("1=one,2=two,3=three c,4=three a, edited", rows(cluster));
            assertEquals(1, Archive.all(cluster).size(), "only B's delete lost, to A's newer edit");
        }
    }

    /**
     * C deletes row 3; A, then B (later, and so newer) edit it, neither having seen the delete. A's edit outlives the
     * delete and brings row 3 back; B's edit is an edit of that same row, not a row of its own: one row 3, with B's
     * values. (ContentionTest: A's revived row was logged as an insert, so B took it for someone's new row and re-keyed
     * its own edit beside it, a duplicate.)
     */
    @Test
    void twoEditsThatOutlivedADeleteAreOneRow() throws Exception {
        try (Cluster cluster = cluster()) {
            var a = cluster.nodes.get(0);
            var b = cluster.nodes.get(1);
            var c = cluster.add(ConflictPolicy.NEWEST_WINS);
            exec(a, "INSERT INTO t(v) VALUES('three')");
            a.sync();
            b.sync();
            assertTrue(c.sync().succeeded());
            exec(c, "DELETE FROM t WHERE id = 3");
            c.sync();
            exec(a, "UPDATE t SET v = 'three a' WHERE id = 3");
            a.sync();
            exec(b, "UPDATE t SET v = 'three b' WHERE id = 3");
            b.sync();
            assertEquals("1=one,2=two,3=three b", rows(cluster));
        }
    }

    /**
     * RELIABILITY.md's "delete dropped by a revival" (ContentionTest, key 255): C deleted row 2; A, not having seen
     * that, edited and then deleted it, the newest write of all; B's edit, newer than C's delete, brought the row back
     * between A's pull and A's push. A's pull had kept its own delete after C's and marked the key as holding nothing;
     * meeting B's revival under the push's lock, it took that for "a row made and deleted here" and dropped A's
     * delete, with no archive. A's delete concerns the row B revived: newest wins, the row is gone everywhere.
     */
    @Test
    void aDeleteKeptAfterAnotherDeleteMeetsARevivalOfTheSameRow() throws Exception {
        try (Cluster cluster = cluster()) {
            var a = cluster.nodes.get(0);
            var b = cluster.nodes.get(1);
            var c = cluster.add(ConflictPolicy.NEWEST_WINS);
            assertTrue(c.sync().succeeded());
            exec(c, "DELETE FROM t WHERE id = 2");
            assertTrue(c.sync().succeeded());
            exec(a, "UPDATE t SET v = 'two a' WHERE id = 2");
            exec(b, "UPDATE t SET v = 'two b' WHERE id = 2");
            exec(a, "DELETE FROM t WHERE id = 2");
            HookedStore hooked = new HookedStore(a.mirror().store());
            hooked.beforePush = () -> assertTrue(b.sync().succeeded());
            Retry retry = new Retry(new Backoff(Duration.ofMillis(20), Duration.ofMillis(200), 3), Clock.SYSTEM);
            CycleRecord record = new Mirror("db", hooked, TablePolicies.everyTable(ConflictPolicy.NEWEST_WINS), a.state(), retry, Clock.SYSTEM)
                    .sync();
            assertTrue(record.succeeded(), record.toString());
            assertEquals("1=one", rows(cluster), "A's delete is the newest write of row 2");
            assertTrue(a.conflicts().stream().anyMatch(x -> x.table().equals("t") && x.winner().equals("local")
                    && x.hubJson() != null && x.hubJson().contains("two b")), "B's revived row lost to A's delete, archived: "
                    + a.conflicts());
        }
    }

    /** Both replaced row 2 with a new row: two new rows, both kept, and nobody's delete is a conflict. */
    @Test
    void twoNewRowsOnTheSameReusedKeyAreBothKept() throws Exception {
        try (Cluster cluster = cluster()) {
            var a = cluster.nodes.get(0);
            var b = cluster.nodes.get(1);
            exec(a, "DELETE FROM t WHERE id = 2", "INSERT INTO t(v) VALUES('new a')");
            exec(b, "DELETE FROM t WHERE id = 2", "INSERT INTO t(v) VALUES('new b')");
            a.sync();
            b.sync();
            assertEquals("1=one,2=new a,3=new b", rows(cluster));
            assertEquals(List.of(), Archive.all(cluster));
        }
    }

    /** A replaced row 2 and then deleted its new row too; B's newer edit of the old row 2 still wins over A's delete. */
    @Test
    void anEditNewerThanTheDeleteSurvivesWhenTheNewRowIsGoneToo() throws Exception {
        try (Cluster cluster = cluster()) {
            var a = cluster.nodes.get(0);
            var b = cluster.nodes.get(1);
            exec(a, "DELETE FROM t WHERE id = 2", "INSERT INTO t(v) VALUES('new a')");
            a.sync();
            exec(b, "UPDATE t SET v = 'two b' WHERE id = 2");
            exec(a, "DELETE FROM t WHERE id = 2");
            a.sync();
            b.sync();
            assertEquals("1=one,2=two b", rows(cluster), "B's edit came after the delete of the old row 2");
        }
    }
}

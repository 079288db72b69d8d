package io.sharemirror.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sharemirror.sync.ArchivedConflict;
import io.sharemirror.sync.conflict.ConflictPolicy;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQLite gives a new row the largest rowid plus one, so deleting the last row and inserting makes a new row on the
 * old key. Replicas must tell that from an edit of the deleted row: the new row survives like any insert (re-keyed
 * if it collides), and the delete meets concurrent changes to the old row as a delete. Taken for an edit, the new
 * row overwrote or was overwritten by the other side (CrashRecoveryTest, strict archive check: a new row or the
 * newest edit of a row found only in the conflict archive).
 *
 * <p>Steps are a few milliseconds apart, so each later step is the newer change.
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
        Thread.sleep(5);
        node.exec(sql);
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

    /** B's edit of row 2 is newer than A's delete of it: the edited row survives, and so does A's new row. */
    @Test
    void anEditNewerThanTheDeleteSurvivesBesideTheNewRow() throws Exception {
        try (Cluster cluster = cluster()) {
            var a = cluster.nodes.get(0);
            var b = cluster.nodes.get(1);
            exec(a, "DELETE FROM t WHERE id = 2", "INSERT INTO t(v) VALUES('new a')");
            exec(b, "UPDATE t SET v = 'two b' WHERE id = 2");
            a.sync();
            b.sync();
            assertEquals("1=one,2=new a,3=two b", rows(cluster), "B's edit moved to a free key");
            List<ArchivedConflict> archived = Archive.all(cluster);
            assertEquals(1, archived.size(), "the delete lost to the newer edit: " + archived);
            assertEquals("local", archived.get(0).winner());
        }
    }

    /** B's edit of row 2 is older than A's delete of it: the edit loses to the delete, A's new row stays. */
    @Test
    void anEditOlderThanTheDeleteLosesToIt() throws Exception {
        try (Cluster cluster = cluster()) {
            var a = cluster.nodes.get(0);
            var b = cluster.nodes.get(1);
            exec(b, "UPDATE t SET v = 'two b' WHERE id = 2");
            exec(a, "DELETE FROM t WHERE id = 2", "INSERT INTO t(v) VALUES('new a')");
            a.sync();
            b.sync();
            assertEquals("1=one,2=new a", rows(cluster));
            List<ArchivedConflict> archived = Archive.all(cluster);
            assertEquals(1, archived.size(), archived.toString());
            assertEquals("two b", archived.get(0).loserJson().replaceAll(".*\"v\":\"([^\"]*)\".*", "$1"));
        }
    }

    /** The same two cases met from the other side: the replica that replaced the row pulls the edit. */
    @Test
    void theReplicaThatReplacedTheRowMeetsANewerEdit() throws Exception {
        try (Cluster cluster = cluster()) {
            var a = cluster.nodes.get(0);
            var b = cluster.nodes.get(1);
            exec(a, "DELETE FROM t WHERE id = 2", "INSERT INTO t(v) VALUES('new a')");
            exec(b, "UPDATE t SET v = 'two b' WHERE id = 2");
            b.sync();
            a.sync();
            assertEquals("1=one,2=two b,3=new a", rows(cluster), "A's new row moved to a free key");
            assertEquals(1, Archive.all(cluster).size(), "A's delete lost to the newer edit");
        }
    }

    @Test
    void theReplicaThatReplacedTheRowMeetsAnOlderEdit() throws Exception {
        try (Cluster cluster = cluster()) {
            var a = cluster.nodes.get(0);
            var b = cluster.nodes.get(1);
            exec(b, "UPDATE t SET v = 'two b' WHERE id = 2");
            exec(a, "DELETE FROM t WHERE id = 2", "INSERT INTO t(v) VALUES('new a')");
            b.sync();
            a.sync();
            assertEquals("1=one,2=new a", rows(cluster));
            List<ArchivedConflict> archived = Archive.all(cluster);
            assertEquals(1, archived.size(), archived.toString());
            assertEquals("hub", archived.get(0).loserSide(), "the older edit lost");
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

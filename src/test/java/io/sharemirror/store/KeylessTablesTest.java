package io.sharemirror.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.sync.CycleRecord;
import io.sharemirror.sync.conflict.ConflictPolicy;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tables without a declared primary key are known by rowid on every copy. VACUUM renumbers the rows of such a table
 * unless it has an index, so ShareMirror gives each one an index that holds nothing (RowidGuard); a canary tells if
 * some SQLite renumbered them anyway, and then those tables stop syncing, said loudly, instead of edits landing on
 * the wrong rows with status OK.
 */
class KeylessTablesTest {

    @TempDir
    Path dir;

    private Cluster cluster() throws Exception {
        Cluster cluster = Cluster.withSchema(dir, "CREATE TABLE note(body TEXT, n INTEGER)",
                "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)",
                "INSERT INTO note VALUES('one', 1), ('two', 2), ('three', 3), ('four', 4), ('five', 5)",
                "INSERT INTO t VALUES(1, 'one')");
        cluster.add(ConflictPolicy.NEWEST_WINS);
        cluster.add(ConflictPolicy.NEWEST_WINS);
        cluster.settle();
        return cluster;
    }

    /** Rows 1 and 3 deleted leave gaps that a VACUUM of a table without an index closes (renumbering 2, 4, 5). */
    @Test
    void aVacuumOfTheHubKeepsTheRowidsSoLaterEditsLandOnTheirRows() throws Exception {
        try (Cluster cluster = cluster()) {
            var a = cluster.nodes.get(0);
            var b = cluster.nodes.get(1);
            a.exec("DELETE FROM note WHERE n IN (1, 3)");
            cluster.settle();
            assertEquals(0, OtherPrograms.sqlite3(cluster.hub, "VACUUM;").exitCode(), "the sqlite3 shell, as a user would");
            assertEquals("2,4,5", Cluster.scalar(cluster.hub, "SELECT group_concat(rowid) FROM (SELECT rowid FROM note"
                    + " ORDER BY rowid)"), "the empty index kept the rowids through VACUUM");
            a.exec("UPDATE note SET body = 'four, edited on a' WHERE n = 4");
            b.exec("DELETE FROM note WHERE n = 5");
            cluster.hubExec("INSERT INTO note VALUES('six, made on the hub', 6)");
            cluster.settle();
            cluster.assertConverged();
            assertEquals("two|four, edited on a|six, made on the hub", Cluster.scalar(cluster.hub,
                    "SELECT group_concat(body, '|') FROM (SELECT body FROM note ORDER BY n)"));
        }
    }

    /**
     * An SQLite that renumbers rows in spite of the index (made here by dropping the empty indexes before the VACUUM):
     * the canary's gap closes, and every replica stops syncing the table without a key, saying why, while the other
     * tables sync; made afresh, a replica syncs it again.
     */
    @Test
    void rowsRenumberedAnywayStopThatTableLoudlyUntilTheReplicaIsMadeAfresh() throws Exception {
        try (Cluster cluster = cluster()) {
            var a = cluster.nodes.get(0);
            var b = cluster.nodes.get(1);
            a.exec("DELETE FROM note WHERE n IN (1, 3)");
            cluster.settle();
            cluster.hubExec("DROP INDEX _sm_keep_note", "DROP INDEX _sm_keep__sm_rowids", "VACUUM");
            assertEquals("1,2,3", Cluster.scalar(cluster.hub, "SELECT group_concat(rowid) FROM (SELECT rowid FROM note"
                    + " ORDER BY rowid)"), "renumbered");
            a.exec("UPDATE note SET body = 'four, edited on a' WHERE n = 4", "UPDATE t SET v = 'one a' WHERE id = 1");
            CycleRecord record = a.sync();
            assertFalse(record.succeeded(), record.toString());
            assertTrue(record.error().contains("note") && record.error().contains("renumbered"), record.error());
            assertEquals("one a", Cluster.scalar(cluster.hub, "SELECT v FROM t"), "the other table still syncs");
            assertEquals("four", Cluster.scalar(cluster.hub, "SELECT body FROM note WHERE n = 4"),
                    "nothing is written by rowid into the renumbered table");
            assertFalse(b.sync().succeeded(), "every replica stops it");

            b.mirror().clearCache(false);
            assertTrue(b.sync().succeeded(), "made afresh, a replica syncs it again");
            b.exec("UPDATE note SET body = 'five, edited on b' WHERE n = 5");
            assertTrue(b.sync().succeeded());
            assertEquals("five, edited on b", Cluster.scalar(cluster.hub, "SELECT body FROM note WHERE n = 5"));
            a.mirror().clearCache(true);
            cluster.settle();
            cluster.assertConverged();
            assertTrue(a.conflicts().stream().anyMatch(c -> c.table().equals("note") && c.winner().equals("discarded")),
                    "A's edit that could not be pushed is in the archive: " + a.conflicts());
        }
    }
}

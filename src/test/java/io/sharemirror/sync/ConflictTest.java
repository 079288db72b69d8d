package io.sharemirror.sync;

import io.sharemirror.store.Archive;
import io.sharemirror.store.Cluster;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.sync.conflict.ConflictPolicy;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Keys changed on two replicas while apart: collisions, edit conflicts per policy, key changes. */
class ConflictTest {

    @TempDir
    Path dir;

    private Cluster cluster(ConflictPolicy policy) throws Exception {
        return cluster(policy, dir);
    }

    private static Cluster cluster(ConflictPolicy policy, Path root) throws Exception {
        Cluster cluster = Cluster.withSchema(root, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)",
                "CREATE TABLE n(v TEXT)", "CREATE TABLE p(a INTEGER, b TEXT, v TEXT, PRIMARY KEY(a, b))",
                "INSERT INTO t VALUES(1, 'base'), (2, 'base 2')", "INSERT INTO n(rowid, v) VALUES(1, 'base')",
                "INSERT INTO p VALUES(1, 'x', 'base')");
        cluster.add(policy);
        cluster.add(policy);
        cluster.settle();
        return cluster;
    }

    @Test
    void integerKeyInsertCollisionKeepsBothRows() throws Exception {
        try (Cluster cluster = cluster(ConflictPolicy.NEWEST_WINS)) {
            var a = cluster.nodes.get(0);
            var b = cluster.nodes.get(1);
            a.exec("INSERT INTO t VALUES(10, 'from a')", "INSERT INTO t(v) VALUES('auto a')");
            b.exec("INSERT INTO t VALUES(10, 'from b')", "INSERT INTO t(v) VALUES('auto b')");
            a.sync();
            b.sync();
            cluster.settle();
            cluster.assertConverged();
            for (String v : List.of("from a", "from b", "auto a", "auto b")) {
                assertEquals("1", Cluster.scalar(cluster.hub, "SELECT count(*) FROM t WHERE v = '" + v + "'"), v);
            }
            assertEquals("from a", Cluster.scalar(cluster.hub, "SELECT v FROM t WHERE id = 10"), "the first push keeps its key");
            assertEquals(List.of(), Archive.all(cluster), "a collision is not a conflict");
        }
    }

    @Test
    void rowidInsertCollisionInATableWithoutKeyKeepsBothRows() throws Exception {
        try (Cluster cluster = cluster(ConflictPolicy.NEWEST_WINS)) {
            var a = cluster.nodes.get(0);
            var b = cluster.nodes.get(1);
            a.exec("INSERT INTO n(v) VALUES('a1'), ('a2')");
            b.exec("INSERT INTO n(v) VALUES('b1')", "INSERT INTO n(v) VALUES('b2')", "UPDATE n SET v = 'b2 edited' WHERE v = 'b2'");
            assertEquals("2", b.scalar("SELECT min(rowid) FROM n WHERE v = 'b1'"), "same rowids on both sides");
            a.sync();
            b.sync();
            cluster.settle();
            cluster.assertConverged();
            assertEquals("base,a1,a2,b1,b2 edited", Cluster.scalar(cluster.hub, "SELECT group_concat(v) FROM (SELECT v FROM n ORDER BY rowid)"));
            assertEquals(List.of(), Archive.all(cluster), "a collision is not a conflict");
        }
    }

    /**
     * The same key edited on both replicas while apart; A pushes first, B meets the conflict. {@code skew} says whose
     * clock runs far ahead, so newest-wins is tested both ways.
     */
    @ParameterizedTest(name = "{0}, A={1}, B={2}, fast clock {3}")
    @CsvSource({
        "NEWEST_WINS, update, update, a", "NEWEST_WINS, update, update, b",
        "NEWEST_WINS, delete, update, a", "NEWEST_WINS, delete, update, b",
        "NEWEST_WINS, update, delete, a", "NEWEST_WINS, update, delete, b",
        "HUB_WINS, update, update, b", "HUB_WINS, delete, update, b", "HUB_WINS, update, delete, b",
        "REPLICA_WINS, update, update, a", "REPLICA_WINS, delete, update, a", "REPLICA_WINS, update, delete, a",
    })
    void editConflictFollowsThePolicyAndArchivesTheLoser(ConflictPolicy policy, String opA, String opB, String fast)
            throws Exception {
        for (String table : List.of("t", "p")) {
            try (Cluster cluster = cluster(policy, dir.resolve(table))) {
                var a = cluster.nodes.get(0);
                var b = cluster.nodes.get(1);
                String where = table.equals("t") ? "id = 1" : "a = 1 AND b = 'x'";
                String pk = table.equals("t") ? "[1]" : "[1,\"x\"]";
                (fast.equals("a") ? a : b).exec("UPDATE _sm_state SET clock = clock + 3600000");
                a.exec(opA.equals("update") ? "UPDATE " + table + " SET v = 'a' WHERE " + where : "DELETE FROM " + table + " WHERE " + where);
                b.exec(opB.equals("update") ? "UPDATE " + table + " SET v = 'b' WHERE " + where : "DELETE FROM " + table + " WHERE " + where);
                long tsA = Long.parseLong(a.scalar("SELECT ts FROM _sm_pending"));
                long tsB = Long.parseLong(b.scalar("SELECT ts FROM _sm_pending"));
                String nodeA = a.scalar("SELECT node FROM _sm_state");
                String nodeB = b.scalar("SELECT node FROM _sm_state");
                a.sync();
                b.sync();
                cluster.settle();
                cluster.assertConverged();

                boolean aWins = switch (policy) {
                    case HUB_WINS -> true; // A's version reached the hub first
                    case REPLICA_WINS -> false; // B met the conflict and kept its own
                    case NEWEST_WINS -> tsA != tsB ? tsA > tsB : nodeA.compareTo(nodeB) > 0;
                };
                assertEquals(fast.equals("a"), tsA > tsB, "the fast clock made its write newer");
                String winnerOp = aWins ? opA : opB;
                String expected = winnerOp.equals("delete") ? null : aWins ? "a" : "b";
                assertEquals(expected, Cluster.scalar(cluster.hub, "SELECT v FROM " + table + " WHERE " + where),
                        policy + " on " + table);

                List<ArchivedConflict> archived = b.conflicts();
                assertEquals(1, archived.size(), "B archived the conflict: " + archived);
                assertEquals(0, a.conflicts().size());
                ArchivedConflict record = archived.get(0);
                assertEquals(table, record.table());
                assertEquals(pk, record.key());
                assertEquals(aWins ? "hub" : "local", record.winner());
                assertTrue(record.reason().startsWith(policy.configName() + " policy"), record.reason());
                String loser = record.loserJson();
                String loserOp = aWins ? opB : opA;
                String winner = aWins ? record.hubJson() : record.localJson();
                if (loserOp.equals("delete")) {
                    assertNull(loser, "a losing delete is archived as a null row");
                } else {
                    assertEquals(aWins ? "b" : "a", Archive.column(loser, "v"), loser);
                }
                if (winnerOp.equals("delete")) {
                    assertNull(winner);
                } else {
                    assertEquals(aWins ? "a" : "b", Archive.column(winner, "v"), winner);
                }
            }
        }
    }

    /**
     * Applications often save with INSERT OR REPLACE. On a row that exists that is an edit, not a new row: edited on
     * both sides it is a conflict to resolve, never a collision that duplicates the row under a new key. INSERT OR
     * IGNORE of an existing row changes nothing and queues nothing.
     */
    @Test
    void insertOrReplaceOfAnExistingRowIsAnEditNotANewRow() throws Exception {
        try (Cluster cluster = cluster(ConflictPolicy.NEWEST_WINS)) {
            var a = cluster.nodes.get(0);
            var b = cluster.nodes.get(1);
            a.exec("INSERT OR IGNORE INTO t VALUES(2, 'ignored')");
            assertEquals("0", a.scalar("SELECT count(*) FROM _sm_pending"), "an ignored insert changed nothing");
            b.exec("UPDATE t SET v = 'b' WHERE id = 1");
            a.exec("UPDATE _sm_state SET clock = clock + 3600000", "INSERT OR REPLACE INTO t VALUES(1, 'a replaced')",
                    "INSERT OR REPLACE INTO t VALUES(7, 'a new')", "INSERT OR REPLACE INTO n(rowid, v) VALUES(1, 'a n')");
            b.exec("UPDATE n SET v = 'b n' WHERE rowid = 1", "INSERT OR IGNORE INTO t VALUES(7, 'b new')");
            b.sync();
            a.sync();
            cluster.settle();
            cluster.assertConverged();
            assertEquals("1=a replaced,2=base 2,7=b new,8=a new", Cluster.scalar(cluster.hub,
                    "SELECT group_concat(id || '=' || v, ',') FROM (SELECT * FROM t ORDER BY id)"));
            assertEquals("a n", Cluster.scalar(cluster.hub, "SELECT group_concat(v) FROM n"));
            assertEquals(2, a.conflicts().size(), "rows 1 of t and n were edited on both sides: " + a.conflicts());
        }
    }

    /**
     * A and B both delete a row, C edits it, all while apart. B's delete is the newest. Whoever pushes first, the
     * newest delete must win: B meeting A's identical delete must not throw away its newer stamp, or C's edit
     * (newer than A's delete, older than B's) would bring the row back.
     */
    @Test
    void concurrentDeletesKeepTheNewestStamp() throws Exception {
        try (Cluster cluster = cluster(ConflictPolicy.NEWEST_WINS)) {
            var a = cluster.nodes.get(0);
            var b = cluster.nodes.get(1);
            var c = cluster.add(ConflictPolicy.NEWEST_WINS);
            c.sync();
            a.exec("DELETE FROM t WHERE id = 1");
            c.exec("UPDATE _sm_state SET clock = clock + 1000000", "UPDATE t SET v = 'c' WHERE id = 1");
            b.exec("UPDATE _sm_state SET clock = clock + 2000000", "DELETE FROM t WHERE id = 1");
            a.sync();
            b.sync(); // meets A's delete: the same state, but B's is newer
            c.sync(); // C's edit is newer than A's delete, older than B's
            cluster.settle();
            cluster.assertConverged();
            assertEquals("0", Cluster.scalar(cluster.hub, "SELECT count(*) FROM t WHERE id = 1"));
            assertEquals(1, Archive.all(cluster).size(), "only C's edit lost: " + Archive.all(cluster));
            assertEquals("c", Archive.column(c.conflicts().get(0).localJson(), "v"), c.conflicts().toString());
        }
    }

    @Test
    void keyChangeMovesTheRowOnTheHubAndTheOtherReplica() throws Exception {
        try (Cluster cluster = cluster(ConflictPolicy.NEWEST_WINS)) {
            var a = cluster.nodes.get(0);
            var b = cluster.nodes.get(1);
            a.exec("UPDATE t SET id = 100 WHERE id = 1", "UPDATE p SET b = 'y' WHERE a = 1",
                    "UPDATE n SET rowid = 50 WHERE rowid = 1");
            a.sync();
            b.sync();
            cluster.assertConverged();
            assertEquals("base", Cluster.scalar(b.replica(), "SELECT v FROM t WHERE id = 100"));
            assertEquals("0", Cluster.scalar(b.replica(), "SELECT count(*) FROM t WHERE id = 1"));
            assertEquals("y", Cluster.scalar(b.replica(), "SELECT group_concat(b) FROM p"));
            assertEquals("50", Cluster.scalar(b.replica(), "SELECT group_concat(rowid) FROM n"));
            assertEquals(List.of(), Archive.all(cluster));
        }
    }

    @Test
    void keyChangeOntoAKeyAnotherReplicaInsertedKeepsBothRows() throws Exception {
        try (Cluster cluster = cluster(ConflictPolicy.NEWEST_WINS)) {
            var a = cluster.nodes.get(0);
            var b = cluster.nodes.get(1);
            a.exec("INSERT INTO t VALUES(100, 'inserted on a')");
            b.exec("UPDATE t SET id = 100 WHERE id = 2");
            a.sync();
            b.sync();
            cluster.settle();
            cluster.assertConverged();
            assertEquals("1", Cluster.scalar(cluster.hub, "SELECT count(*) FROM t WHERE v = 'inserted on a'"));
            assertEquals("1", Cluster.scalar(cluster.hub, "SELECT count(*) FROM t WHERE v = 'base 2'"));
            assertEquals("0", Cluster.scalar(cluster.hub, "SELECT count(*) FROM t WHERE id = 2"));
            assertEquals(List.of(), Archive.all(cluster));
        }
    }
}

package io.sharemirror.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.sync.ArchivedConflict;
import io.sharemirror.sync.Key;
import io.sharemirror.sync.Waiting;
import io.sharemirror.sync.WayOut;
import io.sharemirror.sync.WayOutRefused;
import io.sharemirror.sync.conflict.ConflictPolicy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A UNIQUE clash no policy can decide waits for a person, who takes one of the ways out on the desktop where it
 * waits: keep mine, keep theirs, or keep both under another value. Here desktop a made supplier 10 with code 'NEW'
 * and a part that points at it under ON DELETE RESTRICT; desktop b made supplier 20 with the same code later. The
 * policy would give the code to b's row, but a's row cannot go while its part points at it: both changes wait on a,
 * and the code stays b's on the hub meanwhile.
 */
class WaysOutTest {

    @TempDir
    Path dir;

    private Cluster clash() throws Exception {
        Cluster cluster = Cluster.withSchema(dir,
                "CREATE TABLE supplier(id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, name TEXT)",
                "CREATE TABLE part(id INTEGER PRIMARY KEY, supplier_id INTEGER REFERENCES supplier(id)"
                        + " ON DELETE RESTRICT, v TEXT)",
                "CREATE TABLE note(id INTEGER PRIMARY KEY, v TEXT)",
                "INSERT INTO supplier VALUES(1, 'S1', 'one')");
        cluster.add(ConflictPolicy.NEWEST_WINS);
        cluster.add(ConflictPolicy.NEWEST_WINS);
        cluster.settle();
        var a = cluster.nodes.get(0);
        var b = cluster.nodes.get(1);
        a.exec("INSERT INTO supplier VALUES(10, 'NEW', 'made on a')", "INSERT INTO part VALUES(1, 10, 'bolt')");
        long ours = Long.parseLong(a.scalar("SELECT max(ts) FROM _sm_pending"));
        while (System.currentTimeMillis() <= ours) {
            Thread.onSpinWait(); // b's row is made later than ours, on the same clock
        }
        b.exec("INSERT INTO supplier VALUES(20, 'NEW', 'made on b')");
        Cluster.assertSynced(b.sync());
        a.exec("INSERT INTO note VALUES(1, 'unrelated, from a')");
        Cluster.assertSynced(a.sync());
        return cluster;
    }

    @Test
    void theClashWaitsNamedAndTheRestSyncs() throws Exception {
        try (Cluster cluster = clash()) {
            var a = cluster.nodes.get(0);
            List<Waiting> waiting = a.store().replica().waiting();
            assertTrue(!waiting.isEmpty(), "the clash waits on a");
            Waiting w = waiting.get(0);
            assertTrue(w.describe().contains("supplier") && w.describe().contains("'NEW'"), w.describe());
            assertEquals(List.of("code"), w.clash().columns(), "the column a person changes");
            assertEquals("unrelated, from a", Cluster.scalar(cluster.hub, "SELECT v FROM note"), "the rest syncs");
            assertEquals("20", Cluster.scalar(cluster.hub, "SELECT id FROM supplier WHERE code = 'NEW'"));
        }
    }

    @Test
    void keepMineGivesTheCodeToThisComputersRowAndArchivesTheHubs() throws Exception {
        try (Cluster cluster = clash()) {
            var a = cluster.nodes.get(0);
            var b = cluster.nodes.get(1);
            a.mirror().resolve(a.store().replica().waiting().get(0), WayOut.KEEP_MINE);
            Cluster.assertSynced(a.sync());
            Cluster.assertSynced(b.sync());
            cluster.settle();
            cluster.assertConverged();
            assertEquals("10|made on a", Cluster.scalar(cluster.hub, "SELECT id || '|' || name FROM supplier"
                    + " WHERE code = 'NEW'"));
            assertEquals("0", Cluster.scalar(cluster.hub, "SELECT count(*) FROM supplier WHERE id = 20"));
            assertEquals(List.of(), a.store().replica().waiting());
            assertTrue(Archive.all(cluster).stream().anyMatch(c -> c.loserJson().contains("made on b")
                    && c.reason().contains("Keep Mine")), Archive.all(cluster).toString());
        }
    }

    @Test
    void keepTheirsIsRefusedWhileThisComputersRowsPointAtMine() throws Exception {
        try (Cluster cluster = clash()) {
            var a = cluster.nodes.get(0);
            WayOutRefused refused = assertThrows(WayOutRefused.class,
                    () -> a.mirror().resolve(a.store().replica().waiting().get(0), WayOut.KEEP_THEIRS));
            assertTrue(refused.getMessage().contains("part [1]") && refused.getMessage().contains("RESTRICT"),
                    refused.getMessage());
            assertTrue(refused.hint().contains("keep both"), refused.hint());
            assertTrue(!a.store().replica().waiting().isEmpty(), "nothing changed: it still waits");
        }
    }

    @Test
    void keepTheirsArchivesMineOnceNothingPointsAtIt() throws Exception {
        try (Cluster cluster = clash()) {
            var a = cluster.nodes.get(0);
            var b = cluster.nodes.get(1);
            a.exec("DELETE FROM part WHERE id = 1");
            a.mirror().resolve(a.store().replica().waiting().get(0), WayOut.KEEP_THEIRS);
            Cluster.assertSynced(a.sync());
            Cluster.assertSynced(b.sync());
            cluster.settle();
            cluster.assertConverged();
            assertEquals("20|made on b", Cluster.scalar(cluster.hub, "SELECT id || '|' || name FROM supplier"
                    + " WHERE code = 'NEW'"));
            assertEquals(List.of(), a.store().replica().waiting());
            List<ArchivedConflict> archived = Archive.all(cluster);
            assertTrue(archived.stream().anyMatch(c -> c.loserJson().contains("made on a")
                    && c.reason().contains("Keep Theirs")), archived.toString());
        }
    }

    @Test
    void keepBothGivesOneRowTheValueTypedAndBothLive() throws Exception {
        try (Cluster cluster = clash()) {
            var a = cluster.nodes.get(0);
            var b = cluster.nodes.get(1);
            Waiting w = a.store().replica().waiting().get(0);
            Key mine = w.fromHub() ? w.clash().other() : w.key();
            WayOutRefused again = assertThrows(WayOutRefused.class,
                    () -> a.mirror().rewrite(w, mine, Map.of("code", "S1")));
            assertTrue(again.getMessage().contains("'S1'") && again.getMessage().contains("supplier [1]"),
                    again.getMessage());
            assertThrows(WayOutRefused.class, () -> a.mirror().rewrite(w, mine, Map.of("id", "99")),
                    "the key says which row it is");
            a.mirror().rewrite(w, mine, Map.of("code", "NEW-A"));
            Cluster.assertSynced(a.sync());
            Cluster.assertSynced(b.sync());
            cluster.settle();
            cluster.assertConverged();
            assertEquals("1=S1,10=NEW-A,20=NEW", Cluster.scalar(cluster.hub, "SELECT group_concat(id || '=' || code)"
                    + " FROM (SELECT * FROM supplier ORDER BY id)"));
            assertEquals(List.of(), a.store().replica().waiting());
            assertEquals(List.of(), Archive.all(cluster), "nothing lost, nothing archived");
        }
    }
}

package io.sharemirror.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.sync.ArchivedConflict;
import io.sharemirror.sync.Key;
import io.sharemirror.sync.conflict.ConflictPolicy;
import io.sharemirror.sync.conflict.MergeMode;
import io.sharemirror.sync.conflict.TablePolicies;
import io.sharemirror.sync.conflict.TablePolicy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * merge: column end to end, on real SQLite files: two desktops and a direct writer on the hub edit one row; the table
 * {@code item} merges columns, {@code log} (configured apart) whole rows.
 */
class ColumnMergeTest {

    private static final TablePolicies POLICIES = new TablePolicies(
            new TablePolicy(ConflictPolicy.NEWEST_WINS, MergeMode.COLUMN),
            Map.of("LOG", new TablePolicy(ConflictPolicy.NEWEST_WINS, MergeMode.ROW)));
    private static final String ROW = "SELECT name || '|' || qty || '|' || note FROM item WHERE id = 1";

    @TempDir
    Path dir;

    private Cluster cluster() throws Exception {
        Cluster cluster = Cluster.withSchema(dir, "CREATE TABLE item(id INTEGER PRIMARY KEY, name TEXT, qty INTEGER,"
                + " note TEXT)", "CREATE TABLE log(id INTEGER PRIMARY KEY, name TEXT, qty INTEGER)",
                "INSERT INTO item VALUES(1, 'bolt', 10, 'n')", "INSERT INTO log VALUES(1, 'bolt', 10)");
        cluster.add(POLICIES);
        cluster.add(POLICIES);
        cluster.settle();
        return cluster;
    }

    @Test
    void editsOfDifferentColumnsOnTwoDesktopsAndTheHubAllEndUpInTheRow() throws Exception {
        try (Cluster cluster = cluster()) {
            Cluster.Node a = cluster.nodes.get(0);
            Cluster.Node b = cluster.nodes.get(1);
            a.exec("UPDATE item SET name = 'bolt M6' WHERE id = 1");
            b.exec("UPDATE item SET qty = 11 WHERE id = 1");
            cluster.hubExec("UPDATE item SET note = 'checked' WHERE id = 1");
            a.sync();
            b.sync();
            cluster.settle();
            cluster.assertConverged();
            assertEquals("bolt M6|11|checked", Cluster.scalar(cluster.hub, ROW));
            assertEquals(List.of(), a.conflicts());
            assertEquals(List.of(), b.conflicts());
        }
    }

    @Test
    void aColumnChangedOnBothSidesGoesByThePolicyAndOnlyItsLosingValueIsArchivedAndRestored() throws Exception {
        try (Cluster cluster = cluster()) {
            Cluster.Node a = cluster.nodes.get(0);
            Cluster.Node b = cluster.nodes.get(1);
            a.exec("UPDATE item SET name = 'bolt M6', qty = 12 WHERE id = 1");
            b.exec("UPDATE _sm_state SET clock = clock + 60000", "UPDATE item SET qty = 11, note = 'b' WHERE id = 1");
            a.sync();
            b.sync(); // B's qty is newer; A's name and B's note do not meet
            cluster.settle();
            cluster.assertConverged();
            assertEquals("bolt M6|11|b", Cluster.scalar(cluster.hub, ROW));
            assertEquals(List.of(), a.conflicts());
            ArchivedConflict lost = b.conflicts().get(0);
            assertEquals(1, b.conflicts().size());
            assertEquals(List.of("qty"), lost.columns());
            assertEquals("local", lost.winner());
            assertTrue(lost.loserJson().contains("\"qty\":12"), lost::loserJson);

            b.store().replica().restore(new Key(lost.table(), lost.key()), lost.loserJson(), lost.columns());
            cluster.settle();
            cluster.assertConverged();
            assertEquals("bolt M6|12|b", Cluster.scalar(cluster.hub, ROW), "only the losing value came back");
        }
    }

    @Test
    void aTableConfiguredForRowMergesKeepsOneSidesWholeRow() throws Exception {
        try (Cluster cluster = cluster()) {
            Cluster.Node a = cluster.nodes.get(0);
            Cluster.Node b = cluster.nodes.get(1);
            a.exec("UPDATE log SET name = 'bolt M6' WHERE id = 1");
            b.exec("UPDATE _sm_state SET clock = clock + 60000", "UPDATE log SET qty = 11 WHERE id = 1");
            a.sync();
            b.sync();
            cluster.settle();
            cluster.assertConverged();
            assertEquals("bolt|11", Cluster.scalar(cluster.hub, "SELECT name || '|' || qty FROM log WHERE id = 1"));
            assertEquals(List.of(), b.conflicts().get(0).columns(), "the whole row lost");
        }
    }
}

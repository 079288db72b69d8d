package io.sharemirror.sync;

import io.sharemirror.store.Cluster;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * merge: column end to end, on real SQLite files: two desktops (and a direct writer on the hub) edit one row; the
 * table {@code item} merges columns, {@code log} (configured apart) whole rows.
 */
class ColumnMergeTest {

    private static final TablePolicies POLICIES = new TablePolicies(
            new TablePolicy(ConflictPolicy.NEWEST_WINS, MergeMode.COLUMN),
            Map.of("LOG", new TablePolicy(ConflictPolicy.NEWEST_WINS, MergeMode.ROW)));
    private static final String ROW = "SELECT name || '|' || qty || '|' || note FROM item WHERE id = 1";

    @TempDir
    Path dir;

    private Cluster cluster() throws Exception {
        return Cluster.twoDesktops(dir, POLICIES, "CREATE TABLE item(id INTEGER PRIMARY KEY, name TEXT, qty INTEGER,"
                + " note TEXT)", "CREATE TABLE log(id INTEGER PRIMARY KEY, name TEXT, qty INTEGER)",
                "INSERT INTO item VALUES(1, 'bolt', 10, 'n')", "INSERT INTO log VALUES(1, 'bolt', 10)");
    }

    /** Desktop A runs {@code byA}, then B {@code byB} a minute later by its clock; A syncs, then B, then all settle. */
    private static void editBoth(Cluster cluster, String byA, String byB) throws Exception {
        cluster.nodes.get(0).exec(byA);
        cluster.nodes.get(1).exec("UPDATE _sm_state SET clock = clock + 60000", byB);
        cluster.nodes.get(0).sync();
        cluster.nodes.get(1).sync();
        cluster.settle();
        cluster.assertConverged();
    }

    @Test
    void editsOfDifferentColumnsOnTwoDesktopsBothEndUpInTheRow() throws Exception {
        try (Cluster cluster = cluster()) {
            editBoth(cluster, "UPDATE item SET name = 'bolt M6' WHERE id = 1", "UPDATE item SET qty = 11 WHERE id = 1");
            assertEquals("bolt M6|11|n", Cluster.scalar(cluster.hub, ROW));
            assertEquals(List.of(), cluster.nodes.get(0).conflicts());
            assertEquals(List.of(), cluster.nodes.get(1).conflicts());
        }
    }

    /** The hub's triggers do not say which columns a direct writer changed (README): its edit is the whole row. */
    @Test
    void aDirectWritersEditOnTheHubMeetsADesktopsEditAsAWholeRow() throws Exception {
        try (Cluster cluster = cluster()) {
            cluster.hubExec("UPDATE item SET note = 'checked' WHERE id = 1");
            Cluster.Node a = cluster.nodes.get(0);
            a.exec("UPDATE _sm_state SET clock = clock + 60000", "UPDATE item SET name = 'bolt M6' WHERE id = 1");
            a.sync();
            assertEquals("bolt M6|10|n", Cluster.scalar(cluster.hub, ROW));
            assertEquals(List.of(), a.conflicts().get(0).columns());
        }
    }

    @Test
    void aColumnChangedOnBothSidesGoesByThePolicyAndOnlyItsLosingValueIsArchivedAndRestored() throws Exception {
        try (Cluster cluster = cluster()) {
            // B's qty is newer; A's name and B's note do not meet.
            editBoth(cluster, "UPDATE item SET name = 'bolt M6', qty = 12 WHERE id = 1",
                    "UPDATE item SET qty = 11, note = 'b' WHERE id = 1");
            assertEquals("bolt M6|11|b", Cluster.scalar(cluster.hub, ROW));
            assertEquals(List.of(), cluster.nodes.get(0).conflicts());
            Cluster.Node b = cluster.nodes.get(1);
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
            editBoth(cluster, "UPDATE log SET name = 'bolt M6' WHERE id = 1", "UPDATE log SET qty = 11 WHERE id = 1");
            assertEquals("bolt|11", Cluster.scalar(cluster.hub, "SELECT name || '|' || qty FROM log WHERE id = 1"));
            assertEquals(List.of(), cluster.nodes.get(1).conflicts().get(0).columns(), "the whole row lost");
        }
    }
}

package io.sharemirror.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.sync.Key;
import io.sharemirror.sync.RemoteChange;
import io.sharemirror.sync.Replica;
import io.sharemirror.sync.conflict.ConflictPolicy;
import io.sharemirror.sync.conflict.ConflictPolicy.Version;
import io.sharemirror.sync.conflict.TablePolicies;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which columns a change touched, as the replica's capture and the push record it (merge: column needs it), and as the
 * pull reads it back; a direct writer's change is the whole row; replicas and hubs made before it was recorded keep
 * working, and the application can still drop a column.
 */
class ColumnCaptureTest {

    private static final Key ONE = Key.ofInteger("item", 1);

    @TempDir
    Path dir;

    private Cluster cluster() throws Exception {
        return Cluster.twoDesktops(dir, TablePolicies.everyTable(ConflictPolicy.NEWEST_WINS), "CREATE TABLE item(id"
                + " INTEGER PRIMARY KEY, name TEXT, qty INTEGER, \"odd \"\"name\"\", [x]\" TEXT)",
                "INSERT INTO item VALUES(1, 'bolt', 10, 'x'), (2, 'nut', 5, 'y')");
    }

    @Test
    void captureGathersTheColumnsEachKeysUpdatesChangedUntilItSyncs() throws Exception {
        try (Cluster cluster = cluster()) {
            Cluster.Node a = cluster.nodes.get(0);
            a.exec("UPDATE item SET qty = 11 WHERE id = 1");
            assertEquals(Set.of("qty"), pending(a, ONE));
            a.exec("UPDATE item SET qty = 12 WHERE id = 1", "UPDATE item SET \"odd \"\"name\"\", [x]\" = 'z' WHERE id = 1");
            assertEquals(Set.of("qty", "odd \"name\", [x]"), pending(a, ONE));
            a.exec("UPDATE item SET qty = qty WHERE id = 2");
            assertEquals(Set.of("qty"), pending(a, Key.ofInteger("item", 2)), "a column the update sets counts, even to"
                    + " the value it had");

            a.exec("INSERT INTO item VALUES(3, 'washer', 1, NULL)", "UPDATE item SET qty = 2 WHERE id = 3");
            assertNull(pending(a, Key.ofInteger("item", 3)), "a row made here is whole");
            a.exec("UPDATE item SET id = 4 WHERE id = 2");
            assertNull(pending(a, Key.ofInteger("item", 2)), "a key change is a delete of the old key...");
            assertNull(pending(a, Key.ofInteger("item", 4)), "...and a new row at the new one");
            a.exec("UPDATE item SET name = 'bolt M6' WHERE id = 1", "DELETE FROM item WHERE id = 1");
            assertNull(pending(a, ONE), "a delete is the whole row");
        }
    }

    @Test
    void theHubsLogSaysWhichColumnsPushesChanged() throws Exception {
        try (Cluster cluster = cluster()) {
            Cluster.Node a = cluster.nodes.get(0);
            Cluster.Node b = cluster.nodes.get(1);
            cluster.hubExec("UPDATE item SET name = 'bolt M6' WHERE id = 1", "INSERT INTO item VALUES(5, 'pin', 1, NULL)");
            assertEquals(List.of("U [1] null", "I [5] null"), logged(cluster, 2), "a direct writer's changes are whole"
                    + " rows");
            a.exec("UPDATE item SET qty = 11 WHERE id = 1", "UPDATE item SET qty = 6, name = 'nut M6' WHERE id = 2");
            a.sync();
            assertEquals(List.of("U [1] null", "U [2] [\"name\",\"qty\"]"), sorted(logged(cluster, 2)), "our edit of"
                    + " row 1 met the hub's edit of another column and won the whole row (merge: row), undoing theirs");

            b.sync();
            long cursor = b.store().replica().cursor();
            a.exec("UPDATE item SET \"odd \"\"name\"\", [x]\" = 'q' WHERE id = 1");
            a.sync();
            a.exec("UPDATE item SET qty = 12 WHERE id = 1");
            a.sync();
            Map<String, Version> columns = change(b, cursor, ONE).columns();
            assertEquals(Set.of("qty", "odd \"name\", [x]"), columns.keySet(), "every column others changed since the"
                    + " cursor...");
            assertEquals(change(b, cursor, ONE).ts(), columns.get("qty").ts(), "...each with its newest change");
            assertTrue(columns.get("qty").ts() >= columns.get("odd \"name\", [x]").ts());
            Cluster.run(cluster.hub, "UPDATE _sm_log SET cols = NULL WHERE seq = (SELECT max(seq) FROM _sm_log)");
            assertNull(change(b, cursor, ONE).columns(), "an entry that does not say (an older version's) is the whole"
                    + " row");
        }
    }

    /** Capture names columns only where SQLite lets the application drop them anyway. */
    @Test
    void theApplicationCanStillDropAColumnAndCaptureFollows() throws Exception {
        try (Cluster cluster = cluster()) {
            Cluster.Node a = cluster.nodes.get(0);
            a.exec("UPDATE item SET qty = 11 WHERE id = 1", "ALTER TABLE item DROP COLUMN qty");
            cluster.hubExec("ALTER TABLE item DROP COLUMN qty");
            a.sync();
            a.exec("UPDATE item SET name = 'bolt M6' WHERE id = 2");
            assertEquals(Set.of("name"), pending(a, Key.ofInteger("item", 2)));
            cluster.settle();
            cluster.assertConverged();
        }
    }

    /** Replicas and hubs instrumented before columns were recorded are brought up to date in place. */
    @Test
    void anOlderReplicaAndHubGainTheColumnsAndTheirOldEntriesAreWholeRows() throws Exception {
        try (Cluster cluster = cluster()) {
            Cluster.Node a = cluster.nodes.get(0);
            a.exec("UPDATE item SET qty = 11 WHERE id = 1");
            olderVersion(a.replica(), "_sm\\_c%", "_sm_pending.cols", "_sm_state.changing");
            olderVersion(cluster.hub, "_sm\\_h%", "_sm_log.cols");
            a = cluster.reopen(a, ConflictPolicy.NEWEST_WINS);
            assertNull(pending(a, ONE), "what an older version queued is the whole row");
            a.exec("UPDATE item SET name = 'bolt M6' WHERE id = 2");
            assertEquals(Set.of("name"), pending(a, Key.ofInteger("item", 2)));
            a.sync();
            assertEquals(List.of("U [1] null", "U [2] [\"name\"]"), sorted(logged(cluster, 2)));
            cluster.settle();
            cluster.assertConverged();
        }
    }

    /** What a file instrumented by the version before this one lacks: the columns, and triggers that fill them. */
    private static void olderVersion(Path db, String triggers, String... columns) throws Exception {
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db);
             var s = c.createStatement();
             var r = c.createStatement().executeQuery("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name"
                     + " LIKE '" + triggers + "' ESCAPE '\\'")) {
            List<String> names = new java.util.ArrayList<>();
            while (r.next()) {
                names.add(r.getString(1));
            }
            for (String name : names) {
                s.execute("DROP TRIGGER " + Sql.ident(name));
            }
            for (String column : columns) {
                String[] tableAndColumn = column.split("\\.");
                s.execute("ALTER TABLE " + tableAndColumn[0] + " DROP COLUMN " + tableAndColumn[1]);
            }
        }
    }

    private static Set<String> pending(Cluster.Node node, Key key) {
        return node.store().replica().pendingFor(List.of(key)).get(key).columns();
    }

    private static RemoteChange change(Cluster.Node node, long cursor, Key key) {
        Replica replica = node.store().replica();
        return node.store().hub().changes(cursor, node.store().hub().probe().head(), replica.node(),
                replica.appliedPastCursor()).stream()
                .filter(c -> c.key().equals(key)).findFirst().orElseThrow();
    }

    /** The newest {@code count} log entries, oldest first: op, key and columns. */
    private static List<String> logged(Cluster cluster, int count) throws Exception {
        String rows = Cluster.scalar(cluster.hub, "SELECT group_concat(entry, char(10)) FROM (SELECT op || ' ' || pk"
                + " || ' ' || coalesce(cols, 'null') AS entry FROM (SELECT * FROM _sm_log ORDER BY seq DESC LIMIT "
                + count + ") ORDER BY seq)");
        return List.of(rows.split("\n"));
    }

    private static List<String> sorted(List<String> entries) {
        return List.copyOf(new TreeSet<>(entries));
    }
}

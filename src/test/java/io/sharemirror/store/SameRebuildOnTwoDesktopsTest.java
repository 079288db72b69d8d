package io.sharemirror.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.sync.conflict.ConflictPolicy;
import io.sharemirror.sync.conflict.TablePolicies;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every desktop runs the application's upgrade, so the same migration is made apart on each before their agents sync.
 * SQLite's 12-step rebuild (as Django writes it: a NOT NULL column added without a DEFAULT, filled by the copy; or, as
 * Alembic may, with one) takes the table's capture triggers along, and the application writes right after it, before
 * its agent's next cycle: desktop B deletes row 1, desktop A renames row 2. Those writes must reach every copy as made,
 * whichever desktop syncs first, with nothing duplicated and nothing archived (no row was changed on two desktops).
 * Before, the delete came back and the renamed row was joined by the old one on a new key (the hub's rebuild could not
 * copy its rows, and they came back as the first desktop's); with the DEFAULT, the rename lost to the other desktop's
 * untouched row, or the delete was undone. And the second desktop to sync kept its untouched copy of the row the first
 * changed in its conflict archive, until the hub kept the row as it was before that change ({@link BeforeImages}).
 */
class SameRebuildOnTwoDesktopsTest {

    @TempDir
    Path dir;

    private static String rebuild(String column) {
        return "PRAGMA foreign_keys = OFF; BEGIN;"
                + " CREATE TABLE new_t(id INTEGER PRIMARY KEY, name TEXT, " + column + ");"
                + " INSERT INTO new_t(id, name, room) SELECT id, name, '?' FROM t;"
                + " DROP TABLE t; ALTER TABLE new_t RENAME TO t; COMMIT;";
    }

    @ParameterizedTest(name = "room {0}, {1} syncs first")
    @CsvSource({"TEXT NOT NULL, a", "TEXT NOT NULL, b", "TEXT NOT NULL DEFAULT '?', a",
        "TEXT NOT NULL DEFAULT '?', b"})
    void writesRightAfterTheSameRebuildOnTwoDesktopsReachEveryCopy(String room, String first) throws Exception {
        try (Cluster cluster = Cluster.twoDesktops(dir, TablePolicies.everyTable(ConflictPolicy.NEWEST_WINS),
                "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT)", "INSERT INTO t VALUES(1, 'attic'), (2, 'cellar')")) {
            var a = cluster.nodes.get(0);
            var b = cluster.nodes.get(1);
            String migration = rebuild("room " + room);
            var onA = OtherPrograms.sqlite3(a.replica(), migration + " UPDATE t SET name = 'cellar (a)' WHERE id = 2;");
            assertEquals(0, onA.exitCode(), onA.output());
            var onB = OtherPrograms.sqlite3(b.replica(), migration + " DELETE FROM t WHERE id = 1;");
            assertEquals(0, onB.exitCode(), onB.output());

            for (var desktop : first.equals("a") ? List.of(a, b) : List.of(b, a)) {
                Cluster.assertSynced(desktop.sync());
            }
            cluster.settle();
            cluster.settle();

            assertEquals("2:cellar (a):?", Cluster.scalar(cluster.hub,
                    "SELECT group_concat(id || ':' || name || ':' || room, ' ') FROM (SELECT * FROM t ORDER BY id)"));
            assertEquals(List.of(), Archive.all(cluster).stream().map(Object::toString).toList(), "archived");
            cluster.assertConverged();
        }
    }

    /**
     * Both desktops rename the same row right after the same rebuild: a true conflict, which the row kept from before
     * the first desktop's change must not hide. One name wins on every copy, the other is in the archive.
     */
    @ParameterizedTest(name = "{0} syncs first")
    @CsvSource({"a", "b"})
    void aRowChangedOnBothDesktopsRightAfterTheSameRebuildKeepsTheOtherVersionArchived(String first) throws Exception {
        try (Cluster cluster = Cluster.twoDesktops(dir, TablePolicies.everyTable(ConflictPolicy.NEWEST_WINS),
                "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT)", "INSERT INTO t VALUES(1, 'attic'), (2, 'cellar')")) {
            var a = cluster.nodes.get(0);
            var b = cluster.nodes.get(1);
            String migration = rebuild("room TEXT NOT NULL");
            for (var desktop : List.of(a, b)) {
                String name = desktop == a ? "cellar (a)" : "cellar (b)";
                var run = OtherPrograms.sqlite3(desktop.replica(), migration + " UPDATE t SET name = '" + name
                        + "' WHERE id = 2;");
                assertEquals(0, run.exitCode(), run.output());
            }

            for (var desktop : first.equals("a") ? List.of(a, b) : List.of(b, a)) {
                Cluster.assertSynced(desktop.sync());
            }
            cluster.settle();
            cluster.settle();

            String kept = Cluster.scalar(cluster.hub, "SELECT name FROM t WHERE id = 2");
            String other = kept.equals("cellar (a)") ? "cellar (b)" : "cellar (a)";
            assertEquals("2", Cluster.scalar(cluster.hub, "SELECT count(*) FROM t"));
            assertTrue(Archive.contains(cluster, "t", "[2]", other), other + " archived: " + Archive.all(cluster));
            cluster.assertConverged();
        }
    }
}

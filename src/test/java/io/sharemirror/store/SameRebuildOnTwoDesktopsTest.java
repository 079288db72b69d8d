package io.sharemirror.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sharemirror.sync.conflict.ConflictPolicy;
import io.sharemirror.sync.conflict.TablePolicies;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every desktop runs the application's upgrade, so the same migration is made apart on each before their agents sync.
 * SQLite's 12-step rebuild (as Django writes it: a NOT NULL column added without a DEFAULT, filled by the copy; or, as
 * Alembic may, with one) takes the table's capture triggers along, and the application writes right after it, before
 * its agent's next cycle: desktop B deletes row 1, desktop A renames row 2. Those writes must reach every copy as made,
 * whichever desktop syncs first, with nothing duplicated and nothing archived (no row was changed on two desktops).
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

    @Disabled("README's known gap, today: no DEFAULT, A first: 1:attic 2:cellar (a) 3:cellar; B first: 1:attic"
            + " 2:cellar 3:cellar (a); DEFAULT, A first: 2:cellar (A's rename archived on B); B first: 1:attic"
            + " 2:cellar (a)")
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
}

package io.sharemirror.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.sync.Renumbering;
import io.sharemirror.sync.conflict.ConflictPolicy;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A row made here whose integer key another desktop took on the hub first moves to a free key; both rows live. An
 * application that keeps ids finds the move in the replica's {@code _sm_renumbered}, and the person in the history
 * (state.db); a Clear Cache keeps the replica's notes.
 */
class RenumberedRowsTest {

    @TempDir
    Path dir;

    @Test
    void aRowMovedToAnotherKeyIsNotedInTheReplicaAndTheHistory() throws Exception {
        try (Cluster cluster = Cluster.withSchema(dir, "CREATE TABLE artist(id INTEGER PRIMARY KEY, name TEXT)")) {
            var a = cluster.add(ConflictPolicy.NEWEST_WINS);
            var b = cluster.add(ConflictPolicy.NEWEST_WINS);
            cluster.settle();
            a.exec("INSERT INTO artist VALUES(276, 'made on a')");
            b.exec("INSERT INTO artist VALUES(276, 'made on b')");
            assertTrue(b.sync().succeeded());
            assertTrue(a.sync().succeeded());
            cluster.settle();
            cluster.assertConverged();

            String moved = a.scalar("SELECT id FROM artist WHERE name = 'made on a'");
            assertTrue(Long.parseLong(moved) > 276, moved);
            assertEquals("artist|276|" + moved, a.scalar("SELECT tbl || '|' || old_pk || '|' || new_pk"
                    + " FROM _sm_renumbered"));
            assertEquals("0", b.scalar("SELECT count(*) FROM _sm_renumbered"), "b's row kept its key");
            List<Renumbering> history = a.state().renumberings("db", 10);
            assertEquals(1, history.size(), history.toString());
            assertEquals("artist 276 made here was renumbered " + moved + " (276 was taken on the hub)",
                    history.get(0).describe());
            assertEquals(List.of(), b.state().renumberings(null, 10));

            a.mirror().clearCache(false);
            assertEquals("artist|276|" + moved, a.scalar("SELECT tbl || '|' || old_pk || '|' || new_pk"
                    + " FROM _sm_renumbered"), "a fresh copy keeps the notes");
        }
    }
}

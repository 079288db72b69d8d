package io.sharemirror.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.sync.ArchivedConflict;
import io.sharemirror.sync.CycleRecord;
import io.sharemirror.sync.conflict.ConflictPolicy;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A parent deleted on one desktop while another adds a child to it: decided as SQLite would on one database had the
 * delete come last, by the foreign key's ON DELETE action, whichever desktop syncs first. CASCADE takes the child too
 * (archived); SET NULL clears its reference; NO ACTION and RESTRICT refuse the delete, so the parent comes back (its
 * delete archived). foreign_key_check is empty on every copy after every settle (Cluster.assertConverged). Before,
 * the child was left pointing at nothing on every copy, with nothing archived or reported.
 */
class ForeignKeysTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "ON DELETE {0}, {1} syncs first")
    @CsvSource({"CASCADE, deleter", "CASCADE, adder", "SET NULL, deleter", "SET NULL, adder",
        "NO ACTION, deleter", "NO ACTION, adder", "RESTRICT, deleter", "RESTRICT, adder"})
    void aChildAddedToAParentDeletedElsewhereEndsAsSqliteWouldHaveIt(String action, String first) throws Exception {
        try (Cluster cluster = Cluster.withSchema(dir, "CREATE TABLE artist(id INTEGER PRIMARY KEY, name TEXT)",
                "CREATE TABLE album(id INTEGER PRIMARY KEY, artist_id INTEGER REFERENCES artist(id) ON DELETE " + action
                        + ", title TEXT)",
                "INSERT INTO artist VALUES(1, 'kept'), (2, 'to delete')", "INSERT INTO album VALUES(1, 2, 'old album')")) {
            var deleter = cluster.add(ConflictPolicy.NEWEST_WINS);
            var adder = cluster.add(ConflictPolicy.NEWEST_WINS);
            cluster.settle();
            boolean restrict = action.equals("NO ACTION") || action.equals("RESTRICT");
            // The deleting application runs with foreign keys on, so its own cascade (or refusal) happens locally.
            if (restrict) {
                deleter.exec("PRAGMA foreign_keys = ON", "DELETE FROM album WHERE artist_id = 2", "DELETE FROM artist WHERE id = 2");
            } else {
                deleter.exec("PRAGMA foreign_keys = ON", "DELETE FROM artist WHERE id = 2");
            }
            adder.exec("PRAGMA foreign_keys = ON", "INSERT INTO album VALUES(10, 2, 'new album')");
            var one = first.equals("deleter") ? deleter : adder;
            var other = one == deleter ? adder : deleter;
            assertSynced(one.sync());
            assertSynced(other.sync());
            cluster.settle();
            cluster.assertConverged();
            List<ArchivedConflict> archived = Archive.all(cluster);
            switch (action) {
                case "CASCADE" -> {
                    assertEquals("0", Cluster.scalar(cluster.hub, "SELECT count(*) FROM artist WHERE id = 2"));
                    assertEquals("0", Cluster.scalar(cluster.hub, "SELECT count(*) FROM album"), "the cascade took both");
                    assertTrue(archived.stream().anyMatch(c -> c.table().equals("album") && c.key().equals("[10]")
                            && c.reason().contains("CASCADE")), archived.toString());
                }
                case "SET NULL" -> {
                    assertEquals("0", Cluster.scalar(cluster.hub, "SELECT count(*) FROM artist WHERE id = 2"));
                    assertEquals("NULL", Cluster.scalar(cluster.hub, "SELECT coalesce(artist_id, 'NULL') FROM album"
                            + " WHERE id = 10"), "the new album stays, pointing nowhere");
                }
                default -> {
                    assertEquals("to delete", Cluster.scalar(cluster.hub, "SELECT name FROM artist WHERE id = 2"),
                            "the delete is refused: the artist has an album");
                    assertEquals("new album", Cluster.scalar(cluster.hub, "SELECT title FROM album WHERE artist_id = 2"));
                    assertTrue(archived.stream().anyMatch(c -> c.table().equals("artist") && c.key().equals("[2]")
                            && c.reason().contains("undone")), archived.toString());
                }
            }
        }
    }

    /**
     * Two desktops each add an artist with an album while apart, and both artists get id 3. The one made on the desktop
     * that syncs second moves to a free id, and only its own album goes along: the other desktop's album, which arrives
     * in the same pull pointing at id 3, keeps pointing at its own artist. (Before, re-keying took every row pointing at
     * the old id along, the other desktop's included, which then vanished from that replica.)
     */
    @org.junit.jupiter.api.Test
    void anArtistRenumberedAfterACollisionTakesOnlyItsOwnAlbumAlong() throws Exception {
        try (Cluster cluster = Cluster.withSchema(dir, "CREATE TABLE artist(id INTEGER PRIMARY KEY, name TEXT)",
                "CREATE TABLE album(id INTEGER PRIMARY KEY, artist_id INTEGER REFERENCES artist(id), title TEXT)",
                "INSERT INTO artist VALUES(1, 'one'), (2, 'two')")) {
            var a = cluster.add(ConflictPolicy.NEWEST_WINS);
            var b = cluster.add(ConflictPolicy.NEWEST_WINS);
            cluster.settle();
            b.exec("PRAGMA foreign_keys = ON", "INSERT INTO artist(name) VALUES('made on b')",
                    "INSERT INTO album VALUES(20, 3, 'album of b')");
            a.exec("PRAGMA foreign_keys = ON", "INSERT INTO artist(name) VALUES('made on a')",
                    "INSERT INTO album VALUES(30, 3, 'album of a')");
            assertSynced(b.sync());
            assertSynced(a.sync());
            cluster.settle();
            cluster.assertConverged();
            assertEquals("album of a=made on a,album of b=made on b", Cluster.scalar(cluster.hub,
                    "SELECT group_concat(title || '=' || name) FROM (SELECT title, name FROM album JOIN artist"
                    + " ON artist.id = album.artist_id ORDER BY title)"));
            assertEquals("3", Cluster.scalar(cluster.hub, "SELECT id FROM artist WHERE name = 'made on b'"));
            assertEquals(List.of(), Archive.all(cluster), "both artists and both albums kept");
        }
    }

    private static void assertSynced(CycleRecord record) {
        assertTrue(record.succeeded(), record.toString());
    }
}

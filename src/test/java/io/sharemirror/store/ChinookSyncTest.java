package io.sharemirror.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.sync.conflict.ConflictPolicy;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three replicas and a program writing the share directly, on a real schema with foreign keys. */
class ChinookSyncTest {

    @TempDir
    Path dir;

    @Test
    void threeReplicasAndADirectWriterConvergeWithoutLoss() throws Exception {
        try (Cluster cluster = Cluster.chinook(dir)) {
            var a = cluster.add(ConflictPolicy.NEWEST_WINS);
            var b = cluster.add(ConflictPolicy.NEWEST_WINS);
            var c = cluster.add(ConflictPolicy.NEWEST_WINS);
            cluster.settle();

            // Each replica creates an artist with an album while apart: the same new integer keys on all three.
            a.exec("INSERT INTO Artist(Name) VALUES('A artist')",
                    "INSERT INTO Album(Title, ArtistId) VALUES('A album', last_insert_rowid())",
                    "UPDATE Track SET Name = 'A track one' WHERE TrackId = 1",
                    "DELETE FROM PlaylistTrack WHERE PlaylistId = 1 AND TrackId = 2",
                    "INSERT INTO PlaylistTrack(PlaylistId, TrackId) VALUES(2, 10)",
                    "UPDATE Customer SET Email = 'a@example.com' WHERE CustomerId = 1");
            b.exec("INSERT INTO Artist(Name) VALUES('B artist')",
                    "INSERT INTO Album(Title, ArtistId) VALUES('B album', last_insert_rowid())",
                    "UPDATE Track SET Name = 'B track one' WHERE TrackId = 1",
                    "DELETE FROM InvoiceLine WHERE InvoiceLineId = 1",
                    "INSERT INTO PlaylistTrack(PlaylistId, TrackId) VALUES(2, 11)",
                    "UPDATE Customer SET City = 'B city' WHERE CustomerId = 2");
            c.exec("INSERT INTO Genre(Name) VALUES('C genre')",
                    "DELETE FROM Artist WHERE ArtistId = 25",
                    "UPDATE Album SET Title = 'C title' WHERE AlbumId = 2",
                    "UPDATE Track SET Composer = 'C composer' WHERE TrackId = 3",
                    "INSERT INTO Artist(Name) VALUES('C artist')");
            cluster.hubExec("INSERT INTO Artist(Name) VALUES('Hub artist')",
                    "UPDATE Track SET Composer = 'Hub composer' WHERE TrackId = 2",
                    "DELETE FROM PlaylistTrack WHERE PlaylistId = 1 AND TrackId = 1",
                    "UPDATE Employee SET Title = 'Hub title' WHERE EmployeeId = 1");

            // Syncs in an order that makes B and C meet everyone's changes inside their push.
            a.sync();
            cluster.hubExec("UPDATE Artist SET Name = 'Hub artist renamed' WHERE Name = 'Hub artist'");
            b.sync();
            c.sync();
            cluster.settle();
            cluster.assertConverged();

            Path hub = cluster.hub;
            for (String artist : List.of("A artist", "B artist", "C artist", "Hub artist renamed")) {
                assertEquals("1", Cluster.scalar(hub, "SELECT count(*) FROM Artist WHERE Name = '" + artist + "'"), artist);
            }
            // Re-keying a colliding artist must carry its album along: the album still belongs to its own artist.
            assertEquals("A artist", Cluster.scalar(hub,
                    "SELECT Artist.Name FROM Album JOIN Artist USING (ArtistId) WHERE Title = 'A album'"));
            assertEquals("B artist", Cluster.scalar(hub,
                    "SELECT Artist.Name FROM Album JOIN Artist USING (ArtistId) WHERE Title = 'B album'"));
            assertEquals("1", Cluster.scalar(hub, "SELECT count(*) FROM Genre WHERE Name = 'C genre'"));
            assertEquals("0", Cluster.scalar(hub, "SELECT count(*) FROM Artist WHERE ArtistId = 25"));
            assertEquals("0", Cluster.scalar(hub, "SELECT count(*) FROM PlaylistTrack WHERE PlaylistId = 1 AND TrackId IN (1, 2)"));
            assertEquals("2", Cluster.scalar(hub, "SELECT count(*) FROM PlaylistTrack WHERE PlaylistId = 2 AND TrackId IN (10, 11)"));
            assertEquals("0", Cluster.scalar(hub, "SELECT count(*) FROM InvoiceLine WHERE InvoiceLineId = 1"));
            assertEquals("a@example.com", Cluster.scalar(hub, "SELECT Email FROM Customer WHERE CustomerId = 1"));
            assertEquals("B city", Cluster.scalar(hub, "SELECT City FROM Customer WHERE CustomerId = 2"));
            assertEquals("C title", Cluster.scalar(hub, "SELECT Title FROM Album WHERE AlbumId = 2"));
            assertEquals("C composer", Cluster.scalar(hub, "SELECT Composer FROM Track WHERE TrackId = 3"));
            assertEquals("Hub composer", Cluster.scalar(hub, "SELECT Composer FROM Track WHERE TrackId = 2"));
            assertEquals("Hub title", Cluster.scalar(hub, "SELECT Title FROM Employee WHERE EmployeeId = 1"));

            // The one real conflict: track 1 renamed on A and B. One name won, the other is archived.
            String name = Cluster.scalar(hub, "SELECT Name FROM Track WHERE TrackId = 1");
            assertTrue(List.of("A track one", "B track one").contains(name), name);
            String loser = name.equals("A track one") ? "B track one" : "A track one";
            assertTrue(Archive.all(cluster).stream().anyMatch(x -> x.table().equals("Track") && x.key().equals("[1]")
                    && Archive.holds(x, "Name", loser)),
                    "the losing name " + loser + " is archived: " + Archive.all(cluster));
            assertEquals(1, Archive.all(cluster).size(), "only track 1 was a conflict: " + Archive.all(cluster));
        }
    }

    /**
     * Both replicas add a track and put it on a playlist while apart: the same new TrackId, and the same
     * PlaylistTrack key (PlaylistId, TrackId). Re-keying B's track must carry B's playlist entry, whose key contains
     * the track id, to the new id; A's entry keeps the old one.
     */
    @Test
    void reKeyingARowMovesChildRowsWhoseKeyReferencesIt() throws Exception {
        try (Cluster cluster = Cluster.chinook(dir)) {
            var a = cluster.add(ConflictPolicy.NEWEST_WINS);
            var b = cluster.add(ConflictPolicy.NEWEST_WINS);
            cluster.settle();
            for (var node : List.of(a, b)) {
                String name = node == a ? "A song" : "B song";
                node.exec("INSERT INTO Track(Name, MediaTypeId, Milliseconds, UnitPrice) VALUES('" + name + "', 1, 1000, 0.99)",
                        "INSERT INTO PlaylistTrack(PlaylistId, TrackId) VALUES(1, last_insert_rowid())",
                        "INSERT INTO InvoiceLine(InvoiceId, TrackId, UnitPrice, Quantity)"
                                + " VALUES(1, (SELECT TrackId FROM Track WHERE Name = '" + name + "'), 0.99, 1)");
            }
            assertEquals(a.scalar("SELECT max(TrackId) FROM Track"), b.scalar("SELECT max(TrackId) FROM Track"));
            a.sync();
            b.sync();
            cluster.settle();
            cluster.assertConverged();
            for (String song : List.of("A song", "B song")) {
                assertEquals("1", Cluster.scalar(cluster.hub, "SELECT count(*) FROM PlaylistTrack JOIN Track USING (TrackId)"
                        + " WHERE PlaylistId = 1 AND Name = '" + song + "'"), song + " is on playlist 1");
                assertEquals("1", Cluster.scalar(cluster.hub, "SELECT count(*) FROM InvoiceLine JOIN Track USING (TrackId)"
                        + " WHERE Name = '" + song + "'"), song + " was sold once");
            }
            assertEquals(List.of(), Archive.all(cluster));
        }
    }
}

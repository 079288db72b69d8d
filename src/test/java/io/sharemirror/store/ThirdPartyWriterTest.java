package io.sharemirror.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.sync.conflict.ConflictPolicy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Capture lives in the replica file, so a program that knows nothing of ShareMirror is captured too (ARCHITECTURE.md#files-and-tables). */
class ThirdPartyWriterTest {

    @TempDir
    Path dir;

    private static String shell(Path db, String sql) throws Exception {
        OtherPrograms.Run run = OtherPrograms.sqlite3(db, sql);
        assertEquals(0, run.exitCode(), "sqlite3 failed: " + run.output());
        return run.output();
    }

    @Test
    void theSqlite3ShellWritingAReplicaIsCapturedAndSynced() throws Exception {
        try (Cluster cluster = Cluster.chinook(dir)) {
            var a = cluster.add(ConflictPolicy.NEWEST_WINS);
            var b = cluster.add(ConflictPolicy.NEWEST_WINS);
            cluster.settle();
            String version = shell(a.replica(), "SELECT sqlite_version();");
            shell(a.replica(), "PRAGMA busy_timeout = 10000;\n"
                    + "INSERT INTO Artist(Name) VALUES('Shell Artist');\n"
                    + "UPDATE Genre SET Name = 'Rock (shell)' WHERE GenreId = 1;\n"
                    + "DELETE FROM PlaylistTrack WHERE PlaylistId = 1 AND TrackId = 1;\n");
            assertEquals("3", a.scalar("SELECT count(*) FROM _sm_pending"), "sqlite3 " + version + " ran the capture triggers");
            assertTrue(a.sync().succeeded());
            assertTrue(b.sync().succeeded());
            assertEquals("1", b.scalar("SELECT count(*) FROM Artist WHERE Name = 'Shell Artist'"));
            assertEquals("Rock (shell)", b.scalar("SELECT Name FROM Genre WHERE GenreId = 1"));
            assertEquals("0", b.scalar("SELECT count(*) FROM PlaylistTrack WHERE PlaylistId = 1 AND TrackId = 1"));
            cluster.assertConverged();
            assertEquals("ok", shell(a.replica(), "PRAGMA integrity_check;"));
        }
    }

    @Test
    void aDirectWritersStampIsTheMillisecondItWroteIn() throws Exception {
        // Newest-wins compares these stamps with the replicas', taken in Java: a stamp a millisecond early loses a tie.
        try (Cluster cluster = Cluster.chinook(dir)) {
            cluster.add(ConflictPolicy.NEWEST_WINS).sync(); // the hub gets its log triggers
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + cluster.hub); Statement s = c.createStatement()) {
                for (int i = 0; i < 500; i++) {
                    long before = System.currentTimeMillis();
                    s.executeUpdate("UPDATE Genre SET Name = 'direct " + i + "' WHERE GenreId = 1");
                    long after = System.currentTimeMillis();
                    try (ResultSet r = s.executeQuery("SELECT ts FROM _sm_log ORDER BY seq DESC LIMIT 1")) {
                        long stamp = r.next() ? r.getLong(1) : -1;
                        assertTrue(before <= stamp && stamp <= after, "write " + i + " stamped " + stamp
                                + ", written between " + before + " and " + after);
                    }
                }
            }
        }
    }
}

package io.sharemirror.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sharemirror.sync.conflict.ConflictPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Capture lives in the replica file, so a program that knows nothing of ShareMirror is captured too (DESIGN.md §3). */
class ThirdPartyWriterTest {

    @TempDir
    Path dir;

    private static Path sqlite3() {
        for (String candidate : new String[] {"/usr/bin/sqlite3", "/usr/local/bin/sqlite3"}) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        fail("the sqlite3 shell is missing: this test drives it as a third-party writer; the README's test"
                + " command (bash scripts/test.sh) installs it, or run apt-get install sqlite3");
        return null;
    }

    private static String shell(Path db, String sql) throws Exception {
        Process p = new ProcessBuilder(sqlite3().toString(), "-bail", db.toString())
                .redirectErrorStream(true).start();
        p.getOutputStream().write(sql.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "sqlite3 did not finish");
        assertEquals(0, p.exitValue(), "sqlite3 failed: " + output);
        return output.trim();
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
}

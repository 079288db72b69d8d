package io.sharemirror.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.sync.conflict.ConflictPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Paths from the config reach SQLite as file names, never as URL text: a '?' in a hub path or a cache folder must not
 * become sqlite-jdbc options (journal_mode=WAL on a share), nor open a shorter file name. The files here are made and
 * read with the sqlite3 shell, which takes a file name as it is.
 */
class OddPathsTest {

    @TempDir
    Path dir;

    @Test
    void aPathWithUrlCharactersOpensExactlyThatFile() throws Exception {
        Path share = Files.createDirectories(dir.resolve("share %41 #1"));
        Path hub = share.resolve("app.db?journal_mode=WAL&foreign_keys=on");
        Path decoy = share.resolve("app.db");
        assertEquals(0, OtherPrograms.sqlite3(hub, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT);"
                + " INSERT INTO t VALUES(1, 'the real hub');").exitCode());
        assertEquals(0, OtherPrograms.sqlite3(decoy, "CREATE TABLE decoy(x);").exitCode());
        try (Cluster cluster = new Cluster(Files.createDirectories(dir.resolve("cache?mode=memory&cache=shared")), hub)) {
            var node = cluster.add(ConflictPolicy.NEWEST_WINS);
            assertTrue(node.sync().succeeded(), () -> node.sync().toString());
            Path replica = node.replica();
            assertEquals("the real hub", shell(replica, "SELECT v FROM t"));
            assertEquals("wal", shell(replica, "PRAGMA journal_mode"));
            assertEquals(0, OtherPrograms.sqlite3(replica, "INSERT INTO t VALUES(2, 'from the replica');").exitCode());
            assertTrue(node.sync().succeeded());

            assertEquals("from the replica", shell(hub, "SELECT v FROM t WHERE id = 2"));
            assertEquals("delete", shell(hub, "PRAGMA journal_mode"), "the hub stays in rollback-journal mode");
            assertEquals("decoy", shell(decoy, "SELECT group_concat(name) FROM sqlite_master"),
                    "the shorter file name was never opened");
            assertEquals("delete", shell(decoy, "PRAGMA journal_mode"));
            try (var files = Files.list(replica.getParent())) {
                assertFalse(files.anyMatch(f -> f.getFileName().toString().equals("cache")), "no file named 'cache'");
            }
        }
    }

    private static String shell(Path db, String sql) throws Exception {
        OtherPrograms.Run run = OtherPrograms.sqlite3(db, sql + ";");
        assertEquals(0, run.exitCode(), run.output());
        return run.output();
    }
}

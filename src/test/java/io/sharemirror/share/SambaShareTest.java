package io.sharemirror.share;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sharemirror.store.Cluster;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real SMB share works as a share for SQLite, vanishes with its server and comes back with the files intact. */
class SambaShareTest {

    @TempDir
    static Path dir;
    private static SambaShare share;

    @BeforeAll
    static void start() throws IOException {
        share = SambaShare.start(dir.resolve("samba"));
    }

    @AfterAll
    static void stop() {
        if (share != null) {
            share.close();
            assertFalse(Mounts.isMounted(dir.resolve("samba").resolve("mnt")), "close() unmounts");
        }
    }

    @Test
    void aDatabaseWrittenThroughTheMountIsOnTheServer() throws Exception {
        Path db = share.folder().resolve("written.db");
        Cluster.run(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)", "INSERT INTO t(v) VALUES('one'), ('two')");
        assertEquals("ok\none,two", SqliteShell.query(share.serverFolder().resolve("written.db"),
                "PRAGMA integrity_check; SELECT group_concat(v) FROM t;"));
    }

    @Test
    void changesOnTheServerAreSeenThroughTheMountAtOnce() throws Exception {
        Path onServer = share.serverFolder().resolve("changed.db");
        Path mounted = share.folder().resolve("changed.db");
        Cluster.run(onServer, "CREATE TABLE t(v)", "INSERT INTO t VALUES('server')");
        assertEquals("server", Cluster.scalar(mounted, "SELECT v FROM t"));
        Files.delete(onServer);
        assertFalse(Files.exists(mounted), "no cached attributes");
        // With libfuse's default 1 s cache this failed: the kernel still "knew" the file and SQLite could not create it.
        Cluster.run(mounted, "CREATE TABLE t(v)", "INSERT INTO t VALUES('mount')");
        assertEquals("mount", Cluster.scalar(onServer, "SELECT v FROM t"));
    }

    @Test
    void theShareVanishesWithTheServerAndComesBackIntact() throws Exception {
        Path db = share.folder().resolve("kept.db");
        Cluster.run(db, "CREATE TABLE t(id INTEGER PRIMARY KEY)", "INSERT INTO t VALUES(1), (2), (3)");
        try (FileChannel openBefore = FileChannel.open(db)) {
            share.stopServer();
            try {
                assertFalse(Files.exists(db));
                assertThrows(IOException.class, () -> Files.readAllBytes(db));
                assertThrows(IOException.class, () -> openBefore.read(ByteBuffer.allocate(100), 0));
                assertThrows(SQLException.class, () -> Cluster.scalar(db, "SELECT count(*) FROM t"));
            } finally {
                long start = System.nanoTime();
                share.startServer();
                System.out.printf("SambaShare: share back %d ms after starting smbd%n", (System.nanoTime() - start) / 1_000_000);
            }
            assertEquals("3", Cluster.scalar(db, "SELECT count(*) FROM t"), "the first query after the restart works");
            Cluster.assertHealthy(db);
            assertEquals(100, openBefore.read(ByteBuffer.allocate(100), 0),
                    "smbnetfs reopens a descriptor opened before the restart, by its path");
        }
    }

    @Test
    void locksExcludeProcessesOnTheMountButNotWritersOnTheServer() throws Exception {
        Path db = share.folder().resolve("locked.db");
        Cluster.run(db, "CREATE TABLE t(v TEXT)");
        try (SqliteShell shell = SqliteShell.holdingWriteLock(db, "INSERT INTO t VALUES('shell')")) {
            assertEquals(Sqlite.BUSY, Sqlite.errorOf(db, "INSERT INTO t VALUES('mount')"));
            // smbnetfs keeps fcntl locks in this machine's kernel; the server never hears of them (broken locks):
            // a writer there takes the shell's journal for a crashed one, rolls it back and commits its own row...
            Sqlite.executeNow(share.serverFolder().resolve("locked.db"), "INSERT INTO t VALUES('server')");
            // ...then the shell's COMMIT overwrites that row and reports an I/O error, its journal gone.
            assertEquals(1, shell.commit());
        }
        assertEquals("shell", SqliteShell.query(db, "SELECT group_concat(v) FROM t;"), "the server's row was lost");
    }
}

package io.sharemirror.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.Figures;
import io.sharemirror.app.Cli.Result;
import io.sharemirror.share.ReadOnlyFolder;
import io.sharemirror.share.SqliteShell;
import io.sharemirror.store.Cluster;
import io.sharemirror.store.OtherPrograms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad hub, and a damaged replica and state.db, as a script and a person at the status table see them:
 * the exit code of {@code sync}, a message that names what is wrong with a hint of what to do, {@code status} showing
 * it; the hub not written; the local write waiting in the replica, never lost; and a normal sync once the cause is
 * removed. Each command is a new agent process's worth of work, as when run from a script.
 */
class BadHubCliTest {

    /** How long the "locked for minutes" hub stays locked: short in CI, minutes in the long profile. */
    private static final int LOCK_SECONDS = Integer.getInteger("badhub.lockSeconds", 4);

    private static int faults;
    private static int writesChecked;
    private static int writesLost;
    private static int runs;

    @TempDir
    Path dir;

    Path share;
    Path hub;
    Path replica;
    Path config;

    @BeforeEach
    void aMirroredHubWithOneWriteWaitingInTheReplica() throws Exception {
        share = Files.createDirectories(dir.resolve("share"));
        hub = share.resolve("app.db");
        Cluster.run(hub, "CREATE TABLE note(id INTEGER PRIMARY KEY, body TEXT)",
                "INSERT INTO note(body) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)"
                        + " SELECT 'note ' || i || ' ' || hex(randomblob(100)) FROM n");
        config = dir.resolve("config.yaml");
        Files.writeString(config, "database:\n  cache_directory: cache\n  enable_cache: true\n  max_retries: 2\n"
                + "  retry_base_delay: 0.1\n  retry_max_delay: 0.2\n  connection_timeout: 2\n"
                + "databases:\n  - name: app\n    path: share/app.db\n");
        replica = dir.resolve("cache").resolve("app.db");
        runs++;
    }

    @Test
    void aHubThatIsNotAnSqliteFile() throws Exception {
        byte[] text = "a spreadsheet someone saved as app.db\n".repeat(200).getBytes();
        Path good = dir.resolve("app.db.good");
        Files.move(hub, good);
        Files.write(hub, text);
        assertFails("not a database", "not an SQLite database — check the path");
        assertFalse(Cli.run("sync", "--config", config.toString()).out().contains("restore a backup"),
                "a file that is not SQLite is not called damaged");
        assertFalse(Files.exists(replica), "no replica is made from it");
        assertArrayEquals(text, Files.readAllBytes(hub), "the hub is not written");

        Files.move(good, hub, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        writeLocally("written before the hub was overwritten");
        Files.write(hub, text);
        assertFails("not a database", "not an SQLite database");
        assertArrayEquals(text, Files.readAllBytes(hub));
        assertWaiting(1);

        Files.write(hub, Files.readAllBytes(hub.resolveSibling("app.db.backup")));
        assertRecovers("written before the hub was overwritten");
    }

    @Test
    void aCorruptHub() throws Exception {
        writeLocally("written before the hub was damaged");
        Cluster.damagePage(hub, "SELECT rootpage FROM sqlite_master WHERE name = 'note'");
        byte[] damaged = Files.readAllBytes(hub);
        assertFails("malformed", "damaged");
        assertArrayEquals(damaged, Files.readAllBytes(hub), "nothing was written to the damaged hub");
        assertWaiting(1);

        Files.write(hub, Files.readAllBytes(hub.resolveSibling("app.db.backup"))); // the backup put back in place
        assertRecovers("written before the hub was damaged");
    }

    @Test
    void aHubInWalModeOnTheShare() throws Exception {
        writeLocally("written before the hub went WAL");
        assertEquals("wal", OtherPrograms.sqlite3(hub, "PRAGMA journal_mode = WAL;").output());
        long logRows = logRows();
        assertFails("is in WAL mode", "PRAGMA journal_mode=DELETE");
        assertEquals(logRows, logRows(), "nothing was pushed to it");
        assertFalse(Files.exists(Path.of(hub + "-wal")), "no -wal left on the share");
        assertWaiting(1);

        assertEquals("delete", OtherPrograms.sqlite3(hub, "PRAGMA journal_mode = DELETE;").output());
        assertRecovers("written before the hub went WAL");
    }

    @Test
    void aHubOnAShareThisUserMayOnlyRead() throws Exception {
        try (ReadOnlyFolder readOnly = ReadOnlyFolder.of(share)) {
            assertFails("readonly", "read-only for this user");
            assertFalse(Files.exists(replica), "a read-write mirror needs its log on the hub first");
        }
        writeLocally("written while the share was writable");
        byte[] before = Files.readAllBytes(hub);
        try (ReadOnlyFolder readOnly = ReadOnlyFolder.of(share)) {
            writeLocally("written while the share was read-only");
            assertFails("readonly", "read-only for this user");
            assertArrayEquals(before, Files.readAllBytes(hub));
            assertWaiting(2);
        }
        assertRecovers("written while the share was writable", "written while the share was read-only");
    }

    /** Another program holds the hub's write lock across many sync attempts; local writes go on meanwhile. */
    @Test
    void aHubLockedForMinutes() throws Exception {
        Result first = Cli.run("sync", "--config", config.toString());
        assertEquals(0, first.code(), first::toString);
        try (SqliteShell locker = SqliteShell.holdingWriteLock(hub, "INSERT INTO note(body) VALUES('written by the locker')")) {
            long until = System.nanoTime() + LOCK_SECONDS * 1_000_000_000L;
            int attempts = 0;
            do {
                writeLocally("written during the lock " + attempts);
                assertFails("database is locked", "another program holds the database lock");
                attempts++;
            } while (System.nanoTime() < until);
            assertWaiting(attempts);
            assertEquals(0, locker.commit());
            String[] written = new String[attempts];
            for (int i = 0; i < attempts; i++) {
                written[i] = "written during the lock " + i;
            }
            assertRecovers(written);
        }
        assertEquals("1", Cluster.scalar(hub, "SELECT count(*) FROM note WHERE body = 'written by the locker'"));
        assertEquals("1", Cluster.scalar(replica, "SELECT count(*) FROM note WHERE body = 'written by the locker'"));
    }

    /** A replica damaged while no agent ran, and a damaged state.db: set aside, kept, said so, and synced afresh. */
    @Test
    void aDamagedReplicaAndStateFile() throws Exception {
        writeLocally("written before the replica was damaged");
        Cluster.run(replica, "PRAGMA wal_checkpoint(TRUNCATE)");
        // The first leaf page of note: the write waiting (the newest row) is on another page, so it can be read.
        Cluster.damagePage(replica, "SELECT min(pageno) FROM dbstat WHERE name = 'note' AND pagetype = 'leaf'");
        Path state = replica.resolveSibling("state.db");
        Files.write(state, "not a database".repeat(100).getBytes());
        faults += 2;

        Result status = Cli.run("status", "--config", config.toString());
        assertEquals(0, status.code(), status::toString);
        assertTrue(status.out().contains("state.db: the state file " + state + " was damaged"), status::toString);
        assertTrue(status.out().contains("it is kept as " + state + ".set-aside-"), status::toString);
        assertTrue(status.out().contains("last error: the replica " + replica + " fails its integrity check"),
                status::toString);

        Result sync = Cli.run("sync", "--config", config.toString());
        assertEquals(4, sync.code(), sync::toString);
        assertTrue(Pattern.compile("app: failed .* - the replica " + Pattern.quote(replica.toString())
                + " fails its integrity check .*; it is kept as " + Pattern.quote(replica.toString()) + "\\.set-aside-"
                + "[-0-9]+; 1 write it held that was not on the hub went to the conflict archive \\(sync goes on with"
                + " a fresh copy of the hub; .*Restore writes them back\\)").matcher(sync.out()).find(), sync::toString);
        assertEquals("ok", Cluster.scalar(replica, "PRAGMA integrity_check"));
        Result again = Cli.run("sync", "--config", config.toString());
        assertEquals(0, again.code(), again::toString);
        writesChecked++;
        String archived = Cluster.scalar(state, "SELECT local_row FROM conflicts WHERE winner = 'discarded'");
        if (archived == null || !archived.contains("written before the replica was damaged")) {
            writesLost++;
        }
        assertTrue(archived != null && archived.contains("written before the replica was damaged"), archived);
    }

    @AfterAll
    static void publish() {
        Figures.of("BadHubCliTest").runs(runs).faults(faults).writesChecked(writesChecked).writesLost(writesLost)
                .put("lock_seconds", LOCK_SECONDS).publish();
    }

    // ------------------------------------------------------------------ helpers

    /** An application's write to the replica; made once the first sync cloned it (and the backup of the hub). */
    private void writeLocally(String body) throws Exception {
        if (!Files.exists(replica)) {
            Result first = Cli.run("sync", "--config", config.toString());
            assertEquals(0, first.code(), first::toString);
            Files.copy(hub, hub.resolveSibling("app.db.backup"));
        }
        Cluster.run(replica, "INSERT INTO note(body) VALUES('" + body + "')");
    }

    /** `sync` exits 4 naming the problem, with a hint; `status` shows the database FAILED with both. */
    private void assertFails(String problem, String hint) {
        faults++;
        Result sync = Cli.run("sync", "--config", config.toString());
        assertEquals(4, sync.code(), sync::toString);
        assertTrue(sync.out().startsWith("app: failed"), sync::toString);
        assertTrue(sync.out().contains(problem), sync::toString);
        assertTrue(sync.out().contains(hint), sync::toString);
        Result status = Cli.run("status", "--config", config.toString());
        assertEquals(0, status.code(), status::toString);
        assertTrue(status.out().matches("(?s).*\\napp +FAILED .*"), status::toString);
        assertTrue(status.out().contains("last error: ") && status.out().contains(problem), status::toString);
        assertTrue(status.out().contains("hint: ") && status.out().contains(hint), status::toString);
    }

    /** The local writes are still in the replica, waiting. */
    private void assertWaiting(int pending) throws Exception {
        assertEquals(Integer.toString(pending), Cluster.scalar(replica, "SELECT count(*) FROM _sm_pending"));
    }

    /** The cause removed, `sync` exits 0, every local write is on the hub, and status says OK. */
    private void assertRecovers(String... written) throws Exception {
        Result sync = Cli.run("sync", "--config", config.toString());
        assertEquals(0, sync.code(), sync::toString);
        for (String body : written) {
            writesChecked++;
            String onHub = Cluster.scalar(hub, "SELECT count(*) FROM note WHERE body = '" + body + "'");
            if (!"1".equals(onHub)) {
                writesLost++;
            }
            assertEquals("1", onHub, body + " reached the hub");
        }
        assertWaiting(0);
        assertEquals(Cluster.dump(hub), Cluster.dump(replica));
        Result status = Cli.run("status", "--config", config.toString());
        assertTrue(status.out().matches("(?s).*\\napp +OK .*"), status::toString);
    }

    private long logRows() throws Exception {
        return Long.parseLong(OtherPrograms.sqlite3(hub, "SELECT count(*) FROM _sm_log;").output());
    }
}

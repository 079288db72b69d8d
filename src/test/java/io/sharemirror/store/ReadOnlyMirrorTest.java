package io.sharemirror.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.sync.Backoff;
import io.sharemirror.sync.Clock;
import io.sharemirror.sync.CycleRecord;
import io.sharemirror.sync.CycleRecord.Outcome;
import io.sharemirror.sync.Mirror;
import io.sharemirror.sync.MirrorMode;
import io.sharemirror.sync.Retry;
import io.sharemirror.sync.conflict.ConflictPolicy;
import io.sharemirror.sync.conflict.TablePolicies;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mode: read-only: nothing is installed on the hub, the replica is a copy refreshed as the hub changes, writes fail. */
class ReadOnlyMirrorTest {

    private static final String REFUSAL =
            "ShareMirror: db is mirrored read-only (mode: read-only); writes are not allowed";

    @TempDir
    Path dir;

    @Test
    void copiesTheHubWithoutChangingItAndRefreshesWhenAnotherProcessCommits() throws Exception {
        try (Cluster cluster = Cluster.chinook(dir)) {
            byte[] untouched = digest(cluster.hub);
            var node = cluster.addReadOnly();
            assertEquals(Outcome.SYNCED, node.sync().outcome(), "the first cycle copies the hub");
            assertEquals(Cluster.exactDump(cluster.hub), Cluster.exactDump(node.replica()));
            Cluster.assertHealthy(node.replica());
            assertEquals("wal", Cluster.scalar(node.replica(), "PRAGMA journal_mode"));
            for (int i = 0; i < 3; i++) {
                assertEquals(Outcome.IDLE, node.sync().outcome());
            }
            assertArrayEquals(untouched, digest(cluster.hub), "nothing was written to the hub");
            assertEquals("0", Cluster.scalar(cluster.hub,
                    "SELECT count(*) FROM sqlite_master WHERE name LIKE '\\_sm\\_%' ESCAPE '\\'"));

            // The hub's data_version is per connection; a commit by another process must still move it.
            OtherPrograms.Run shell = OtherPrograms.sqlite3(cluster.hub,
                    "INSERT INTO Artist(Name) VALUES('On the share');");
            assertEquals(0, shell.exitCode(), shell.output());
            assertEquals(Outcome.SYNCED, node.sync().outcome());
            assertEquals("1", node.scalar("SELECT count(*) FROM Artist WHERE Name = 'On the share'"));
            assertEquals(Outcome.IDLE, node.sync().outcome());
            assertEquals(Cluster.exactDump(cluster.hub), Cluster.exactDump(node.replica()));
            assertEquals("0", Cluster.scalar(cluster.hub,
                    "SELECT count(*) FROM sqlite_master WHERE name LIKE '\\_sm\\_%' ESCAPE '\\'"));
        }
    }

    @Test
    void everyWriterIsRefusedWithAMessageThatNamesTheMode() throws Exception {
        try (Cluster cluster = Cluster.chinook(dir)) {
            var node = cluster.addReadOnly();
            node.sync();
            for (String write : List.of("INSERT INTO Artist(Name) VALUES('x')", "UPDATE Genre SET Name = 'y'",
                    "DELETE FROM PlaylistTrack")) {
                SQLException refused = assertThrows(SQLException.class, () -> Cluster.run(node.replica(), write));
                assertTrue(refused.getMessage().contains(REFUSAL), refused.getMessage());
            }
            OtherPrograms.Run shell = OtherPrograms.sqlite3(node.replica(), "UPDATE Genre SET Name = 'y';");
            assertTrue(shell.exitCode() != 0 && shell.output().contains(REFUSAL), shell.output());
            assertEquals(Cluster.exactDump(cluster.hub), Cluster.exactDump(node.replica()));
        }
    }

    @Test
    void aReaderKeepsItsSnapshotWhileTheCopyIsRefreshedUnderIt() throws Exception {
        try (Cluster cluster = Cluster.chinook(dir)) {
            var node = cluster.addReadOnly();
            node.sync();
            try (Connection reader = DriverManager.getConnection("jdbc:sqlite:" + node.replica())) {
                reader.setAutoCommit(false);
                long before = artists(reader);
                cluster.hubExec("INSERT INTO Artist(Name) VALUES('new')",
                        "DELETE FROM PlaylistTrack WHERE PlaylistId = 1");
                assertEquals(Outcome.SYNCED, node.sync().outcome(), "the refresh does not wait for the reader");
                assertEquals(before, artists(reader), "an open read transaction sees the copy it started on");
                reader.commit();
                assertEquals(before + 1, artists(reader), "its next transaction sees the refreshed copy");
            }
            assertEquals(Cluster.exactDump(cluster.hub), Cluster.exactDump(node.replica()));
            Cluster.assertHealthy(node.replica());
        }
    }

    /**
     * The idle check must cost what read-write mode's costs: measured side by side, cycle for cycle, on the same
     * hub, and no idle cycle may touch the replica (a copy would).
     */
    @Test
    void anIdleCycleCostsNoMoreThanInReadWriteModeAndCopiesNothing() throws Exception {
        try (Cluster cluster = Cluster.chinook(dir)) {
            var readOnly = cluster.addReadOnly();
            var readWrite = cluster.add(ConflictPolicy.NEWEST_WINS);
            readOnly.sync();
            readWrite.sync(); // installs the read-write mirror's log on the hub: the read-only copy follows once
            readOnly.sync();
            try (Connection watcher = DriverManager.getConnection("jdbc:sqlite:" + readOnly.replica())) {
                long replicaVersion = dataVersion(watcher);
                List<Long> readOnlyNanos = new ArrayList<>();
                List<Long> readWriteNanos = new ArrayList<>();
                for (int i = 0; i < 300; i++) {
                    readOnlyNanos.add(timed(readOnly));
                    readWriteNanos.add(timed(readWrite));
                }
                assertEquals(replicaVersion, dataVersion(watcher), "an idle cycle wrote the read-only replica");
                long ro = median(readOnlyNanos);
                long rw = median(readWriteNanos);
                System.out.printf("idle cycle, median of 300: read-only %d us, read-write %d us%n", ro / 1000,
                        rw / 1000);
                assertTrue(ro <= rw * 3 / 2 + 200_000, "read-only idle cycle " + ro / 1000 + " us, read-write "
                        + rw / 1000 + " us");
            }
            var hub = readOnly.store().hub();
            for (int i = 0; i < 2000; i++) {
                hub.version(); // warm up
            }
            long started = System.nanoTime();
            for (int i = 0; i < 5000; i++) {
                hub.version();
            }
            System.out.printf("the idle check itself (Hub.version): %.1f us%n",
                    (System.nanoTime() - started) / 5000 / 1000.0);
        }
    }

    @Test
    void switchingAReplicaToReadOnlyRefusesWhileItHoldsUnpushedWrites() throws Exception {
        try (Cluster cluster = Cluster.chinook(dir)) {
            var node = cluster.add(ConflictPolicy.NEWEST_WINS);
            node.sync();
            node.exec("INSERT INTO Artist(Name) VALUES('not pushed yet')");
            node.store().close();
            try (var reopened = reopen(cluster, node.replica(), MirrorMode.READ_ONLY, node)) {
                CycleRecord refused = reopened.sync();
                assertEquals(Outcome.FAILED, refused.outcome());
                assertTrue(refused.error().contains("1 pending write"), refused.error());
                assertEquals("1", Cluster.scalar(node.replica(), "SELECT count(*) FROM _sm_pending"));
                reopened.clearCache(true);
                assertEquals(1, node.conflicts().size(), "the discarded write is archived");
            }
            assertTrue(Files.exists(node.replica()));
            SQLException e = assertThrows(SQLException.class,
                    () -> Cluster.run(node.replica(), "INSERT INTO Artist(Name) VALUES('x')"));
            assertTrue(e.getMessage().contains(REFUSAL), e.getMessage());
        }
    }

    @Test
    void switchingAReadOnlyCopyToReadWriteMakesItAReplicaThatCaptures() throws Exception {
        try (Cluster cluster = Cluster.chinook(dir)) {
            var node = cluster.addReadOnly();
            node.sync();
            node.store().close();
            try (var reopened = reopen(cluster, node.replica(), MirrorMode.READ_WRITE, node)) {
                assertTrue(reopened.sync().succeeded());
                Cluster.run(node.replica(), "INSERT INTO Artist(Name) VALUES('now writable')");
                assertTrue(reopened.sync().succeeded());
            }
            assertEquals("1", Cluster.scalar(cluster.hub, "SELECT count(*) FROM Artist WHERE Name = 'now writable'"));
            assertEquals("0", Cluster.scalar(node.replica(),
                    "SELECT count(*) FROM sqlite_master WHERE name = '_sm_read_only'"));
        }
    }

    /** A mirror on an existing replica file with another mode, as after a config edit; closing closes its store. */
    private static ClosingMirror reopen(Cluster cluster, Path replica, MirrorMode mode, Cluster.Node node) {
        Retry retry = new Retry(new Backoff(Duration.ofMillis(20), Duration.ofMillis(200), 3), Clock.SYSTEM);
        var store = new SqliteMirrorStore("db", cluster.hub.toString(), replica, t -> true, mode,
                new ConnectionFactory(Duration.ofSeconds(10)), 2, Duration.ofSeconds(10), retry);
        return new ClosingMirror(new Mirror("db", store, TablePolicies.everyTable(ConflictPolicy.NEWEST_WINS), node.state(), retry,
                Clock.SYSTEM));
    }

    private record ClosingMirror(Mirror mirror) implements AutoCloseable {
        CycleRecord sync() {
            return mirror.sync();
        }

        void clearCache(boolean discardPending) {
            mirror.clearCache(discardPending);
        }

        @Override
        public void close() {
            mirror.store().close();
        }
    }

    private static long timed(Cluster.Node node) {
        long started = System.nanoTime();
        assertEquals(Outcome.IDLE, node.sync().outcome());
        return System.nanoTime() - started;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static long artists(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); var r = s.executeQuery("SELECT count(*) FROM Artist")) {
            r.next();
            return r.getLong(1);
        }
    }

    private static long dataVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); var r = s.executeQuery("PRAGMA data_version")) {
            r.next();
            return r.getLong(1);
        }
    }

    private static byte[] digest(Path file) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
    }
}

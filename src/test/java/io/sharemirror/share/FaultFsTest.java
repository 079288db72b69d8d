package io.sharemirror.share;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.store.Cluster;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FaultFs does what the share tests rely on: passes files through, and delays, fails and counts on request. */
class FaultFsTest {

    @TempDir
    Path dir;
    private FaultFs fs;
    private Path mount;

    @BeforeEach
    void mount() throws IOException {
        fs = FaultFs.mount(dir.resolve("backing"), dir.resolve("mnt"));
        mount = fs.folder();
    }

    @AfterEach
    void unmount() {
        if (fs != null) {
            fs.close();
        }
    }

    @Test
    void passesFilesAndFoldersThrough() throws IOException {
        Files.createDirectory(mount.resolve("sub"));
        Files.writeString(mount.resolve("sub").resolve("a.txt"), "hello");
        assertEquals("hello", Files.readString(fs.serverFolder().resolve("sub").resolve("a.txt")));
        Files.move(mount.resolve("sub").resolve("a.txt"), mount.resolve("b.txt"));
        assertEquals(List.of("b.txt", "sub"), names(mount));
        try (FileChannel c = FileChannel.open(mount.resolve("b.txt"), StandardOpenOption.WRITE)) {
            c.truncate(2);
        }
        assertEquals("he", Files.readString(mount.resolve("b.txt")));
        Files.delete(mount.resolve("b.txt"));
        Files.delete(mount.resolve("sub"));
        assertEquals(List.of(), names(fs.serverFolder()));
    }

    @Test
    void everyReadPaysTheLatencyAndIsCountedBecauseNothingIsCached() throws IOException {
        Files.write(mount.resolve("f"), new byte[64 * 1024]);
        int reads = 10;
        Duration latency = Duration.ofMillis(20);
        try (FileChannel c = FileChannel.open(mount.resolve("f"))) {
            fs.faults().latency(latency, Duration.ofMillis(10));
            fs.faults().resetCounts();
            long start = System.nanoTime();
            for (int i = 0; i < reads; i++) {
                c.read(ByteBuffer.allocate(4096), (i % 2) * 4096L); // the same two blocks again and again
            }
            long elapsed = System.nanoTime() - start;
            assertTrue(elapsed >= latency.multipliedBy(reads).toNanos(),
                    reads + " reads took " + elapsed / 1_000_000 + " ms, less than " + reads + " x " + latency);
            assertEquals(Map.of(Op.READ, (long) reads), fs.faults().counts(), "one READ per pread, none from a cache");
        }
    }

    @Test
    void injectedErrorsReachTheCallerAsThemselves() throws IOException {
        Files.write(mount.resolve("f"), new byte[4096]);
        try (FileChannel c = FileChannel.open(mount.resolve("f"))) {
            for (Errno errno : Errno.values()) {
                fs.faults().failNth(Op.READ, 1, errno);
                IOException e = assertThrows(IOException.class, () -> c.read(ByteBuffer.allocate(10), 0));
                assertEquals(errno.text(), e.getMessage());
                assertEquals(10, c.read(ByteBuffer.allocate(10), 0), "failed once, then fine");
            }
        }
    }

    @Test
    void sqliteSeesInjectedErrorsAsTheClassesTheEngineSortsBy() throws Exception {
        Path db = mount.resolve("hub.db");
        Cluster.run(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)", "INSERT INTO t(v) VALUES('x')");

        fs.faults().failNth(Op.READ, 1, Errno.EIO);
        assertEquals(Sqlite.IOERR, Sqlite.errorOf(db, "SELECT count(*) FROM t"));
        fs.faults().clear().failFrom(Op.WRITE, 1, Errno.ENOSPC);
        assertEquals(Sqlite.FULL, Sqlite.errorOf(db, "INSERT INTO t(v) VALUES('y')"));
        fs.faults().clear().failFrom(Op.FSYNC, 1, Errno.ESTALE);
        assertEquals(Sqlite.IOERR, Sqlite.errorOf(db, "INSERT INTO t(v) VALUES('y')"));
        fs.faults().clear().failFrom(Op.OPEN, 1, Errno.ENOTCONN);
        assertEquals(Sqlite.CANTOPEN, Sqlite.errorOf(db, "SELECT count(*) FROM t"));

        fs.faults().clear();
        assertEquals("1", Cluster.scalar(db, "SELECT count(*) FROM t"), "no failed write got in");
        Cluster.assertHealthy(db);
    }

    @Test
    void theNthOperationFailsExactlyOnceOrFromThenOn() throws IOException {
        Path f = mount.resolve("f");
        Files.write(f, new byte[10]);
        try (FileChannel c = FileChannel.open(f, StandardOpenOption.WRITE)) {
            fs.faults().failNth(Op.WRITE, 3, Errno.EIO);
            assertEquals("ok ok EIO ok ok", writeEach(c, 0));
            fs.faults().clear().failFrom(Op.WRITE, 2, Errno.ENOSPC);
            assertEquals("ok ENOSPC ENOSPC ENOSPC ENOSPC", writeEach(c, 5));
        }
        assertArrayEquals(new byte[] {1, 2, 0, 4, 5, 1, 0, 0, 0, 0}, Files.readAllBytes(fs.serverFolder().resolve("f")));
    }

    @Test
    void aShortReadReturnsHalfTheBytesOnceAndSqliteTakesTheIntactHubForDamaged() throws Exception {
        Files.write(mount.resolve("f"), new byte[4096]);
        try (FileChannel c = FileChannel.open(mount.resolve("f"))) {
            fs.faults().shortReadNth(2);
            assertEquals(List.of(4096, 2048, 4096), List.of(c.read(ByteBuffer.allocate(4096), 0),
                    c.read(ByteBuffer.allocate(4096), 0), c.read(ByteBuffer.allocate(4096), 0)));
        }
        Path db = mount.resolve("hub.db");
        Cluster.run(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)",
                "INSERT INTO t(v) SELECT printf('%0500d', i) FROM (" + numbers(1, 100) + ")");
        fs.faults().clear().shortReadsRandomly(1);
        System.out.println("short reads: " + assertThrows(java.sql.SQLException.class,
                () -> Sqlite.executeNow(db, "SELECT count(*), sum(length(v)) FROM t")).getMessage());
        assertEquals(Sqlite.CORRUPT, Sqlite.errorOf(db, "SELECT count(*), sum(length(v)) FROM t"));
        fs.faults().clear();
        Cluster.assertHealthy(db);
    }

    @Test
    void aRateFailsAboutThatShareOfOperations() throws IOException {
        Files.write(mount.resolve("f"), new byte[4096]);
        int failed = 0;
        try (FileChannel c = FileChannel.open(mount.resolve("f"))) {
            fs.faults().failRandomly(0.5, Errno.EIO, Op.READ);
            for (int i = 0; i < 200; i++) {
                try {
                    c.read(ByteBuffer.allocate(1), 0);
                } catch (IOException e) {
                    failed++;
                }
            }
        }
        assertTrue(failed > 60 && failed < 140, failed + " of 200 reads failed at rate 0.5"); // 5.6 sigma each way
    }

    @Test
    void countersCountByKindAndReset() throws Exception {
        fs.faults().resetCounts();
        Files.writeString(mount.resolve("f"), "abc");
        assertEquals("abc", Files.readString(mount.resolve("f")));
        // The kernel sends RELEASE after close() has returned; wait for both before reading the counters.
        await("both RELEASEs").atMost(Duration.ofSeconds(5)).until(() -> fs.faults().count(Op.RELEASE) >= 2);
        Map<Op, Long> counts = fs.faults().counts();
        assertEquals(1, counts.get(Op.CREATE), counts.toString());
        assertEquals(1, counts.get(Op.OPEN), counts.toString());
        assertEquals(1, counts.get(Op.WRITE), counts.toString());
        assertEquals(2, counts.get(Op.RELEASE), counts.toString());
        assertTrue(counts.get(Op.READ) >= 1 && counts.get(Op.GETATTR) >= 1, counts.toString());
        assertEquals(counts.values().stream().mapToLong(Long::longValue).sum(), fs.faults().total());
        fs.faults().resetCounts();
        assertEquals(Map.of(), fs.faults().counts());
    }

    @Test
    void downFailsEveryOperationUntilTheShareIsBack() throws Exception {
        Path db = mount.resolve("hub.db");
        Cluster.run(db, "CREATE TABLE t(id INTEGER PRIMARY KEY)");
        try (FileChannel open = FileChannel.open(db)) {
            fs.vanish();
            assertFalse(Files.exists(db));
            assertFalse(Files.isDirectory(mount), "the mount itself is gone, like a dead share");
            IOException e = assertThrows(IOException.class, () -> open.read(ByteBuffer.allocate(1), 0));
            assertEquals(Errno.ENOTCONN.text(), e.getMessage());
            assertEquals(Sqlite.CANTOPEN, Sqlite.errorOf(db, "SELECT count(*) FROM t"));
            fs.reappear();
            assertEquals(1, open.read(ByteBuffer.allocate(1), 0));
            assertEquals("0", Cluster.scalar(db, "SELECT count(*) FROM t"));
        }
    }

    @Test
    void aScopeKeepsFaultsAndCountsOnTheChosenFiles() throws Exception {
        Path db = mount.resolve("hub.db");
        Cluster.run(fs.serverFolder().resolve("hub.db"), "CREATE TABLE t(id INTEGER PRIMARY KEY)"); // no FUSE traffic yet
        fs.faults().scope(path -> path.startsWith("/hub.db")).down(true);
        fs.faults().resetCounts();
        Files.writeString(mount.resolve("other.txt"), "fine");
        assertEquals("fine", Files.readString(mount.resolve("other.txt")));
        assertEquals(0, fs.faults().total(), "other files are neither failed nor counted");
        assertEquals(Sqlite.CANTOPEN, Sqlite.errorOf(db, "SELECT count(*) FROM t"));
        assertTrue(fs.faults().total() > 0);
    }

    @Test
    void aPowerLossDropsExactlyTheWritesThatWereNotFsynced() throws IOException {
        Path f = mount.resolve("f");
        byte[] durable = new byte[10_000];
        java.util.Arrays.fill(durable, (byte) 'd');
        fs.faults().loseUnsyncedWrites(true);
        try (FileChannel c = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            c.write(ByteBuffer.wrap(durable), 0);
            c.force(false);
            c.write(ByteBuffer.wrap("late".getBytes()), 5000); // overwrites inside...
            c.write(ByteBuffer.wrap("tail".getBytes()), 12_000); // ...and extends the file
            assertEquals(12_004, Files.size(f), "readers see unsynced writes");
            assertEquals("late", new String(Files.readAllBytes(f), 5000, 4));
            assertArrayEquals(durable, Files.readAllBytes(fs.serverFolder().resolve("f")), "the disk does not, yet");
        }
        fs.powerLoss();
        assertArrayEquals(durable, Files.readAllBytes(f));

        try (FileChannel c = FileChannel.open(f, StandardOpenOption.WRITE)) {
            c.truncate(10);
        }
        assertEquals(10, Files.size(f));
        fs.powerLoss();
        assertArrayEquals(durable, Files.readAllBytes(f), "an unsynced truncate is lost too");
    }

    @Test
    void aPowerLossKeepsCommitsSqliteSynced() throws Exception {
        Path db = mount.resolve("replica.db");
        Cluster.run(db, "CREATE TABLE t(id INTEGER PRIMARY KEY)");
        fs.faults().loseUnsyncedWrites(true);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("PRAGMA synchronous = FULL");
            s.execute("INSERT INTO t " + numbers(1, 100));
            s.execute("PRAGMA synchronous = OFF"); // commits without fsync: acknowledged, not durable
            s.execute("INSERT INTO t " + numbers(101, 200));
            assertEquals(200, s.executeQuery("SELECT count(*) FROM t").getInt(1));
        }
        fs.powerLoss();
        Cluster.assertHealthy(db);
        assertEquals("100", Cluster.scalar(db, "SELECT count(*) FROM t"));
    }

    @Test
    void walWorksOnTheMountForOtherProcessesAndSurvivesAPowerLossWithFullSync() {
        Path db = mount.resolve("replica.db");
        fs.faults().loseUnsyncedWrites(true);
        SqliteShell.query(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; CREATE TABLE t(id INTEGER PRIMARY KEY);"
                + " INSERT INTO t " + numbers(1, 50) + ";");
        fs.powerLoss();
        assertEquals("ok\n50", SqliteShell.query(db, "PRAGMA integrity_check; SELECT count(*) FROM t;"));
    }

    @Test
    void walOpenedFromThisJvmIsRefusedInsteadOfDeadlockingIt() {
        Path db = mount.resolve("replica.db");
        SqliteShell.query(db, "PRAGMA journal_mode = WAL; CREATE TABLE t(id INTEGER PRIMARY KEY);");
        assertEquals(Sqlite.CANTOPEN, Sqlite.errorOf(db, "SELECT count(*) FROM t"));
    }

    @Test
    void posixLocksHoldBetweenProcessesOnTheMount() throws Exception {
        Path db = mount.resolve("hub.db");
        Cluster.run(db, "CREATE TABLE t(v TEXT)");
        try (SqliteShell shell = SqliteShell.holdingWriteLock(db, "INSERT INTO t VALUES('shell')")) {
            assertEquals(Sqlite.BUSY, Sqlite.errorOf(db, "INSERT INTO t VALUES('java')"));
            assertEquals(0, shell.commit());
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            Command blocked = SqliteShell.run(db, "INSERT INTO t VALUES('blocked')");
            assertFalse(blocked.ok(), blocked.toString());
            assertTrue(blocked.output().contains("database is locked"), blocked.toString());
            s.execute("INSERT INTO t VALUES('java')");
            s.execute("COMMIT");
        }
        assertEquals("shell,java", Cluster.scalar(db, "SELECT group_concat(v) FROM t"));
    }

    @Test
    void closeUnmountsEvenWithAFileLeftOpen() throws IOException {
        Files.write(mount.resolve("f"), new byte[10]);
        FileChannel leftOpen = FileChannel.open(mount.resolve("f"));
        fs.close();
        assertFalse(Mounts.isMounted(mount));
        IOException e = assertThrows(IOException.class, () -> leftOpen.read(ByteBuffer.allocate(1), 0));
        assertEquals(Errno.ENOTCONN.text(), e.getMessage());
        assertThrows(IOException.class, leftOpen::close, "its last flush fails too; the channel is closed anyway");
    }

    private static String numbers(int from, int to) {
        return "WITH RECURSIVE n(i) AS (SELECT " + from + " UNION ALL SELECT i + 1 FROM n WHERE i < " + to + ") SELECT i FROM n";
    }

    /** Writes bytes 1..5 one at a time from {@code at}; says how each went. */
    private static String writeEach(FileChannel c, int at) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            try {
                c.write(ByteBuffer.wrap(new byte[] {(byte) (i + 1)}), at + i);
                out.append(" ok");
            } catch (IOException e) {
                out.append(' ').append(java.util.Arrays.stream(Errno.values())
                        .filter(errno -> errno.text().equals(e.getMessage())).findFirst().map(Enum::name).orElse(e.getMessage()));
            }
        }
        return out.toString().trim();
    }

    private static List<String> names(Path folder) throws IOException {
        try (var files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}

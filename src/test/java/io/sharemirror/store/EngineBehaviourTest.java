package io.sharemirror.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.sync.Backoff;
import io.sharemirror.sync.Clock;
import io.sharemirror.sync.CycleRecord;
import io.sharemirror.sync.Mirror;
import io.sharemirror.sync.MirrorMode;
import io.sharemirror.sync.Retry;
import io.sharemirror.sync.StoreException;
import io.sharemirror.sync.conflict.ConflictPolicy;
import io.sharemirror.sync.conflict.TablePolicies;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's reactions to locks on the hub and to SQLite's errors, and its replica clock, on real SQLite files. */
class EngineBehaviourTest {

    @TempDir
    Path dir;

    private static final String SCHEMA = "CREATE TABLE item(id INTEGER PRIMARY KEY, name TEXT)";

    private Mirror mirror(Path hub, String cache, int attempts) throws Exception {
        Path folder = Files.createDirectories(dir.resolve(cache));
        ConnectionFactory factory = new ConnectionFactory(Duration.ofSeconds(10));
        Retry retry = new Retry(new Backoff(Duration.ofMillis(50), Duration.ofMillis(200), attempts), Clock.SYSTEM);
        SqliteMirrorStore store = new SqliteMirrorStore("db", hub.toString(), folder.resolve("db.db"), t -> true,
                MirrorMode.READ_WRITE, factory, 2, Duration.ofSeconds(10), retry);
        return new Mirror("db", store, TablePolicies.everyTable(ConflictPolicy.NEWEST_WINS),
                new StateStore(factory, folder.resolve("state.db")), retry, Clock.SYSTEM);
    }

    /** Holds a read transaction (a SHARED lock) on the hub for {@code millis}, from another thread. */
    private static Thread reader(Path hub, long millis, CountDownLatch holding) {
        Thread t = new Thread(() -> {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + hub); Statement s = c.createStatement()) {
                s.execute("BEGIN");
                s.executeQuery("SELECT count(*) FROM item").close();
                holding.countDown();
                Thread.sleep(millis); // the reader holds its lock this long: the time is the point
                s.execute("COMMIT");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        t.start();
        return t;
    }

    /** Clones, queues one local write, then syncs while another connection holds a read on the hub for a while. */
    private static CycleRecord syncWhileAReaderHolds(Path hub, Mirror m, Path replica, String name, long millis)
            throws Exception {
        assertTrue(m.sync().succeeded());
        Cluster.run(replica, "INSERT INTO item(name) VALUES('" + name + "')");
        CountDownLatch holding = new CountDownLatch(1);
        Thread t = reader(hub, millis, holding);
        holding.await(5, TimeUnit.SECONDS);
        CycleRecord r = m.sync();
        t.join();
        return r;
    }

    @Test
    void commitBusyWhileAReaderHoldsTheHubIsRetriedUntilItCommits() throws Exception {
        Cluster c = Cluster.withSchema(dir, SCHEMA);
        Mirror m = mirror(c.hub, "a", 5);
        Path replica = dir.resolve("a").resolve("db.db");
        CycleRecord r = syncWhileAReaderHolds(c.hub, m, replica, "during a long read", 1500);
        assertEquals(CycleRecord.Outcome.SYNCED, r.outcome(), String.valueOf(r.error()));
        assertEquals(1, r.pushed());
        assertEquals("1", Cluster.scalar(c.hub, "SELECT count(*) FROM item WHERE name = 'during a long read'"));
        assertEquals("0", Cluster.scalar(replica, "SELECT count(*) FROM _sm_pending"));
        m.store().close();
    }

    @Test
    void commitThatStaysBusyIsRolledBackAndTheWritesStayQueued() throws Exception {
        Cluster c = Cluster.withSchema(dir, SCHEMA);
        Mirror m = mirror(c.hub, "a", 2);
        Path replica = dir.resolve("a").resolve("db.db");
        CycleRecord r = syncWhileAReaderHolds(c.hub, m, replica, "blocked", 6000);
        assertEquals(CycleRecord.Outcome.FAILED, r.outcome());
        assertTrue(r.error().contains("rolled back"), r.error());
        assertEquals("0", Cluster.scalar(c.hub, "SELECT count(*) FROM item"), "nothing half-written on the hub");
        assertEquals("1", Cluster.scalar(replica, "SELECT count(*) FROM _sm_pending"), "the write is still queued");
        assertEquals(CycleRecord.Outcome.SYNCED, m.sync().outcome());
        assertEquals("1", Cluster.scalar(c.hub, "SELECT count(*) FROM item WHERE name = 'blocked'"));
        m.store().close();
    }

    @Test
    void driverErrorsAreClassifiedFromRealSqliteFailures() throws Exception {
        Path db = dir.resolve("x.db");
        Cluster.run(db, SCHEMA, "INSERT INTO item VALUES(1, 'a')");
        SQLException constraint = assertThrows(SQLException.class, () -> Cluster.run(db, "INSERT INTO item VALUES(1, 'b')"));
        assertEquals(StoreException.Kind.CONSTRAINT, SqliteErrors.classify("t", constraint).kind());

        try (Connection holder = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = holder.createStatement()) {
            s.execute("BEGIN EXCLUSIVE");
            try (Connection other = new ConnectionFactory(Duration.ofSeconds(1)).open(db, ConnectionFactory.Kind.HUB)) {
                SQLException busy = assertThrows(SQLException.class,
                        () -> other.createStatement().executeQuery("SELECT * FROM item"));
                assertEquals(StoreException.Kind.BUSY, SqliteErrors.classify("t", busy).kind());
            }
            s.execute("ROLLBACK");
        }

        Path garbage = dir.resolve("not-a-database.db");
        Files.writeString(garbage, "this is a text file, not SQLite ".repeat(200));
        SQLException notADb = assertThrows(SQLException.class, () -> Cluster.scalar(garbage, "SELECT * FROM sqlite_master"));
        StoreException corrupt = SqliteErrors.classify("t", notADb);
        assertEquals(StoreException.Kind.CORRUPT, corrupt.kind());
        // Not called damaged: a file that is not SQLite is most often the wrong path.
        assertTrue(corrupt.hint().startsWith("the file is not an SQLite database — check the path"), corrupt.hint());

        SQLException cantOpen = assertThrows(SQLException.class, () -> new ConnectionFactory(Duration.ofSeconds(1))
                .open(dir.resolve("missing").resolve("hub.db"), ConnectionFactory.Kind.HUB)
                .createStatement().executeQuery("SELECT 1"));
        assertEquals(StoreException.Kind.OFFLINE, SqliteErrors.classify("t", cantOpen).kind());
    }

    @Test
    void theReplicaClockStampsLaterThanEverythingItHasSeen() throws Exception {
        Cluster c = Cluster.withSchema(dir, SCHEMA);
        Mirror m = mirror(c.hub, "a", 3);
        assertTrue(m.sync().succeeded());
        Path replica = dir.resolve("a").resolve("db.db");
        long now = System.currentTimeMillis();
        long ahead = now + 86_400_000L;
        Cluster.run(replica, "UPDATE _sm_state SET clock = " + ahead, "INSERT INTO item(name) VALUES('x')",
                "UPDATE item SET name = 'y'");
        assertEquals(Long.toString(ahead + 2), Cluster.scalar(replica, "SELECT ts FROM _sm_pending"),
                "a clock ahead of the wall clock still moves forward by one per change");
        Cluster.run(replica, "UPDATE _sm_state SET clock = 0", "UPDATE item SET name = 'z'");
        long stamped = Long.parseLong(Cluster.scalar(replica, "SELECT ts FROM _sm_pending"));
        assertTrue(stamped >= now && stamped < now + 60_000, "a clock behind takes the wall time: " + stamped);

        // A pull raises the clock to the newest change seen on the hub.
        Cluster.run(c.hub, "INSERT INTO item(name) VALUES('from the hub')");
        long hubTs = Long.parseLong(Cluster.scalar(c.hub, "SELECT max(ts) FROM _sm_log"));
        Cluster.run(replica, "UPDATE _sm_state SET clock = 0");
        assertTrue(m.sync().succeeded());
        assertTrue(Long.parseLong(Cluster.scalar(replica, "SELECT clock FROM _sm_state")) >= hubTs);
        m.store().close();
    }
}

package io.sharemirror.store;

import io.sharemirror.sync.HookedStore;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.sync.Backoff;
import io.sharemirror.sync.Clock;
import io.sharemirror.sync.CycleRecord;
import io.sharemirror.sync.Mirror;
import io.sharemirror.sync.Retry;
import io.sharemirror.sync.StoreException;
import io.sharemirror.sync.conflict.ConflictPolicy;
import io.sharemirror.sync.conflict.TablePolicies;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's write transactions on the replica, as applications meet them (issue 14): short, and never a reason for
 * the share to stay locked.
 */
class AgentTransactionsTest {

    private static final int ROWS = 2_500;

    @TempDir
    Path dir;

    private static Mirror mirror(HookedStore store, Cluster.Node node, int attempts) {
        Retry retry = new Retry(new Backoff(Duration.ofMillis(20), Duration.ofMillis(200), attempts), Clock.SYSTEM);
        return new Mirror("db", store, TablePolicies.everyTable(ConflictPolicy.NEWEST_WINS), node.state(), retry, Clock.SYSTEM);
    }

    /** An application's write that does not wait: it fails if anyone holds the replica's write lock. */
    private static void writeWithoutWaiting(Path replica, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + replica); Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = 0");
            s.execute(sql);
        }
    }

    /** Returns once another connection holds the write lock; a probe that gets it gives it back at once. */
    private static void awaitWriteLocked(Statement probe) throws SQLException {
        probe.execute("PRAGMA busy_timeout = 0");
        while (true) {
            try {
                probe.execute("BEGIN IMMEDIATE");
            } catch (SQLException e) {
                if (e.getErrorCode() == SqliteErrors.BUSY) {
                    return;
                }
                throw e;
            }
            probe.execute("ROLLBACK");
            Thread.onSpinWait();
        }
    }

    /**
     * 2,500 changes pulled at once are applied in transactions of Mirror.APPLY_CHUNK rows, so an application waits
     * for one chunk, not for the whole pull; the cursor moves with the last chunk only, so an agent that dies between
     * two chunks loses nothing: the next one reads the window again.
     */
    @Test
    void aLargePullIsAppliedInShortTransactionsAndACrashBetweenThemLosesNothing() throws Exception {
        try (Cluster cluster = Cluster.withSchema(dir, "CREATE TABLE item(id INTEGER PRIMARY KEY, qty INTEGER)",
                "INSERT INTO item WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + ROWS
                        + ") SELECT i, 0 FROM n")) {
            Cluster.Node node = cluster.add(ConflictPolicy.NEWEST_WINS);
            cluster.settle();
            cluster.hubExec("UPDATE item SET qty = 1"); // another desktop's big change, one log entry per row
            long cursor = node.store().replica().cursor();

            HookedStore hooked = new HookedStore(node.mirror().store());
            hooked.beforeApply = applied -> {
                if (applied == 1) {
                    try {
                        writeWithoutWaiting(node.replica(), "INSERT INTO item VALUES(" + (ROWS + 1) + ", 7)");
                    } catch (SQLException e) {
                        throw new AssertionError("the agent held the replica between two chunks", e);
                    }
                    throw new StoreException(StoreException.Kind.FAILED, "simulated crash between two chunks", null,
                            null);
                }
            };
            CycleRecord cut = mirror(hooked, node, 1).sync();
            assertFalse(cut.succeeded(), cut.toString());
            assertEquals("1000", node.scalar("SELECT count(*) FROM item WHERE qty = 1"), "the first chunk committed");
            assertEquals(cursor, node.store().replica().cursor(), "the cursor waits for the window's last chunk");

            Cluster.Node restarted = cluster.reopen(node, ConflictPolicy.NEWEST_WINS); // a new agent process
            cluster.settle();
            cluster.assertConverged();
            assertEquals(String.valueOf(ROWS), restarted.scalar("SELECT count(*) FROM item WHERE qty = 1"));
            assertEquals("7", Cluster.scalar(cluster.hub, "SELECT qty FROM item WHERE id = " + (ROWS + 1)),
                    "the write made between the chunks reached the hub");

            cluster.hubExec("UPDATE item SET qty = 2 WHERE id <= " + ROWS);
            HookedStore counted = new HookedStore(restarted.mirror().store());
            int[] applies = {0};
            counted.beforeApply = applied -> applies[0] = applied + 1;
            assertTrue(mirror(counted, restarted, 3).sync().succeeded());
            assertEquals(3, applies[0], "2,500 changes in three local transactions");
            cluster.assertConverged();
        }
    }

    /**
     * While the push holds the hub's write lock it needs the replica's once (to make what it pushes durable). An
     * application holding the replica meanwhile makes the push give way after a short wait, instead of keeping every
     * other desktop and direct writer off the share until the application commits (here: a direct writer that waits 8
     * s for the share, against the 10 s the replica's connection timeout would otherwise make the agent wait).
     */
    @Test
    void whileAnApplicationHoldsTheReplicaThePushDoesNotHoldTheShare() throws Exception {
        try (Cluster cluster = Cluster.withSchema(dir, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)")) {
            Cluster.Node node = cluster.add(ConflictPolicy.NEWEST_WINS);
            cluster.settle();
            node.exec("INSERT INTO t VALUES(1, 'pending here')");
            HookedStore hooked = new HookedStore(node.mirror().store());
            CompletableFuture<Void> direct = new CompletableFuture<>();
            try (Connection app = DriverManager.getConnection("jdbc:sqlite:" + node.replica());
                 Statement s = app.createStatement()) {
                hooked.beforePush = () -> {
                    try {
                        s.execute("BEGIN IMMEDIATE"); // an application transaction that lasts
                    } catch (SQLException e) {
                        throw new AssertionError(e);
                    }
                    CompletableFuture.runAsync(() -> {
                        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + cluster.hub);
                             Statement d = c.createStatement()) {
                            awaitWriteLocked(d); // by the push
                            d.execute("PRAGMA busy_timeout = 8000");
                            d.execute("INSERT INTO t VALUES(2, 'written straight to the share')");
                            direct.complete(null);
                        } catch (SQLException e) {
                            direct.completeExceptionally(e);
                        }
                    });
                };
                CycleRecord gaveWay = mirror(hooked, node, 1).sync();
                assertFalse(gaveWay.succeeded(), gaveWay.toString());
                direct.get(30, TimeUnit.SECONDS);
                s.execute("COMMIT");
            }
            cluster.settle();
            cluster.assertConverged();
            assertEquals("2", Cluster.scalar(cluster.hub, "SELECT count(*) FROM t"));
        }
    }
}

package io.sharemirror.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.sync.Backoff;
import io.sharemirror.sync.Clock;
import io.sharemirror.sync.LocalChange;
import io.sharemirror.sync.MirrorMode;
import io.sharemirror.sync.PendingWritesException;
import io.sharemirror.sync.Retry;
import io.sharemirror.sync.conflict.ConflictPolicy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Clear Cache: MirrorStore.recreateReplica (ARCHITECTURE.md#one-sync-cycle). */
class ClearCacheTest {

    @TempDir
    Path dir;

    private Cluster cluster() throws Exception {
        Cluster cluster = Cluster.withSchema(dir, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)",
                "INSERT INTO t VALUES(1, 'one'), (2, 'two')");
        cluster.add(ConflictPolicy.NEWEST_WINS);
        cluster.settle();
        return cluster;
    }

    private static String query(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            return r.next() ? r.getString(1) : null;
        }
    }

    @Test
    void refusesWithPendingWritesAndChangesNothing() throws Exception {
        try (Cluster cluster = cluster()) {
            var a = cluster.nodes.get(0);
            a.exec("UPDATE t SET v = 'local' WHERE id = 1");
            List<LocalChange> handed = new ArrayList<>();
            assertThrows(PendingWritesException.class,
                    () -> a.store().replicaFile().recreate(false, handed::addAll, handed::addAll));
            assertEquals(List.of(), handed);
            assertEquals("1", a.scalar("SELECT count(*) FROM _sm_pending"));
            assertEquals("local", a.scalar("SELECT v FROM t WHERE id = 1"));
            a.exec("UPDATE t SET v = 'still writable' WHERE id = 2"); // not left blocked
            assertTrue(a.sync().succeeded());
            cluster.assertConverged();
        }
    }

    @Test
    void discardingArchivesFirstAndAnOpenConnectionSeesTheFreshCopy() throws Exception {
        try (Cluster cluster = cluster()) {
            var a = cluster.nodes.get(0);
            String oldNode = a.scalar("SELECT node FROM _sm_state");
            try (Connection app = DriverManager.getConnection("jdbc:sqlite:" + a.replica());
                 Statement s = app.createStatement()) {
                s.execute("PRAGMA busy_timeout = 10000");
                s.execute("UPDATE t SET v = 'unpushed' WHERE id = 1");
                s.execute("INSERT INTO t VALUES(3, 'unpushed insert')");
                assertEquals("unpushed", query(app, "SELECT v FROM t WHERE id = 1"));
                cluster.hubExec("UPDATE t SET v = 'hub two' WHERE id = 2", "INSERT INTO t VALUES(4, 'hub four')");

                List<LocalChange> handed = new ArrayList<>();
                List<String> blockedErrors = new ArrayList<>();
                a.store().replicaFile().recreate(true, pending -> {
                    handed.addAll(pending);
                    // While Clear Cache runs, every write by any program is refused with a clear message.
                    SQLException refused = assertThrows(SQLException.class, () -> s.execute("UPDATE t SET v = 'sneaky' WHERE id = 2"));
                    blockedErrors.add(refused.getMessage());
                }, uncaptured -> { });
                assertEquals(2, handed.size(), handed.toString());
                assertTrue(handed.stream().anyMatch(p -> p.row() != null && p.row().values().contains("unpushed")), handed.toString());
                assertTrue(blockedErrors.get(0).contains(ReplicaCapture.BLOCKED_MESSAGE), blockedErrors.toString());

                // The connection that stayed open sees the fresh copy: the hub's rows, not the discarded ones.
                assertEquals("one|hub two|hub four|0", query(app, "SELECT (SELECT v FROM t WHERE id = 1) || '|' ||"
                        + " (SELECT v FROM t WHERE id = 2) || '|' || (SELECT v FROM t WHERE id = 4) || '|' ||"
                        + " (SELECT count(*) FROM t WHERE id = 3)"));
                assertEquals("0", query(app, "SELECT count(*) FROM _sm_pending"));
                assertEquals("0", query(app, "SELECT blocked FROM _sm_state"));
                assertNotEquals(oldNode, query(app, "SELECT node FROM _sm_state"), "a fresh clone is a new node");
                assertEquals(Cluster.exactDump(cluster.hub), Cluster.exactDump(a.replica()));

                // And it can write again, captured and synced as before.
                s.execute("UPDATE t SET v = 'after clear' WHERE id = 1");
            }
            assertTrue(a.sync().succeeded());
            assertEquals("after clear", Cluster.scalar(cluster.hub, "SELECT v FROM t WHERE id = 1"));
            cluster.assertConverged();
            Cluster.assertHealthy(a.replica());
        }
    }

    @Test
    void aBlockedReplicaRefusesWritesAndAnInterruptedClearIsFinishedOnOpen() throws Exception {
        try (Cluster cluster = cluster()) {
            var a = cluster.nodes.get(0);
            a.exec("UPDATE _sm_state SET blocked = 1"); // as a Clear Cache that died half way leaves it
            SQLException refused = assertThrows(SQLException.class, () -> a.exec("INSERT INTO t VALUES(9, 'nope')"));
            assertTrue(refused.getMessage().contains(ReplicaCapture.BLOCKED_MESSAGE), refused.getMessage());
            assertEquals("0", a.scalar("SELECT count(*) FROM t WHERE id = 9"));
            a.store().close();

            cluster.hubExec("INSERT INTO t VALUES(5, 'five')");
            ConnectionFactory factory = new ConnectionFactory(Duration.ofSeconds(10));
            Retry retry = new Retry(new Backoff(Duration.ofMillis(20), Duration.ofMillis(200), 3), Clock.SYSTEM);
            try (SqliteMirrorStore reopened = new SqliteMirrorStore("db", cluster.hub.toString(), a.replica(), t -> true,
                    MirrorMode.READ_WRITE, factory, 2, Duration.ofSeconds(10), retry)) {
                reopened.replica();
                assertEquals("0", Cluster.scalar(a.replica(), "SELECT blocked FROM _sm_state"));
                assertEquals(Cluster.exactDump(cluster.hub), Cluster.exactDump(a.replica()));
                Cluster.run(a.replica(), "INSERT INTO t VALUES(9, 'now fine')");
                assertEquals("1", Cluster.scalar(a.replica(), "SELECT count(*) FROM _sm_pending"));
            }
        }
    }
}

package io.sharemirror.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.sharemirror.store.Cluster;
import io.sharemirror.sync.ArchivedConflict;
import io.sharemirror.sync.CycleRecord;
import io.sharemirror.sync.conflict.ConflictPolicy;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: application transactions on a replica never fail because of the agent. Applications make read-modify-write
 * transactions on the replica (Java through the jdbc:sharemirror: driver and a HikariCP pool, Python on the replica's
 * path) while the agent syncs every few milliseconds and another program writes other rows straight to the hub, a
 * steady stream the agent applies. The errors that reach the application are counted; the same workload on plain
 * {@code jdbc:sqlite:} and with Python's deferred BEGIN shows the failure this prevents, so the count can fail.
 * (BENCHMARKS.md B10 measures the same with the shipped agent on a slow share, and the latency.)
 */
class ApplicationTransactionsTest {

    private static final int APP_KEYS = 100;
    private static final int ROWS = 200;
    private static final Duration LENGTH = Duration.ofSeconds(3);
    private static final Duration THINK = Duration.ofMillis(1);

    @TempDir
    Path dir;
    private Cluster cluster;
    private Cluster.Node node;
    private Path config;

    @BeforeEach
    void replica() throws Exception {
        cluster = Cluster.withSchema(dir,
                "CREATE TABLE item(id INTEGER PRIMARY KEY, code TEXT NOT NULL, qty INTEGER NOT NULL, note TEXT NOT NULL)",
                "INSERT INTO item WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + ROWS
                        + ") SELECT i, printf('C%08d', i), 0, hex(randomblob(30)) FROM n");
        node = cluster.add(ConflictPolicy.NEWEST_WINS);
        cluster.settle();
        config = Files.writeString(dir.resolve("config.yaml"), "database:\n  enable_cache: true\n  cache_directory: "
                + dir.resolve("cache0") + "\ndatabases:\n  - name: db\n    path: " + cluster.hub + "\n");
    }

    @AfterEach
    void close() {
        cluster.close();
    }

    /** The agent, syncing as often as it can, and what it applied meanwhile. */
    private final class Agent implements AutoCloseable {
        final AtomicInteger cycles = new AtomicInteger();
        final AtomicInteger pulled = new AtomicInteger();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final CompletableFuture<Void> loop = CompletableFuture.runAsync(() -> {
            while (!stop.get()) {
                CycleRecord r = node.sync();
                cycles.incrementAndGet();
                pulled.addAndGet(r.pulled());
                LockSupport.parkNanos(Duration.ofMillis(5).toNanos()); // the agent's pace
            }
        }, task -> new Thread(task, "agent").start());

        @Override
        public void close() throws Exception {
            stop.set(true);
            loop.get(60, TimeUnit.SECONDS);
        }
    }

    private interface Workload {
        WorkloadResult run() throws Exception;
    }

    /**
     * Runs {@code workload} while the agent applies remote changes, and then syncs to the end. Returns what the
     * application saw, and asserts that it committed something while the agent applied remote changes.
     */
    private WorkloadResult withTheAgentSyncing(Workload workload) throws Exception {
        WorkloadResult result;
        try (RemoteChanges remote = RemoteChanges.start(cluster.hub, APP_KEYS + 1, ROWS, Duration.ofMillis(2));
             Agent agent = new Agent()) {
            result = workload.run();
            assertTrue(agent.pulled.get() > 0 && remote.written() > 0, "the agent applied " + agent.pulled
                    + " of " + remote.written() + " remote changes in " + agent.cycles + " cycles");
        }
        assertTrue(result.transactions() > 0, "no transaction committed: " + result.errorSummary());
        cluster.settle();
        cluster.assertConverged();
        return result;
    }

    /** As {@link #withTheAgentSyncing}, for a workload that must see no error and lose no increment. */
    private void noErrorReachesTheApplication(String what, Workload workload) throws Exception {
        long before = appQuantity();
        WorkloadResult result = withTheAgentSyncing(workload);
        assertEquals(0, result.errorCount(), what + ": " + result.errorSummary());
        assertEquals(before + result.transactions(), appQuantity(),
                what + ": each committed read-modify-write added exactly one, none was lost");
    }

    /** The sum the applications' transactions add to; only they write those rows. */
    private long appQuantity() throws Exception {
        return Long.parseLong(node.scalar("SELECT sum(qty) FROM item WHERE id <= " + APP_KEYS));
    }

    private static HikariDataSource pool(String url) {
        HikariConfig settings = new HikariConfig();
        settings.setJdbcUrl(url);
        settings.setAutoCommit(false); // the standard JDBC transaction: setAutoCommit(false), work, commit()
        settings.setMaximumPoolSize(4);
        return new HikariDataSource(settings);
    }

    private static WorkloadResult jdbc(String url, int threads) throws Exception {
        try (HikariDataSource pool = pool(url)) {
            return ReadModifyWrite.run(pool, threads, LENGTH, 1, APP_KEYS, THINK);
        }
    }

    /** The control is one thread, so only the agent can make it fail; the driver's run has four sharing a pool. */
    @Test
    void javaTransactionsThroughTheDriverAndAPoolNeverFailBecauseOfTheAgent() throws Exception {
        WorkloadResult plain = withTheAgentSyncing(() -> jdbc("jdbc:sqlite:" + node.replica(), 1));
        assertTrue(plain.errorCount() > 0, "plain sqlite-jdbc on the replica: the failure of issue 14");
        assertTrue(plain.errors().keySet().stream().allMatch(e -> e.contains("SQLITE_BUSY")), plain.errorSummary());

        noErrorReachesTheApplication("jdbc:sharemirror:, 4 threads",
                () -> jdbc("jdbc:sharemirror:" + cluster.hub + "?config=" + config, 4));
    }

    @Test
    void pythonTransactionsThatBeginImmediateNeverFailBecauseOfTheAgent() throws Exception {
        WorkloadResult deferred = withTheAgentSyncing(() -> python("deferred", 1));
        assertTrue(deferred.errorCount() > 0, "Python's explicit deferred BEGIN: the failure README warns of");

        for (String mode : List.of("immediate", "sqlalchemy-immediate")) {
            noErrorReachesTheApplication(mode + ", 2 threads", () -> python(mode, 2));
        }
    }

    private WorkloadResult python(String mode, int threads) throws Exception {
        return PythonWorkload.run(node.replica(), mode, LENGTH, threads, 1, APP_KEYS, THINK);
    }

    /**
     * An SQLAlchemy session loads a row, the agent syncs, the session changes the row and commits. With SQLAlchemy's
     * defaults the session read outside any transaction (pysqlite begins only at the first write), so its commit
     * silently overwrites the change the agent applied in between: a lost update, found nowhere. With the engine README
     * shows (BEGIN IMMEDIATE when the session begins) the agent waits for the session, and the other desktop's change
     * arrives as a conflict, its losing version archived.
     */
    @Test
    void anOrmSessionHoldingARowAcrossASyncLosesTheOtherChangeSilentlyUnlessItBeginsImmediate() throws Exception {
        try (OrmSession session = OrmSession.start(node.replica(), "default", 1)) {
            cluster.hubExec("UPDATE item SET qty = qty + 100 WHERE id = 1");
            assertEquals(1, node.sync().pulled());
            assertEquals("committed", session.commit());
            assertEquals(session.loaded + 1, Long.parseLong(node.scalar("SELECT qty FROM item WHERE id = 1")));
        }
        cluster.settle();
        assertEquals(List.of(), node.conflicts(), "the other desktop's +100 is gone without a trace");

        try (OrmSession session = OrmSession.start(node.replica(), "immediate", 2)) {
            cluster.hubExec("UPDATE item SET qty = qty + 100 WHERE id = 2");
            CompletableFuture<CycleRecord> sync = CompletableFuture.supplyAsync(node::sync, // waits for the session
                    task -> new Thread(task, "agent").start());
            assertEquals("committed", session.commit());
            assertTrue(sync.get(60, TimeUnit.SECONDS).succeeded());
            cluster.settle();
            List<ArchivedConflict> conflicts = node.conflicts();
            assertEquals(1, conflicts.size(), conflicts.toString());
            assertTrue(conflicts.get(0).toString().contains(String.valueOf(session.loaded + 100)),
                    "the other desktop's version is archived: " + conflicts.get(0));
            assertEquals(String.valueOf(session.loaded + 1), Cluster.scalar(cluster.hub,
                    "SELECT qty FROM item WHERE id = 2"), "the session's newer write won");
        }
        cluster.assertConverged();
    }

    /** orm_session_across_sync.py: loads a row, waits for the word, then changes and commits it. */
    private static final class OrmSession implements AutoCloseable {
        final long loaded;
        private final Process process;
        private final BufferedReader out;

        private OrmSession(Process process) throws Exception {
            this.process = process;
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            if (line == null || !line.startsWith("loaded ")) {
                throw new IllegalStateException("the session did not load the row: " + line + "\n" + rest());
            }
            loaded = Long.parseLong(line.substring("loaded ".length()));
        }

        static OrmSession start(Path db, String mode, long key) throws Exception {
            Path script = Path.of(Objects.requireNonNull(
                    OrmSession.class.getResource("orm_session_across_sync.py")).toURI());
            return new OrmSession(new ProcessBuilder(PythonWorkload.PYTHON.toString(), script.toString(),
                    db.toString(), mode, Long.toString(key)).redirectErrorStream(true).start());
        }

        /** Lets the session go on; returns "committed" or "error ...". */
        String commit() throws Exception {
            Writer in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            in.write("go\n");
            in.flush();
            String line = out.readLine();
            return line == null ? "exited: " + rest() : line;
        }

        private String rest() throws Exception {
            StringBuilder text = new StringBuilder();
            for (String l = out.readLine(); l != null; l = out.readLine()) {
                text.append(l).append('\n');
            }
            return text.toString();
        }

        @Override
        public void close() throws Exception {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("the ORM session did not end");
            }
        }
    }
}

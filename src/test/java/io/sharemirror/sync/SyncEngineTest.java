package io.sharemirror.sync;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.status.DatabaseStatus;
import io.sharemirror.status.StatusModel;
import io.sharemirror.status.SyncState;
import io.sharemirror.store.Cluster;
import io.sharemirror.sync.conflict.ConflictPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine on real SQLite files, its time on a fake clock the test ticks. Write-behind: a local write reaches the
 * hub a second after it, whatever the interval, and an offline share queues it until it returns. The hub-change poll
 * between cycles: another writer's commit reaches the replica at the next poll, long before the interval, while an
 * idle hub and the agent's own pushes start no cycle at all; switched off, changes wait for the interval.
 */
class SyncEngineTest {

    private static final String SCHEMA = "CREATE TABLE item(id INTEGER PRIMARY KEY, name TEXT)";
    private static final Duration POLL = Duration.ofSeconds(5);
    /** Far beyond the test: whatever arrives earlier came through the poll (or write-behind). */
    private static final Duration INTERVAL = Duration.ofHours(1);

    @TempDir
    Path dir;

    private Cluster cluster;
    private Cluster.Node node;
    private final StatusModel status = new StatusModel();
    private final FakeClock clock = new FakeClock();
    private final TrackedPool workers = new TrackedPool(2);

    @BeforeEach
    void oneReplica() throws Exception {
        cluster = Cluster.withSchema(dir, SCHEMA);
        node = cluster.add(ConflictPolicy.NEWEST_WINS);
    }

    @AfterEach
    void close() {
        cluster.close();
    }

    @Test
    void anotherWritersCommitArrivesSoonWhileIdleChecksAndOwnPushesStartNoCycle() throws Exception {
        try (SyncEngine engine = start(POLL)) {
            int cycles = cycles();
            pollsPass(engine, 4);
            assertEquals(cycles, cycles(), "polls of an idle hub start no cycle");

            node.exec("INSERT INTO item(name) VALUES('ours')");
            writeBehindPasses(engine);
            assertEquals(1, count(cluster.hub, "ours"), "the write-behind push");
            awaitQuiet();
            int afterPush = cycles();
            pollsPass(engine, 4);
            assertEquals(afterPush, cycles(), "the agent's own push is not taken for another writer's change");

            cluster.hubExec("INSERT INTO item(name) VALUES('theirs')");
            pollsPass(engine, 1);
            assertEquals(1, count(node.replica(), "theirs"), "another writer's row on the replica at the next poll");
        }
    }

    @Test
    void switchedOffAnotherWritersCommitWaitsForTheNextCycle() throws Exception {
        try (SyncEngine engine = start(Duration.ZERO)) {
            cluster.hubExec("INSERT INTO item(name) VALUES('theirs')");
            pollsPass(engine, 6);
            assertEquals(0, count(node.replica(), "theirs"), "no change arrives with the poll switched off");
            assertTrue(engine.syncNow("db").get(20, TimeUnit.SECONDS).succeeded());
            assertEquals(1, count(node.replica(), "theirs"));
        }
    }

    @Test
    void writeBehindPushesSoonAndAnOfflineShareQueuesUntilItReturns() throws Exception {
        try (SyncEngine engine = start(Duration.ZERO)) {
            // With an interval of an hour, a local write still reaches the hub a second later.
            node.exec("INSERT INTO item(name) VALUES('write-behind')");
            writeBehindPasses(engine);
            assertEquals(1, count(cluster.hub, "write-behind"));

            // The share goes away: OFFLINE, and the replica keeps taking writes.
            Path share = cluster.hub.getParent();
            Path away = share.resolveSibling("share-away");
            Files.move(share, away);
            node.exec("INSERT INTO item(name) VALUES('while offline')");
            engine.syncNow("db").get(20, TimeUnit.SECONDS);
            assertEquals(SyncState.OFFLINE, status.snapshot().overall());
            assertEquals(1, status.snapshot().database("db").orElseThrow().pendingWrites());

            // It comes back: the backlog drains and the state is OK again.
            Files.move(away, share);
            CycleRecord r = engine.syncNow("db").get(20, TimeUnit.SECONDS);
            assertEquals(CycleRecord.Outcome.SYNCED, r.outcome(), String.valueOf(r.error()));
            assertEquals(1, count(cluster.hub, "while offline"));
            assertEquals(SyncState.OK, status.snapshot().overall());
        }
    }

    /** The engine on the replica with the hub-change poll given (zero: off), once its first cycle has settled. */
    private SyncEngine start(Duration poll) {
        SyncEngine engine = new SyncEngine(status, workers, poll, clock, new Random(3)::nextDouble);
        engine.add(node.mirror(), INTERVAL, DatabaseStatus.initial("db", true, "test", "hub", "file share",
                node.replica().toString()));
        engine.tick();
        awaitIdle();
        awaitQuiet();
        return engine;
    }

    /** {@code polls} poll intervals go by, each ticked and waited for with whatever it started. */
    private void pollsPass(SyncEngine engine, int polls) {
        for (int i = 0; i < polls; i++) {
            clock.advance(POLL);
            engine.tick();
            awaitIdle();
        }
    }

    /** The engine notices a local write, which is then quiet long enough to be pushed; returns once it was. */
    private void writeBehindPasses(SyncEngine engine) {
        engine.tick();
        clock.advance(Scheduler.QUIET);
        engine.tick();
        awaitIdle();
    }

    private void awaitIdle() {
        await("the engine's jobs done").atMost(Duration.ofSeconds(20)).until(workers::idle);
    }

    private int cycles() {
        return node.state().history("db", 10_000).size();
    }

    /** In sync, no cycle running, nothing pending. */
    private void awaitQuiet() {
        await("the database in sync with no cycle running").atMost(Duration.ofSeconds(20)).until(() -> status.snapshot()
                .database("db").map(s -> s.state() == SyncState.OK && !s.syncing() && s.pendingWrites() == 0)
                .orElse(false));
    }

    private static long count(Path db, String name) {
        try {
            return Long.parseLong(Cluster.scalar(db, "SELECT count(*) FROM item WHERE name = '" + name + "'"));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}

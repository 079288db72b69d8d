package io.sharemirror.share;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.status.DatabaseStatus;
import io.sharemirror.status.StatusModel;
import io.sharemirror.status.SyncState;
import io.sharemirror.store.Cluster;
import io.sharemirror.sync.Clock;
import io.sharemirror.sync.CycleRecord;
import io.sharemirror.sync.CycleRecord.Outcome;
import io.sharemirror.sync.SyncEngine;
import io.sharemirror.sync.conflict.ConflictPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine on each share fixture: two replicas converge through a hub on the share; the share vanishes, before or in
 * the middle of a push; the engine reports OFFLINE while local writes go on; once the share is back the backlog drains
 * and hub and replicas converge with every write present.
 */
class ShareSyncTest {

    /** Rows in the push that gets cut: enough that the push is still running when the share is taken away. */
    private static final int BATCH = 2000;

    /** When the share goes away. */
    private enum Cut {
        /** Before A's next cycle, while A and B hold the hub open. */
        BETWEEN_CYCLES,
        /** The moment A's push transaction first writes the hub (its journal shows on the server). */
        MID_PUSH
    }

    @TempDir
    Path dir;

    @Test
    void throughSambaWhoseServerStopsBetweenCycles() throws Exception {
        try (SambaShare share = SambaShare.start(dir.resolve("samba"))) {
            survivesTheShareVanishing(share, Cut.BETWEEN_CYCLES);
        }
    }

    @Test
    void throughFaultFsThatGoesDownMidPush() throws Exception {
        try (FaultFs share = FaultFs.mount(dir.resolve("backing"), dir.resolve("mnt"))) {
            survivesTheShareVanishing(share, Cut.MID_PUSH);
        }
    }

    /**
     * smbd dies while the push transaction writes: a read in flight can come back short or fail, which SQLite takes
     * for a damaged page; the cycle must still end OFFLINE with nothing on the hub, and drain once the server is back.
     */
    @Test
    void throughSambaWhoseServerStopsMidPush() throws Exception {
        try (SambaShare share = SambaShare.start(dir.resolve("samba"))) {
            survivesTheShareVanishing(share, Cut.MID_PUSH);
        }
    }

    /**
     * smbnetfs makes up the folder of a share itself, so with the server down the folder holding a hub at the share's
     * root still "exists" and the hub seems missing: that must read as an unreachable share (OFFLINE), both for a
     * replica that was connected and for one that never was; a file really missing from a live share is FAILED.
     */
    @Test
    void aHubAtTheRootOfASambaShareIsOfflineWhileTheServerIsDownAndMissingOnlyWhenItIs() throws Exception {
        try (SambaShare share = SambaShare.start(dir.resolve("samba"))) {
            Path hub = share.folder().resolve("hub.db");
            Cluster.run(hub, "CREATE TABLE item(id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
            try (Cluster cluster = new Cluster(dir.resolve("nodes"), hub);
                 Cluster elsewhere = new Cluster(dir.resolve("elsewhere"), share.folder().resolve("missing.db"))) {
                Cluster.Node connected = cluster.add(ConflictPolicy.NEWEST_WINS);
                assertTrue(connected.sync().succeeded());
                Cluster.Node fresh = cluster.add(ConflictPolicy.NEWEST_WINS);
                share.stopServer();
                for (Cluster.Node node : List.of(connected, fresh)) {
                    CycleRecord r = node.sync();
                    assertEquals(Outcome.OFFLINE, r.outcome(), r.toString());
                    assertTrue(r.error().contains("not reachable"), r.error());
                }
                share.startServer();
                assertTrue(connected.sync().succeeded());
                assertTrue(fresh.sync().succeeded());
                CycleRecord missing = elsewhere.add(ConflictPolicy.NEWEST_WINS).sync();
                assertEquals(Outcome.FAILED, missing.outcome(), missing.toString());
                assertTrue(missing.error().contains("does not exist"), missing.error());
            }
        }
    }

    private void survivesTheShareVanishing(Share share, Cut when) throws Exception {
        // In a folder of the share: smbnetfs makes the share's root folder up itself, so it "exists" with the server down.
        Path hub = share.folder().resolve("data").resolve("hub.db");
        Files.createDirectories(hub.getParent());
        Cluster.run(hub, "CREATE TABLE item(id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
        try (Cluster cluster = new Cluster(dir.resolve("nodes"), hub)) {
            Cluster.Node a = cluster.add(ConflictPolicy.NEWEST_WINS);
            Cluster.Node b = cluster.add(ConflictPolicy.NEWEST_WINS);
            a.exec("INSERT INTO item(name) VALUES('a before')");
            b.exec("INSERT INTO item(name) VALUES('b before')");
            cluster.settle();
            cluster.assertConverged();

            StatusModel status = new StatusModel();
            try (SyncEngine engine = new SyncEngine(status, 1, Duration.ZERO, Clock.SYSTEM)) {
                engine.add(a.mirror(), Duration.ofHours(1), DatabaseStatus.initial("db", true, "test", hub.toString(),
                        "file share", a.replica().toString()));
                a.exec("INSERT INTO item(name) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < "
                        + BATCH + ") SELECT 'a batch ' || i FROM n");
                b.exec("INSERT INTO item(name) VALUES('b queued')");

                CompletableFuture<Void> cut;
                if (when == Cut.MID_PUSH) {
                    Path journal = share.serverFolder().resolve("data").resolve("hub.db-journal");
                    cut = CompletableFuture.runAsync(() -> {
                        awaitFile(journal);
                        share.vanish();
                    });
                } else {
                    share.vanish();
                    cut = CompletableFuture.completedFuture(null);
                }
                CycleRecord cutShort = engine.syncNow("db").get(60, TimeUnit.SECONDS);
                cut.get(10, TimeUnit.SECONDS);
                assertEquals(Outcome.OFFLINE, cutShort.outcome(), cutShort.toString());
                assertEquals(SyncState.OFFLINE, status.snapshot().database("db").orElseThrow().state());

                long start = System.nanoTime();
                a.exec("INSERT INTO item(name) VALUES('a offline')");
                b.exec("INSERT INTO item(name) VALUES('b offline')");
                long localMs = (System.nanoTime() - start) / 1_000_000;
                assertEquals(Outcome.OFFLINE, b.sync().outcome());
                assertEquals(String.valueOf(BATCH + 1), a.scalar("SELECT count(*) FROM _sm_pending"));
                assertEquals("2", b.scalar("SELECT count(*) FROM _sm_pending"));

                share.reappear();
                assertEquals("2", Cluster.scalar(hub, "SELECT count(*) FROM item"), "the cut push left nothing on the hub");
                start = System.nanoTime();
                CycleRecord drained = engine.syncNow("db").get(60, TimeUnit.SECONDS);
                long drainMs = (System.nanoTime() - start) / 1_000_000;
                assertEquals(Outcome.SYNCED, drained.outcome(), drained.toString());
                assertEquals(BATCH + 1, drained.pushed());
                assertEquals(SyncState.OK, status.snapshot().database("db").orElseThrow().state());
                assertTrue(b.sync().succeeded());
                assertTrue(engine.syncNow("db").get(60, TimeUnit.SECONDS).succeeded());
                cluster.assertConverged();
                assertEquals(String.valueOf(BATCH + 5), Cluster.scalar(hub, "SELECT count(*) FROM item"));
                System.out.printf("%s: offline local writes took %d ms; %d queued rows drained in %d ms%n",
                        share.getClass().getSimpleName(), localMs, drained.pushed(), drainMs);
            }
        }
    }

    /** Waits, polling every millisecond, for a file to appear (a push's journal on the server). */
    static void awaitFile(Path file) {
        await(file + " appearing: the push started").atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(1)).until(() -> Files.exists(file));
    }
}

package io.sharemirror.share;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sharemirror.Figures;
import io.sharemirror.store.AckedWrites;
import io.sharemirror.store.Cluster;
import io.sharemirror.store.TwoReplicas;
import io.sharemirror.sync.CycleRecord;
import io.sharemirror.sync.CycleRecord.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 5, item 2: the share vanishes (smbd stopped, or the FaultFs switched down) for a random span, in the middle of
 * a push (once its journal shows on the server) or of a pull (a random moment before the push starts). The cycle that
 * was cut ends OFFLINE and leaves its batch on the hub fully or not at all; while the share is away both replicas take
 * local writes and their cycles stay OFFLINE; once it is back the backlog drains, the mirrors converge, and every
 * acknowledged write is on the hub and on both replicas.
 *
 * <p>{@code faults.vanish.runs} cuts per share (CI 6, {@code -Plong} 60); the seed is printed and can be set with
 * {@code faults.seed}.
 */
class ShareVanishesTest {

    private static final int RUNS = Integer.getInteger("faults.vanish.runs", 6);
    /** Rows a cut push or pull carries: enough that the cycle is still running when the share goes. */
    private static final int BIG = 1500;

    /** The share under test. */
    enum Kind {
        FAULTFS, SAMBA;

        Share start(Path dir) throws IOException {
            return this == FAULTFS ? FaultFs.mount(dir.resolve("backing"), dir.resolve("mnt"))
                    : SambaShare.start(dir.resolve("samba"));
        }
    }

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Kind.class)
    void theReplicaKeepsWorkingWhileTheShareIsGoneAndTheBacklogDrains(Kind kind) throws Exception {
        long seed = Long.getLong("faults.seed", System.nanoTime());
        System.out.println("ShareVanishesTest " + kind + " seed " + seed);
        Random random = new Random(seed);
        try (Share share = kind.start(dir)) {
            Path hub = share.folder().resolve("data").resolve("hub.db");
            Files.createDirectories(hub.getParent());
            Path journal = share.serverFolder().resolve("data").resolve("hub.db-journal");
            Cluster.run(hub, AckedWrites.DDL);
            try (TwoReplicas replicas = TwoReplicas.of(dir.resolve("nodes"), hub)) {
                Cluster.Node a = replicas.a;
                Cluster.Node b = replicas.b;
                AckedWrites writes = replicas.writes;
                long pullMs = pullDuration(a, b, writes);

                List<String> problems = new ArrayList<>();
                int midPush = 0;
                int midPull = 0;
                int missed = 0;
                int offlineCycles = 0;
                long maxLocalWriteMs = 0;
                long totalDownMs = 0;
                for (int run = 0; run < RUNS; run++) {
                    boolean duringPush = run % 2 == 0;
                    writes.insert(b, duringPush ? 5 : BIG);
                    succeeded(b.sync(), "B's push before run " + run, problems);
                    writes.insert(a, duringPush ? BIG : 5);
                    writes.update(a, 20);
                    Map<String, String> batch = AckedWrites.pendingBatch(a);
                    long waitMs = duringPush ? random.nextInt(20) : random.nextInt((int) Math.max(1, pullMs * 4 / 5));
                    boolean[] pushStarted = new boolean[1];
                    CompletableFuture<Void> cut = CompletableFuture.runAsync(() -> {
                        if (duringPush) {
                            ShareSyncTest.awaitFile(journal);
                        }
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(waitMs)); // the cut's random moment
                        pushStarted[0] = Files.exists(journal);
                        share.vanish();
                    });
                    CycleRecord cutShort = a.sync();
                    cut.get(60, TimeUnit.SECONDS);
                    long downSince = System.nanoTime();
                    String where = kind + " run " + run + " (cut " + (duringPush ? "mid-push" : "mid-pull") + " after "
                            + waitMs + " ms): ";
                    if (cutShort.succeeded()) {
                        missed++; // the cycle was done before the share went
                    } else if (cutShort.outcome() == Outcome.OFFLINE) {
                        midPush += pushStarted[0] ? 1 : 0;
                        midPull += pushStarted[0] ? 0 : 1;
                    } else {
                        problems.add(where + "the cut cycle ended " + cutShort.outcome() + ": " + cutShort.error());
                    }

                    // The share is away: applications keep writing to both replicas, the agents stay offline.
                    for (Cluster.Node node : List.of(a, b)) {
                        long start = System.nanoTime();
                        writes.insert(node, 3);
                        writes.update(node, 2);
                        maxLocalWriteMs = Math.max(maxLocalWriteMs, (System.nanoTime() - start) / 1_000_000);
                        CycleRecord away = node.sync();
                        offlineCycles++;
                        if (away.outcome() != Outcome.OFFLINE) {
                            problems.add(where + "a cycle while the share was away ended " + away.outcome() + ": "
                                    + away.error());
                        }
                    }
                    long downMs = 50 + random.nextInt(1000); // how long the share stays away: the time is the fault
                    LockSupport.parkNanos(Math.max(0, TimeUnit.MILLISECONDS.toNanos(downMs) - (System.nanoTime() - downSince)));
                    share.reappear();
                    totalDownMs += (System.nanoTime() - downSince) / 1_000_000;

                    String halfDone = AckedWrites.halfDone(hub, a, batch);
                    if (halfDone != null) {
                        problems.add(where + halfDone);
                    }
                    succeeded(a.sync(), where + "A's first cycle after the share came back", problems);
                    succeeded(b.sync(), where + "B's first cycle after the share came back", problems);
                    if (!AckedWrites.pendingBatch(a).isEmpty()) {
                        problems.add(where + "A's backlog did not drain");
                    }
                }
                replicas.finish(Figures.of("ShareVanishesTest." + kind).runs(RUNS).faults(midPush + midPull)
                        .put("cut_mid_push", midPush).put("cut_mid_pull", midPull).put("cycle_done_before_cut", missed)
                        .put("offline_cycles", offlineCycles + midPush + midPull).put("share_down_ms", totalDownMs)
                        .put("max_local_write_ms_while_down", maxLocalWriteMs).put("seed", seed), problems);
            }
        }
    }

    /** How long A's cycle takes to pull a big batch from B with the share up: the window a mid-pull cut aims at. */
    private static long pullDuration(Cluster.Node a, Cluster.Node b, AckedWrites writes) throws Exception {
        writes.insert(b, BIG);
        assertEquals(true, b.sync().succeeded());
        CycleRecord pull = a.sync();
        assertEquals(true, pull.succeeded(), pull.toString());
        return pull.duration().toMillis();
    }

    private static void succeeded(CycleRecord r, String what, List<String> problems) {
        if (!r.succeeded()) {
            problems.add(what + " failed: " + r);
        }
    }
}

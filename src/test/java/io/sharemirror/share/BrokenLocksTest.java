package io.sharemirror.share;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.Figures;
import io.sharemirror.store.AckedWrites;
import io.sharemirror.store.Cluster;
import io.sharemirror.sync.CycleRecord;
import io.sharemirror.sync.conflict.ConflictPolicy;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5, item 8, the negative control: a share whose locks lie. Two mounts of one share are two desktops, two FaultFs
 * mounts of one folder or two smbnetfs mounts of one Samba share: neither implements locking, the kernel keeps POSIX
 * locks per mount, so each desktop's {@code BEGIN IMMEDIATE} ignores the other's. In each of
 * {@code faults.brokenLocks.runs} scenarios (CI 3, {@code -Plong} 50) both agents push at the same moment, round after
 * round (at most {@value #ROUNDS}), then sync once more each, one at a time. SQLite cannot be correct there. On both
 * shares: an agent that reported the damage pushes and clears nothing more, and every writer's own replica keeps all
 * its writes. On FaultFs the damage is never silent: in every run an agent finds it, then every agent stops (the
 * finder marks the hub), and no agent that never reported it lost an acknowledged write.
 *
 * <p>Known limit, published and not asserted: through two smbnetfs mounts about one run in four (13 and 15 of 50 in
 * two {@code -Plong} runs) ends with the hub's index and table disagreeing ("wrong # of entries in index") and rows lost
 * that no agent's read-back or log check noticed; only an integrity_check of the whole hub, too costly for every cycle
 * on a slow share, would see it.
 */
class BrokenLocksTest {

    private static final int RUNS = Integer.getInteger("faults.brokenLocks.runs", 3);
    private static final int ROUNDS = 20;

    /** The share under test, reached from two desktops. */
    enum Kind {
        FAULTFS, SAMBA;

        /** Mounts the share twice; the two folders are the same share seen from two desktops. */
        List<AutoCloseable> mount(Path root, List<Path> desktops) throws IOException {
            if (this == SAMBA) {
                SambaShare share = SambaShare.start(root.resolve("samba"));
                desktops.add(share.folder());
                desktops.add(share.anotherDesktop());
                return List.of(share);
            }
            List<AutoCloseable> mounts = new ArrayList<>();
            for (String desktop : List.of("desktop-a", "desktop-b")) {
                FaultFs fs = FaultFs.mount(root.resolve("server"), root.resolve(desktop));
                mounts.add(fs);
                // a little latency, so that the two pushes overlap
                fs.faults().scope(path -> path.startsWith("/hub.db"))
                        .latency(Duration.ofMillis(1), Duration.ofMillis(2));
                desktops.add(fs.folder());
            }
            return mounts;
        }
    }

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Kind.class)
    void twoDesktopsWhoseLocksLieAreCaughtAndStopPushingWithTheirQueuesKept(Kind kind) throws Exception {
        List<String> problems = new ArrayList<>();
        List<String> unreported = new ArrayList<>();
        List<String> goneFromReplica = new ArrayList<>();
        int rounds = 0;
        int found = 0;
        int allStopped = 0;
        int damagedHubs = 0;
        int silentlyLost = 0;
        int offHub = 0;
        int writesChecked = 0;
        for (int run = 0; run < RUNS; run++) {
            Scenario s = new Scenario(kind, dir.resolve("run" + run));
            s.play(problems, unreported, goneFromReplica);
            rounds += s.rounds;
            found += s.foundInRounds ? 1 : 0;
            allStopped += s.stoppedWith.size() == 2 ? 1 : 0;
            damagedHubs += s.hubIntact ? 0 : 1;
            silentlyLost += s.silentlyLost;
            offHub += s.offHub;
            writesChecked += s.writes.count();
        }
        Figures.of("BrokenLocksTest." + kind).runs(RUNS).faults(rounds).writesChecked(writesChecked)
                .writesLost(silentlyLost).put("runs_where_an_agent_found_the_damage", found)
                .put("runs_where_every_agent_stopped", allStopped)
                .put("runs_ending_with_integrity_check_failing", damagedHubs)
                .put("writes_off_the_hub_after_reported_damage", offHub).publish();
        assertEquals(List.of(), goneFromReplica, "acknowledged writes gone from the replica that made them");
        assertEquals(List.of(), problems, String.join("\n", problems));
        if (kind == Kind.SAMBA) {
            // Known limit (see the class comment): published, not asserted.
            return;
        }
        assertEquals(List.of(), unreported, "acknowledged writes lost by an agent that never reported damage");
        assertEquals(RUNS, found, "runs in which an agent found the damage while the pushes collided");
        assertEquals(RUNS, allStopped, "runs in which every agent stopped once one had found the damage");
    }

    /** One hub, two desktops, colliding pushes until both agents stop. */
    private static final class Scenario {

        final Kind kind;
        final Path root;
        final AckedWrites writes = new AckedWrites();
        /** Each agent that reported the damage, with its pending rows then. */
        final Map<Cluster.Node, Long> stoppedWith = new HashMap<>();
        int rounds;
        boolean foundInRounds;
        int silentlyLost;
        int offHub;
        boolean hubIntact;

        Scenario(Kind kind, Path root) {
            this.kind = kind;
            this.root = root;
        }

        void play(List<String> problems, List<String> unreported, List<String> goneFromReplica) throws Exception {
            List<Path> desktops = new ArrayList<>();
            List<AutoCloseable> mounts = kind.mount(root, desktops);
            try {
                Path hub = desktops.get(0).resolve("hub.db");
                Cluster.run(hub, AckedWrites.DDL);
                try (Cluster viaA = new Cluster(root.resolve("a"), hub);
                     Cluster viaB = new Cluster(root.resolve("b"), desktops.get(1).resolve("hub.db"))) {
                    Cluster.Node a = viaA.add(ConflictPolicy.NEWEST_WINS);
                    Cluster.Node b = viaB.add(ConflictPolicy.NEWEST_WINS);
                    writes.insert(a, 5);
                    writes.insert(b, 5);
                    assertTrue(a.sync().succeeded() && b.sync().succeeded() && a.sync().succeeded());
                    for (; rounds < ROUNDS && stoppedWith.size() < 2; rounds++) {
                        writes.insert(a, 30);
                        writes.update(a, 5);
                        writes.insert(b, 30);
                        writes.update(b, 5);
                        CompletableFuture<CycleRecord> pushA = CompletableFuture.supplyAsync(a::sync);
                        CompletableFuture<CycleRecord> pushB = CompletableFuture.supplyAsync(b::sync);
                        observe(a, pushA.get(60, TimeUnit.SECONDS), root + " round " + rounds, problems);
                        observe(b, pushB.get(60, TimeUnit.SECONDS), root + " round " + rounds, problems);
                    }
                    foundInRounds = !stoppedWith.isEmpty();
                    // One more cycle each, one at a time: a push undone after it read itself back shows now, and an
                    // agent that found nothing itself learns from the hub that another one did.
                    for (Cluster.Node node : List.of(a, b)) {
                        observe(node, node.sync(), root + " last cycle", problems);
                    }
                    try {
                        hubIntact = "ok".equals(Cluster.scalar(hub, "PRAGMA integrity_check"));
                    } catch (SQLException e) {
                        hubIntact = false;
                    }
                    for (Cluster.Node node : List.of(a, b)) {
                        List<String> notOnHub = new ArrayList<>();
                        int missing = writes.lostUnless(hub, AckedWrites.pendingBatch(node), node, notOnHub);
                        offHub += missing;
                        if (!stoppedWith.containsKey(node)) {
                            silentlyLost += missing; // an agent that never said so: the loss went unnoticed
                            unreported.addAll(notOnHub);
                        }
                        // Whatever the hub lost, the writer's own replica still has it.
                        writes.lostUnless(node.replica(), Map.of(), node, goneFromReplica);
                    }
                }
            } finally {
                for (AutoCloseable m : mounts) {
                    m.close();
                }
            }
        }

        /** Notes when an agent reports the damage; from then on it must push nothing and keep its queue. */
        void observe(Cluster.Node node, CycleRecord r, String when, List<String> problems) throws SQLException {
            long pending = Long.parseLong(node.scalar("SELECT count(*) FROM _sm_pending"));
            Long before = stoppedWith.get(node);
            if (before != null && (r.pushed() > 0 || pending < before)) {
                problems.add(when + ": " + node.replica() + " pushed or cleared after it had reported the damage: "
                        + r);
            }
            if (before == null && !r.succeeded() && r.hint() != null && r.hint().contains("damaged")) {
                stoppedWith.put(node, pending);
            }
        }
    }
}

package io.sharemirror.share;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.Figures;
import io.sharemirror.store.AckedWrites;
import io.sharemirror.store.Cluster;
import io.sharemirror.sync.CycleRecord;
import io.sharemirror.sync.conflict.ConflictPolicy;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5, item 8, the negative control: a share whose locks lie. Two FaultFs mounts of one folder are two desktops:
 * FaultFs leaves POSIX locks to the kernel, which keeps them per mount, so each desktop's {@code BEGIN IMMEDIATE}
 * ignores the other's (as two smbnetfs mounts of one share do, see {@link SambaShare}). In each of
 * {@code faults.brokenLocks.runs} scenarios (CI 3, {@code -Plong} 50) both agents push at the same moment, round after
 * round (at most {@value #ROUNDS}), then sync once more each, one at a time. SQLite cannot be correct there; what must
 * hold is that the damage is never silent: one agent finds it, then every agent stops (the finder marks the hub), an
 * agent that stopped pushes and clears nothing more, no agent that never reported it lost an acknowledged write, and
 * every writer's own replica keeps all its writes.
 */
class BrokenLocksTest {

    private static final int RUNS = Integer.getInteger("faults.brokenLocks.runs", 3);
    private static final int ROUNDS = 20;

    @TempDir
    Path dir;

    @Test
    void twoDesktopsWhoseLocksLieAreCaughtAndStopPushingWithTheirQueuesKept() throws Exception {
        List<String> problems = new ArrayList<>();
        List<String> lostRows = new ArrayList<>();
        int rounds = 0;
        int found = 0;
        int bothStopped = 0;
        int silentlyLost = 0;
        int offHub = 0;
        int writesChecked = 0;
        for (int run = 0; run < RUNS; run++) {
            Scenario s = new Scenario(dir.resolve("run" + run));
            s.play(problems, lostRows);
            rounds += s.rounds;
            found += s.foundInRounds ? 1 : 0;
            bothStopped += s.stoppedWith.size() == 2 ? 1 : 0;
            silentlyLost += s.silentlyLost;
            offHub += s.offHub;
            writesChecked += s.writes.count();
        }
        Figures.of("BrokenLocksTest").runs(RUNS).faults(rounds).writesChecked(writesChecked).writesLost(silentlyLost)
                .put("runs_where_an_agent_found_the_damage", found).put("runs_where_every_agent_stopped", bothStopped)
                .put("writes_off_the_hub_after_reported_damage", offHub).publish();
        assertEquals(List.of(), lostRows, "acknowledged writes lost without a report, or gone from their replica");
        assertEquals(List.of(), problems, String.join("\n", problems));
        assertEquals(RUNS, found, "runs in which an agent found the damage while the pushes collided");
        assertEquals(RUNS, bothStopped, "runs in which every agent stopped once one had found the damage");
    }

    /** One hub, two desktops, colliding pushes until both agents stop. */
    private static final class Scenario {

        final Path root;
        final AckedWrites writes = new AckedWrites();
        /** Each agent that reported the damage, with its pending rows then. */
        final Map<Cluster.Node, Long> stoppedWith = new HashMap<>();
        int rounds;
        boolean foundInRounds;
        int silentlyLost;
        int offHub;

        Scenario(Path root) {
            this.root = root;
        }

        void play(List<String> problems, List<String> lostRows) throws Exception {
            Path server = root.resolve("server");
            try (FaultFs one = FaultFs.mount(server, root.resolve("desktop-a"));
                 FaultFs two = FaultFs.mount(server, root.resolve("desktop-b"))) {
                Path hub = one.folder().resolve("hub.db");
                Cluster.run(hub, AckedWrites.DDL);
                for (FaultFs desktop : List.of(one, two)) {
                    // a little latency on each, so that the two pushes overlap
                    desktop.faults().scope(path -> path.startsWith("/hub.db"))
                            .latency(Duration.ofMillis(1), Duration.ofMillis(2));
                }
                try (Cluster viaA = new Cluster(root.resolve("a"), hub);
                     Cluster viaB = new Cluster(root.resolve("b"), two.folder().resolve("hub.db"))) {
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
                    for (Cluster.Node node : List.of(a, b)) {
                        List<String> notOnHub = new ArrayList<>();
                        int missing = writes.lostUnless(hub, AckedWrites.pendingBatch(node), node, notOnHub);
                        offHub += missing;
                        if (!stoppedWith.containsKey(node)) {
                            silentlyLost += missing; // an agent that never said so: the loss went unnoticed
                            lostRows.addAll(notOnHub);
                        }
                        // Whatever the hub lost, the writer's own replica still has it.
                        writes.lostUnless(node.replica(), Map.of(), node, lostRows);
                    }
                }
            }
        }

        /** Notes when an agent reports the damage; from then on it must push nothing and keep its queue. */
        void observe(Cluster.Node node, CycleRecord r, String when, List<String> problems) throws SQLException {
            long pending = Long.parseLong(node.scalar("SELECT count(*) FROM _sm_pending"));
            Long before = stoppedWith.get(node);
            if (before != null && (r.pushed() > 0 || pending < before)) {
                problems.add(when + ": " + node.replica() + " pushed or cleared after it had reported the damage: " + r);
            }
            if (before == null && !r.succeeded() && r.hint() != null && r.hint().contains("damaged")) {
                stoppedWith.put(node, pending);
            }
        }
    }
}

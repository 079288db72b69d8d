package io.sharemirror.share;


import io.sharemirror.Figures;
import io.sharemirror.store.AckedWrites;
import io.sharemirror.store.Cluster;
import io.sharemirror.store.TwoReplicas;
import io.sharemirror.sync.CycleRecord;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5, item 3: a slow share. Every operation on the hub's files waits {@code faults.slow.latencyMs} plus up to
 * {@code faults.slow.jitterMs} (CI 50 + 50 ms, {@code -Plong} 50 + 450 ms, the 50-500 ms) for
 * {@code faults.slow.rounds} rounds (CI 1, long 8) in which both replicas push, pull and edit the same rows
 * (conflicts), while an application edits five rows of one replica every 20 ms the whole time. Every cycle completes,
 * no local write fails (none waits out the replica's busy timeout behind an agent stuck on the share), and afterwards
 * every acknowledged write is everywhere and the mirrors converge. The local write times are published, not asserted.
 */
class SlowShareTest {

    private static final long LATENCY_MS = Long.getLong("faults.slow.latencyMs", 50);
    private static final long JITTER_MS = Long.getLong("faults.slow.jitterMs", 50);
    private static final int ROUNDS = Integer.getInteger("faults.slow.rounds", 1);
    /** Rows both replicas edit every round: conflicts, resolved while the pull applies. */
    private static final int CLASHING = 10;

    @TempDir
    Path dir;

    @Test
    void pushesCompleteAndLocalWritesNeverWaitForTheShare() throws Exception {
        try (FaultFs share = FaultFs.mount(dir.resolve("backing"), dir.resolve("mnt"))) {
            Path hub = share.folder().resolve("hub.db");
            Cluster.run(hub, AckedWrites.DDL, "CREATE TABLE clash(k INTEGER PRIMARY KEY, v TEXT)",
                    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + CLASHING + ")"
                            + " INSERT INTO clash SELECT i, 'start' FROM n");
            Faults faults = share.faults().scope(path -> path.startsWith("/hub.db"));
            try (TwoReplicas replicas = TwoReplicas.of(dir.resolve("nodes"), hub)) {
                Cluster.Node a = replicas.a;
                Cluster.Node b = replicas.b;
                AckedWrites writes = replicas.writes;

                faults.resetCounts();
                faults.latency(Duration.ofMillis(LATENCY_MS), Duration.ofMillis(JITTER_MS));
                List<Long> localMs = Collections.synchronizedList(new ArrayList<>());
                List<String> failures = Collections.synchronizedList(new ArrayList<>());
                AtomicBoolean stop = new AtomicBoolean();
                Thread application = new Thread(() -> {
                    while (!stop.get()) {
                        long start = System.nanoTime();
                        try {
                            writes.update(a, 5); // the same five rows: a steady backlog, however long a cycle takes
                        } catch (SQLException e) {
                            failures.add("a local write failed: " + e.getMessage());
                        }
                        localMs.add((System.nanoTime() - start) / 1_000_000);
                        sleep(20); // an application's pace of writing
                    }
                }, "application on A");
                application.start();
                List<CycleRecord> cycles = new ArrayList<>();
                try {
                    for (int round = 0; round < ROUNDS; round++) {
                        writes.insert(b, 20);
                        writes.update(b, 5);
                        b.exec("UPDATE clash SET v = 'b" + round + "'");
                        a.exec("UPDATE clash SET v = 'a" + round + "'");
                        cycles.add(b.sync());
                        cycles.add(a.sync());
                    }
                } finally {
                    stop.set(true);
                    application.join();
                }
                long delayed = faults.total();
                faults.clear();
                cycles.stream().filter(c -> !c.succeeded()).forEach(c -> failures.add("a cycle failed: " + c));
                List<Long> sorted = new ArrayList<>(localMs);
                Collections.sort(sorted);
                replicas.finish(Figures.of("SlowShareTest").runs(cycles.size()).faults(delayed)
                        .put("latency_ms", LATENCY_MS + "+" + JITTER_MS)
                        .put("local_writes", sorted.size()).put("local_write_median_ms", percentile(sorted, 50))
                        .put("local_write_p99_ms", percentile(sorted, 99))
                        .put("local_write_max_ms", sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1))
                        .put("cycle_max_ms", cycles.stream().mapToLong(c -> c.duration().toMillis()).max().orElse(0))
                        .put("conflicts", cycles.stream().mapToInt(CycleRecord::conflicts).sum()), failures);
            }
        }
    }

    private static long percentile(List<Long> sorted, int p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, sorted.size() * p / 100));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

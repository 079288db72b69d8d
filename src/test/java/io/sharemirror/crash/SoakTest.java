package io.sharemirror.crash;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.Figures;
import io.sharemirror.Waits;
import io.sharemirror.config.Tuning;
import io.sharemirror.share.Errno;
import io.sharemirror.share.FaultFs;
import io.sharemirror.share.Faults;
import io.sharemirror.share.Op;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Soak (issue 5, item 9): every fault at a low rate, for a bounded time, with three agents in child JVMs writing and
 * syncing through a hub on {@link FaultFs}: agents A and B killed with SIGKILL and restarted now and then (C lives
 * the whole soak, to watch its memory), the share down for a few seconds, latency windows, I/O error windows (EIO on
 * reads and writes of the hub's files), a direct writer and a long reader on the hub. Checked while it runs, once a
 * second: row counts never go backwards (the applications never delete, so every replica's and the hub's count of
 * their rows only grows), nor the hub's log head or any replica's cursor; the pending queue stays under what the
 * writers can queue in a generous outage; C's heap after a full collection does not grow from the first third of the
 * soak to the last, and no child's RSS passes a ceiling. At the end, with the faults cleared and the applications
 * quiet, every agent drains its queue by itself (liveness), and the crash test's invariants hold.
 *
 * <p>{@code -Dsoak.seconds=N} (default 60; the long profile runs 30 minutes), {@code -Dsoak.seed=S}.
 */
class SoakTest {

    private static final String[] SLOTS = {"A", "B", "C"};
    /** The application's pause between groups, and the agent's between cycles (a write-behind agent's pace). */
    private static final int PACE_MS = 50;
    private static final int SYNC_EVERY_MS = 100;
    /** Keys a writer can queue in 30 s without any push: 1 to 3 per group. */
    private static final long PENDING_BOUND = 1000 / PACE_MS * 3 * 30;
    private static final long HEAP_GROWTH_KB = 32 * 1024;
    private static final long RSS_CEILING_KB = 700 * 1024;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Long> lastCounts = new HashMap<>();
    private long samples;
    private long rssMaxKb;
    private long heapFirstKb;
    private long heapLastKb;
    private long pendingMaxOfEndedLives;
    /** The direct writer's and the long reader's pauses. */
    private final Random jitter = new Random();

    @Test
    void allFaultsAtALowRateLoseNothingAndStayBounded() throws Exception {
        int seconds = Integer.getInteger("soak.seconds", 60);
        long seed = Long.getLong("soak.seed", System.nanoTime());
        Random random = new Random(seed);
        System.out.println("soak test: seed " + seed + ", " + seconds + " s, in " + dir);
        List<String> jvm = ChildJvm.options(dir);
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path quiet = dir.resolve("quiet");
        Tuning shipped = Tuning.DEFAULTS;
        String retry = shipped.retryBaseDelay().toMillis() + "," + shipped.retryMaxDelay().toMillis() + ","
                + shipped.maxRetries();
        int lives = 0;
        int kills = 0;
        int downSpans = 0;
        int latencyWindows = 0;
        int errorWindows = 0;
        AtomicInteger longReads = new AtomicInteger();
        long pendingMax = 0;
        Quiescence end;
        HubWriter direct;
        Map<String, ChildProcess> agents = new LinkedHashMap<>();
        Map<String, Path> caches = new LinkedHashMap<>();

        try (FaultFs fs = FaultFs.mount(dir.resolve("backing"), dir.resolve("mnt"))) {
            Path hub = CrashHub.create(fs.folder());
            long foreignKeyBaseline = Invariants.foreignKeyProblems(hub);
            Faults faults = fs.faults().scope(p -> p.startsWith("/share/"));
            direct = new HubWriter(hub, new Random(random.nextLong()), "", HubWriter.Via.JDBC, 10_000, 1, 275);
            for (String slot : SLOTS) {
                caches.put(slot, Files.createDirectories(dir.resolve("cache" + slot)));
            }
            for (String slot : SLOTS) {
                agents.put(slot, start(jvm, logs, slot, ++lives, hub, caches.get(slot), random, retry, quiet));
            }
            HubWriter writer = direct;
            Loops loops = new Loops(problems);
            loops.start("direct writer", () -> {
                try {
                    writer.burst(1);
                } catch (SQLException e) {
                    // the share is down: nothing written, nothing acknowledged
                }
                Thread.sleep(200 + random(400)); // a writer's pace
            });
            loops.start("long reader", () -> {
                Thread.sleep(3_000 + random(5_000)); // a reader's pace
                try (Connection c = HubWriter.open(hub, 10_000); Statement s = c.createStatement()) {
                    s.execute("BEGIN");
                    try (ResultSet r = s.executeQuery("SELECT count(*) FROM Track")) {
                        r.next();
                    }
                    longReads.incrementAndGet();
                    Thread.sleep(300 + random(2_200)); // the read is held this long: the time is the point
                    s.execute("COMMIT");
                } catch (SQLException e) {
                    // the share is down or failing: the next read comes
                }
            });
            loops.start("sampler", () -> {
                sample(hub, caches, agents);
                Thread.sleep(1_000); // a sample a second
            });

            long start = System.nanoTime();
            long stop = start + seconds * 1_000_000_000L;
            long nextKill = at(start, 6 + random.nextInt(9));
            long nextDown = at(start, 10 + random.nextInt(15));
            long nextLatency = at(start, 5 + random.nextInt(10));
            long nextErrors = at(start, 8 + random.nextInt(12));
            long downUntil = 0;
            long latencyUntil = 0;
            long errorsUntil = 0;
            Duration[] latency = {Duration.ZERO, Duration.ZERO};
            double errorRate = 0;
            String applied = "";
            try {
                while (System.nanoTime() < stop) {
                    long now = System.nanoTime();
                    if (now >= nextKill) {
                        String slot = SLOTS[random.nextInt(2)]; // C lives through the whole soak
                        ChildProcess old = agents.get(slot);
                        old.kill();
                        old.await(30);
                        report(old);
                        kills++;
                        agents.put(slot, start(jvm, logs, slot, ++lives, hub, caches.get(slot), random, retry,
                                quiet));
                        nextKill = at(now, 6 + random.nextInt(9));
                    }
                    if (now >= nextDown) {
                        downUntil = at(now, 1 + random.nextInt(4));
                        downSpans++;
                        nextDown = at(downUntil, 10 + random.nextInt(15));
                    }
                    if (now >= nextLatency) {
                        latency = new Duration[] {Duration.ofMillis(2 + random.nextInt(18)),
                                Duration.ofMillis(random.nextInt(20))};
                        latencyUntil = at(now, 3 + random.nextInt(8));
                        latencyWindows++;
                        nextLatency = at(latencyUntil, 5 + random.nextInt(10));
                    }
                    if (now >= nextErrors) {
                        errorRate = 0.002 + random.nextDouble() * 0.01;
                        errorsUntil = at(now, 2 + random.nextInt(5));
                        errorWindows++;
                        nextErrors = at(errorsUntil, 8 + random.nextInt(12));
                    }
                    Duration[] slow = now < latencyUntil ? latency : null;
                    double failing = now < errorsUntil ? errorRate : 0;
                    String wanted = (now < downUntil) + " " + (slow == null ? "-" : slow[0] + "+" + slow[1]) + " "
                            + failing;
                    if (!wanted.equals(applied)) { // a window opened or closed
                        apply(faults, now < downUntil, slow, failing);
                        applied = wanted;
                    }
                    Thread.sleep(100); // the fault windows open and close in real time
                }
            } finally {
                faults.clear();
                loops.close();
            }

            // Liveness: faults cleared and the applications quiet, every agent drains its own queue.
            Files.createFile(quiet);
            // Each agent that did not drain is a problem of its own, below.
            Waits.holdsWithin(Duration.ofSeconds(90), Duration.ofMillis(250),
                    () -> agents.values().stream().allMatch(SoakTest::drained));
            for (ChildProcess a : agents.values()) {
                if (!drained(a)) {
                    long[] last = last(a);
                    problems.add(a.life + " did not drain its queue within 90 s of the faults clearing: "
                            + (last == null ? "it reported nothing" : last[2] + " keys still pending") + ", see "
                            + a.log);
                }
                a.kill();
                a.await(30);
                report(a);
            }
            for (ChildProcess a : agents.values()) {
                pendingMax = Math.max(pendingMax, a.stats.stream().mapToLong(s -> s[2]).max().orElse(0));
            }
            pendingMax = Math.max(pendingMax, pendingMaxOfEndedLives);
            if (pendingMax > PENDING_BOUND) {
                problems.add("a queue reached " + pendingMax + " pending keys, past the " + PENDING_BOUND
                        + " a writer can queue in 30 s without any push");
            }
            checkHeap(agents.get("C"));

            Map<String, List<Ledger.Group>> ledgers = new LinkedHashMap<>();
            for (String slot : SLOTS) {
                ledgers.put(slot, Ledger.read(dir.resolve(slot + ".ledger")));
            }
            end = Quiescence.settleAndCheck(hub, caches, ledgers, List.of(direct), foreignKeyBaseline);
        }
        Invariants inv = end.checks;
        problems.addAll(inv.violations);

        int faultsInjected = kills + downSpans + latencyWindows + errorWindows + longReads.get();
        Figures.of("SoakTest.allFaultsAtALowRateLoseNothingAndStayBounded").runs(lives).faults(faultsInjected)
                .writesChecked(inv.ackedWrites).writesLost(inv.lostToTheUser()).put("seed", seed).put("seconds", seconds)
                .put("kills", kills).put("share_down_spans", downSpans).put("latency_windows", latencyWindows)
                .put("io_error_windows", errorWindows).put("long_reads", longReads.get())
                .put("direct_writes", direct.committed).put("count_samples", samples)
                .put("pending_max", pendingMax).put("pending_bound", PENDING_BOUND)
                .put("heap_first_third_kb", heapFirstKb).put("heap_last_third_kb", heapLastKb)
                .put("rss_max_kb", rssMaxKb).publish();
        String summary = String.format(Locale.ROOT, "soak test: %d s (seed %d), %d lives: %d kills, %d share-down"
                        + " spans, %d latency windows, %d I/O error windows, %d long reads, %d direct writes; %d"
                        + " samples of row counts; pending max %d (bound %d); C's heap after GC %d kB in the first"
                        + " third, %d kB in the last; RSS max %d kB; writes checked %d, lost %d", seconds, seed, lives,
                kills, downSpans, latencyWindows, errorWindows, longReads.get(), direct.committed, samples, pendingMax,
                PENDING_BOUND, heapFirstKb, heapLastKb, rssMaxKb, inv.ackedWrites, inv.lostToTheUser());
        System.out.println(summary);
        problems.forEach(p -> System.out.println("soak test: PROBLEM " + p));
        assertTrue(problems.isEmpty(), summary + "\n" + problems.size() + " problems (files kept in " + dir + "):\n"
                + String.join("\n", problems.subList(0, Math.min(30, problems.size()))));
    }

    private synchronized int random(int bound) {
        return jitter.nextInt(bound);
    }

    private static long at(long from, int seconds) {
        return from + seconds * 1_000_000_000L;
    }

    private ChildProcess start(List<String> jvm, Path logs, String slot, int life, Path hub, Path cache, Random random,
                               String retry, Path quiet) throws IOException {
        String name = slot + life;
        return ChildProcess.start(name, Chaos.Point.RANDOM, logs.resolve(name + ".log"), jvm, List.of(hub.toString(),
                cache.toString(), dir.resolve(slot + ".ledger").toString(), Chaos.Point.RANDOM.label,
                "seed=" + random.nextLong(), "life=" + name, "writes=true", "concurrent=true", "pace=" + PACE_MS,
                "syncEvery=" + SYNC_EVERY_MS, "deletes=false", "stats=2000", "quietFile=" + quiet, "retry=" + retry));
    }

    /** A life that ended: anything but our kill is a problem; its queue's high-water mark counts. */
    private void report(ChildProcess c) {
        if (c.error != null) {
            problems.add(c.life + " failed: " + c.error + ", see " + c.log);
        } else if (!c.killed) {
            problems.add(c.life + " ended on its own, see " + c.log);
        }
        pendingMaxOfEndedLives = Math.max(pendingMaxOfEndedLives, c.stats.stream().mapToLong(s -> s[2]).max()
                .orElse(0));
    }

    private static boolean drained(ChildProcess c) {
        long[] last = last(c);
        return last != null && last[2] == 0;
    }

    private static long[] last(ChildProcess c) {
        synchronized (c.stats) {
            return c.stats.isEmpty() ? null : c.stats.get(c.stats.size() - 1);
        }
    }

    /** The long-lived agent's heap after a full collection: the last third of the soak against the first. */
    private void checkHeap(ChildProcess c) {
        List<long[]> s;
        synchronized (c.stats) {
            s = new ArrayList<>(c.stats);
        }
        if (s.size() < 6) {
            problems.add(c.life + " reported its heap only " + s.size() + " times");
            return;
        }
        long first = s.get(0)[0];
        long span = s.get(s.size() - 1)[0] - first;
        heapFirstKb = s.stream().filter(x -> x[0] - first <= span / 3).mapToLong(x -> x[1]).max().orElse(0);
        heapLastKb = s.stream().filter(x -> x[0] - first >= span * 2 / 3).mapToLong(x -> x[1]).max().orElse(0);
        if (heapLastKb > heapFirstKb + HEAP_GROWTH_KB) {
            problems.add(c.life + "'s heap after a full collection grew from " + heapFirstKb + " kB in the first third"
                    + " of the soak to " + heapLastKb + " kB in the last");
        }
    }

    /** Once a second: counts that only grow, and the children's RSS. */
    private void sample(Path hub, Map<String, Path> caches, Map<String, ChildProcess> agents) throws IOException {
        samples++;
        countsOf("hub", hub);
        caches.forEach((slot, cache) -> {
            if (Files.exists(cache.resolve("db.db"))) {
                countsOf("replica " + slot, cache.resolve("db.db"));
            }
        });
        for (ChildProcess c : agents.values()) {
            Path status = Path.of("/proc/" + c.pid + "/status");
            if (c.pid != 0 && Files.exists(status)) {
                try {
                    for (String line : Files.readAllLines(status)) {
                        if (line.startsWith("VmRSS:")) {
                            long kb = Long.parseLong(line.replaceAll("\\D", ""));
                            rssMaxKb = Math.max(rssMaxKb, kb);
                            if (kb > RSS_CEILING_KB) {
                                problems.add(c.life + "'s RSS reached " + kb + " kB");
                            }
                        }
                    }
                } catch (IOException e) {
                    // the process just ended
                }
            }
        }
    }

    /** The applications' rows (never deleted), and the log head or cursor: each only grows. */
    private void countsOf(String name, Path db) {
        boolean isHub = name.equals("hub");
        try (Connection c = HubWriter.open(db, 2_000); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT (SELECT count(*) FROM crash_item WHERE uid NOT LIKE 'H-%'), "
                     + (isHub ? "(SELECT coalesce(max(seq), 0) FROM _sm_log)" : "(SELECT cursor FROM _sm_state)"))) {
            r.next();
            grows(name + " rows", r.getLong(1));
            grows(name + (isHub ? " log head" : " cursor"), r.getLong(2));
        } catch (SQLException e) {
            // the share is down or failing, or the replica busy: the next sample comes
        }
    }

    private void grows(String what, long value) {
        Long before = lastCounts.put(what, value);
        if (before != null && value < before) {
            problems.add(what + " went back from " + before + " to " + value);
        }
    }

    private static void apply(Faults faults, boolean down, Duration[] latency, double errorRate) {
        faults.clear();
        faults.down(down);
        if (latency != null) {
            faults.latency(latency[0], latency[1]);
        }
        if (errorRate > 0) {
            faults.failRandomly(errorRate, Errno.EIO, Op.READ, Op.WRITE);
        }
    }
}

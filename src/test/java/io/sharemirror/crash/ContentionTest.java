package io.sharemirror.crash;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.Figures;
import io.sharemirror.config.Tuning;
import io.sharemirror.share.SqliteShell;
import io.sharemirror.store.ConnectionFactory;
import io.sharemirror.sync.Backoff;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Contention on one hub (issue 5, item 4). Three agents in child JVMs, each with an application writing its replica,
 * sync through one hub while two direct writers write it (Java, and the sqlite3 shell, one process per statement) and
 * two long readers (Java, and the sqlite3 shell) hold read transactions of up to six seconds, so that the agents'
 * COMMITs wait and return BUSY. The agents sync every 200 ms, as write-behind does under a steady stream of writes. The agents use the shipped busy backoff ({@link Tuning#DEFAULTS}: 0.5 s base, 5 s
 * cap, 3 attempts). Checked, from the agents' own log lines (ARCHITECTURE.md#logging):
 * <ul>
 * <li>every BUSY that reached an agent was retried with backoff, each wait within its ceiling, and a sync cycle failed
 *     on BUSY only after the last attempt (a COMMIT that stayed busy was rolled back explicitly);
 * <li>no push held the hub's write lock longer than those retries allow (every push's BEGIN IMMEDIATE..COMMIT span
 *     is measured), and no direct write waited past the busy timeout the product gives direct connections (30 s);
 * <li>once quiet, nobody's rows are lost: the crash test's invariants over every writer's ledger.
 * </ul>
 * {@code -Dcontention.seconds=N} (default 30), {@code -Dcontention.seed=S}.
 */
class ContentionTest {

    private static final String[] SLOTS = {"A", "B", "C"};
    /** A direct writer waits as long as the product's own direct connections do (connection_timeout). */
    private static final int DIRECT_BUSY_MS = (int) Tuning.DEFAULTS.connectionTimeout().toMillis();
    private static final Pattern RETRYING = Pattern.compile(
            "Database operation failed \\(attempt (\\d+)/(\\d+)\\): (.*)\\. Retrying in ([0-9.]+)s\\.\\.\\.");
    private static final Pattern HUB_LOCK = Pattern.compile("HUB-LOCK heldMs=(\\d+) commitMs=(\\d+) end=(\\w+)");

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());

    @Test
    void aBusyHubLosesNothingAndHoldsNoLockPastItsBound() throws Exception {
        int seconds = Integer.getInteger("contention.seconds", 30);
        long seed = Long.getLong("contention.seed", System.nanoTime());
        Random random = new Random(seed);
        System.out.println("contention test: seed " + seed + ", " + seconds + " s, in " + dir);
        Path hub = CrashHub.create(dir);
        long foreignKeyBaseline = Invariants.foreignKeyProblems(hub);
        List<String> jvm = ChildJvm.options(dir);
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Tuning shipped = Tuning.DEFAULTS;
        Backoff backoff = new Backoff(shipped.retryBaseDelay(), shipped.retryMaxDelay(), shipped.maxRetries());
        String retry = shipped.retryBaseDelay().toMillis() + "," + shipped.retryMaxDelay().toMillis() + ","
                + shipped.maxRetries();

        Map<String, Path> caches = new LinkedHashMap<>();
        List<ChildProcess> agents = new ArrayList<>();
        for (String slot : SLOTS) {
            Path cache = Files.createDirectories(dir.resolve("cache" + slot));
            caches.put(slot, cache);
            agents.add(ChildProcess.start(slot + "1", Chaos.Point.RANDOM, logs.resolve(slot + "1.log"), jvm,
                    List.of(hub.toString(), cache.toString(), dir.resolve(slot + ".ledger").toString(),
                            Chaos.Point.RANDOM.label, "seed=" + random.nextLong(), "life=" + slot + "1",
                            "writes=true", "concurrent=true", "pace=20", "syncEvery=200", "retry=" + retry,
                            "lockTimes=true")));
        }
        HubWriter jdbc = new HubWriter(hub, new Random(random.nextLong()), "", HubWriter.Via.JDBC, DIRECT_BUSY_MS,
                1, 137);
        HubWriter shell = new HubWriter(hub, new Random(random.nextLong()), "s", HubWriter.Via.SQLITE3_SHELL,
                DIRECT_BUSY_MS, 138, 275);
        AtomicInteger holds = new AtomicInteger();
        AtomicInteger longHolds = new AtomicInteger();
        Random writerPause = new Random(random.nextLong());
        Random shellPause = new Random(random.nextLong());
        Random reading = new Random(random.nextLong());
        Random shellReading = new Random(random.nextLong());
        try (Loops loops = new Loops(problems)) {
            loops.start("direct writer (JDBC)", () -> {
                jdbc.burst(1);
                Thread.sleep(50 + writerPause.nextInt(250)); // a writer's pace
            });
            loops.start("direct writer (sqlite3)", () -> {
                shell.burst(1);
                Thread.sleep(50 + shellPause.nextInt(250)); // a writer's pace
            });
            loops.start("long reader (JDBC)", () -> {
                try (Connection c = HubWriter.open(hub, 10_000); Statement s = c.createStatement()) {
                    s.execute("BEGIN");
                    try (ResultSet rs = s.executeQuery("SELECT count(*) FROM Track")) {
                        rs.next();
                    }
                    holdRead(reading, holds, longHolds);
                    s.execute("COMMIT");
                }
                Thread.sleep(300 + reading.nextInt(1200)); // a reader's pace
            });
            loops.start("long reader (sqlite3)", () -> {
                try (SqliteShell reader = SqliteShell.holdingReadLock(hub, "SELECT count(*) FROM Album")) {
                    holdRead(shellReading, holds, longHolds);
                    reader.commit();
                }
                Thread.sleep(300 + shellReading.nextInt(1200)); // a reader's pace
            });
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            while (System.nanoTime() < end && agents.stream().allMatch(ChildProcess::alive)) {
                Thread.sleep(50); // the contention lasts its seconds, or until an agent dies
            }
        } finally {
            agents.forEach(ChildProcess::kill);
        }
        for (ChildProcess a : agents) {
            a.await(30);
            if (a.error != null || !a.killed) {
                problems.add(a.life + (a.error != null ? " failed: " + a.error : " ended on its own") + ", see "
                        + a.log);
            }
        }

        // What the agents' logs say about every BUSY and every push.
        long boundMs = shipped.maxRetries() * ConnectionFactory.HUB_BUSY_WAIT.toMillis()
                + totalCeilings(backoff) + 2_000; // the push's own work, on a loaded machine
        Busy busy = new Busy();
        for (ChildProcess a : agents) {
            busy.read(a, backoff, boundMs, problems);
        }
        if (jdbc.failed + shell.failed > 0) {
            problems.add((jdbc.failed + shell.failed) + " direct writes failed, locked out for " + DIRECT_BUSY_MS
                    + " ms");
        }

        Map<String, List<Ledger.Group>> ledgers = new LinkedHashMap<>();
        for (String slot : SLOTS) {
            ledgers.put(slot, Ledger.read(dir.resolve(slot + ".ledger")));
        }
        Quiescence end = Quiescence.settleAndCheck(hub, caches, ledgers, List.of(jdbc, shell), foreignKeyBaseline);
        Invariants inv = end.checks;
        problems.addAll(inv.violations);

        long longestDirectMs = Math.max(jdbc.longestWriteMs, shell.longestWriteMs);
        Figures.of("ContentionTest.aBusyHubLosesNothingAndHoldsNoLockPastItsBound").runs(agents.size())
                .faults(holds.get()).writesChecked(inv.ackedWrites).writesLost(inv.lostToTheUser()).put("seed", seed)
                .put("seconds", seconds).put("long_reads_over_4s", longHolds.get()).put("pushes", busy.pushes)
                .put("busy_retries", busy.retries).put("busy_exhausted", busy.exhausted)
                .put("commits_that_waited", busy.commitsThatWaited).put("pushes_rolled_back", busy.rollbacks)
                .put("cycles_failed_on_busy", busy.failedOnBusy).put("longest_lock_ms", busy.longestHeldMs)
                .put("lock_bound_ms", boundMs).put("longest_direct_write_ms", longestDirectMs)
                .put("direct_writes", jdbc.committed + shell.committed)
                .put("direct_writes_failed", jdbc.failed + shell.failed)
                .put("newest_write_only_archived", inv.archivedInsteadOfApplied).publish();
        String summary = String.format(Locale.ROOT, "contention test: %d s (seed %d): %d long reads (%d over 4 s),"
                        + " %d pushes, %d BUSY retries, %d exhausted, %d COMMITs waited for readers, %d pushes rolled"
                        + " back, %d cycles failed on BUSY; longest hub lock %d ms (bound %d ms); direct writes %d"
                        + " (%d failed), longest %d ms; writes checked %d, lost %d (%d of them only in the conflict"
                        + " archive)", seconds, seed, holds.get(),
                longHolds.get(), busy.pushes, busy.retries, busy.exhausted, busy.commitsThatWaited, busy.rollbacks,
                busy.failedOnBusy, busy.longestHeldMs, boundMs, jdbc.committed + shell.committed,
                jdbc.failed + shell.failed, longestDirectMs, inv.ackedWrites, inv.lostToTheUser(),
                inv.archivedInsteadOfApplied);
        System.out.println(summary);
        problems.forEach(p -> System.out.println("contention test: PROBLEM " + p));
        assertTrue(problems.isEmpty(), summary + "\n" + problems.size() + " problems (files kept in " + dir + "):\n"
                + String.join("\n", problems.subList(0, Math.min(30, problems.size()))));
    }

    /** Holds the read transaction open: mostly a second or two, one time in five past every COMMIT attempt. */
    private static void holdRead(Random r, AtomicInteger holds, AtomicInteger longHolds) throws InterruptedException {
        int ms = r.nextInt(5) == 0 ? 4_500 + r.nextInt(1_500) : 200 + r.nextInt(2_500);
        holds.incrementAndGet();
        if (ms > 4_000) {
            longHolds.incrementAndGet();
        }
        Thread.sleep(ms); // the read lock is held this long: the time is the point
    }

    private static long totalCeilings(Backoff backoff) {
        long ms = 0;
        for (int attempt = 1; attempt < backoff.maxAttempts(); attempt++) {
            ms += backoff.ceiling(attempt).toMillis();
        }
        return ms;
    }

    /** The BUSY retries, failures and hub lock spans in the agents' output. */
    private static final class Busy {
        int pushes;
        int retries;
        int exhausted;
        int commitsThatWaited;
        int rollbacks;
        int failedOnBusy;
        long longestHeldMs;

        void read(ChildProcess agent, Backoff backoff, long boundMs, List<String> problems) throws Exception {
            boolean exhaustedSinceLastFailure = false;
            for (String line : Files.readAllLines(agent.log)) {
                String message = line.replaceFirst("^(TRACE|DEBUG|INFO|WARN|ERROR): ", "");
                Matcher retrying = RETRYING.matcher(message);
                Matcher lock = HUB_LOCK.matcher(line);
                if (retrying.matches()) {
                    retries++;
                    int attempt = Integer.parseInt(retrying.group(1));
                    double waitS = Double.parseDouble(retrying.group(4));
                    if (Integer.parseInt(retrying.group(2)) != backoff.maxAttempts() || attempt >= backoff.maxAttempts()
                            || waitS * 1000 > backoff.ceiling(attempt).toMillis() + 5) {
                        problems.add(agent.life + ": a retry outside the backoff's " + backoff + ": " + line);
                    }
                } else if (message.startsWith("Database operation failed after ")) {
                    exhausted++;
                    exhaustedSinceLastFailure = true;
                } else if (lock.matches()) {
                    pushes++;
                    long held = Long.parseLong(lock.group(1));
                    longestHeldMs = Math.max(longestHeldMs, held);
                    if (Long.parseLong(lock.group(2)) >= ConnectionFactory.HUB_BUSY_WAIT.toMillis()) {
                        commitsThatWaited++;
                    }
                    if (lock.group(3).equals("rollback")) {
                        rollbacks++;
                    }
                    if (held > boundMs) {
                        problems.add(agent.life + ": a push held the hub's write lock " + held + " ms, past the "
                                + boundMs + " ms its retries allow: " + line);
                    }
                } else if (line.startsWith("SYNC-FAILED")) {
                    String lower = line.toLowerCase(Locale.ROOT);
                    if (lower.contains("locked") || lower.contains("busy")) {
                        failedOnBusy++;
                        if (!exhaustedSinceLastFailure) {
                            problems.add(agent.life + ": a cycle failed on BUSY without its retries: " + line);
                        }
                    }
                    exhaustedSinceLastFailure = false;
                }
            }
        }
    }
}

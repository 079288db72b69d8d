package io.sharemirror.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.Figures;
import io.sharemirror.share.FaultFs;
import io.sharemirror.share.Op;
import io.sharemirror.share.SqliteShell;
import io.sharemirror.store.Cluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Power cuts on the replica's disk (issue 5, item 6). Node A's cache folder is on {@link FaultFs} with
 * {@code loseUnsyncedWrites}: at each cut, whatever the replica, its WAL and {@code state.db} had not fsynced is gone.
 * A runs in a child JVM (a WAL database on FaultFs must be used from another process than the one serving the mount),
 * B beside it with its cache on the local disk, and a direct writer writes the hub now and then; at a random moment A
 * is killed and the power cut. After every cut A's replica and state.db must pass {@code integrity_check} (run by the
 * sqlite3 shell, another process again). At the end, after syncing until quiet, every write durable under its
 * application's setting must be on the hub and on every replica: with {@code synchronous=FULL} every acknowledged
 * commit; with {@code synchronous=NORMAL} (what the jdbc:sharemirror: driver sets) a commit once an fsync of the WAL
 * began after it (FaultFs sees each one). A write that was not yet durable may be gone, but only everywhere: a replica
 * may not lose what the hub has from it (the convergence check).
 *
 * <p>{@code -Dpowerloss.cuts=N} (default 25; the long profile runs more), {@code -Dpowerloss.seed=S} replays the
 * choices. On failure the temp folder is kept, with every child's output in {@code logs/}. A second test cuts the
 * power right after a conflict: the archived losing version must survive it.
 */
class PowerLossTest {

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void theReplicaSurvivesPowerCutsWithEveryDurableWrite() throws Exception {
        int cuts = Integer.getInteger("powerloss.cuts", 25);
        long seed = Long.getLong("powerloss.seed", System.nanoTime());
        Random random = new Random(seed);
        long begin = System.nanoTime();
        System.out.println("power loss test: seed " + seed + ", " + cuts + " cuts, in " + dir);
        Path hub = CrashHub.create(dir);
        long foreignKeyBaseline = Invariants.foreignKeyProblems(hub);
        List<String> jvm = ChildJvm.options(dir);
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path ledgerA = dir.resolve("A.ledger");
        Path ledgerB = dir.resolve("B.ledger");
        Path cacheB = Files.createDirectories(dir.resolve("cacheB"));
        HubWriter direct = new HubWriter(hub, new Random(random.nextLong()));
        List<String> problems = new ArrayList<>();
        Set<String> fullLives = new HashSet<>();
        // Per life of A: how much of A's ledger a WAL fsync of that life covered (an ack of an earlier life that the
        // cut took is not brought back by a later fsync).
        Map<String, AtomicLong> durableLedgerBytes = new ConcurrentHashMap<>();
        AtomicReference<String> aLife = new AtomicReference<>();
        AtomicLong walSyncs = new AtomicLong();
        int killedBeforeOpen = 0;

        try (FaultFs fs = FaultFs.mount(dir.resolve("backing"), dir.resolve("mnt"))) {
            Path cacheA = Files.createDirectories(fs.folder().resolve("cacheA"));
            fs.faults().loseUnsyncedWrites(true).observe((op, path) -> {
                String life = aLife.get();
                if (op == Op.FSYNC && path.equals("/cacheA/db.db-wal") && life != null) {
                    // Every commit A's application finished before this fsync began is durable from now on.
                    walSyncs.incrementAndGet();
                    durableLedgerBytes.get(life).accumulateAndGet(size(ledgerA), Math::max);
                }
            });
            for (int cut = 1; cut <= cuts; cut++) {
                if (random.nextBoolean()) {
                    direct.burst(1 + random.nextInt(3));
                }
                boolean full = random.nextInt(3) == 0;
                String lifeA = "A" + cut;
                if (full) {
                    fullLives.add(lifeA);
                }
                durableLedgerBytes.put(lifeA, new AtomicLong());
                aLife.set(lifeA);
                ChildProcess a = start(jvm, logs, lifeA, hub, cacheA, ledgerA, random,
                        "synchronous=" + (full ? "full" : "normal"));
                ChildProcess b = start(jvm, logs, "B" + cut, hub, cacheB, ledgerB, random, "synchronous=normal");
                boolean early = random.nextInt(5) == 0; // while opening: WAL recovery, the clone, the first pull
                try {
                    Awaitility.await(lifeA + (early ? " ready" : " opened")).atMost(Duration.ofSeconds(60))
                            .pollInterval(Duration.ofMillis(2))
                            .until(() -> !a.alive() || (early ? a.readyAt : a.openedAt) != 0);
                    Thread.sleep(early ? random.nextInt(600) : 200 + random.nextInt(1300)); // the cut's random moment
                    if (a.openedAt == 0) {
                        killedBeforeOpen++;
                    }
                } finally {
                    a.kill();
                    b.kill();
                }
                a.await(30);
                b.await(30);
                aLife.set(null);
                fs.powerLoss();
                for (ChildProcess c : List.of(a, b)) {
                    if (c.error != null) {
                        problems.add(c.life + " failed: " + c.error + ", see " + c.log);
                    } else if (!c.killed) {
                        problems.add(c.life + " ended on its own, see " + c.log);
                    }
                }
                for (String file : List.of("db.db", "state.db")) {
                    if (Files.exists(cacheA.resolve(file))) {
                        String check = SqliteShell.query(cacheA.resolve(file), "PRAGMA integrity_check;");
                        if (!"ok".equals(check)) {
                            problems.add("after cut " + cut + ": integrity_check of A's " + file + ": " + check);
                        }
                    }
                }
            }
        }

        // A ledger as the test holds A to it: an acknowledged commit not yet durable at the cut is in doubt.
        Set<Long> durable = new HashSet<>();
        for (Map.Entry<String, AtomicLong> life : durableLedgerBytes.entrySet()) {
            Ledger.read(ledgerA, life.getValue().get()).stream()
                    .filter(g -> g.acknowledged() && g.writer().equals(life.getKey())).forEach(g -> durable.add(g.gid()));
        }
        int notDurable = 0;
        List<Ledger.Group> heldToA = new ArrayList<>();
        for (Ledger.Group g : Ledger.read(ledgerA)) {
            boolean inDoubt = g.acknowledged() && !fullLives.contains(g.writer()) && !durable.contains(g.gid());
            notDurable += inDoubt ? 1 : 0;
            heldToA.add(inDoubt ? new Ledger.Group(g.gid(), g.writer(), g.ops(), null) : g);
        }
        Map<String, Path> caches = new LinkedHashMap<>();
        caches.put("A", dir.resolve("backing").resolve("cacheA"));
        caches.put("B", cacheB);
        Map<String, List<Ledger.Group>> ledgers = new LinkedHashMap<>();
        ledgers.put("A", heldToA);
        ledgers.put("B", Ledger.read(ledgerB));
        direct.burst(2);
        Quiescence end = Quiescence.settleAndCheck(hub, caches, ledgers, List.of(direct), foreignKeyBaseline);
        Invariants inv = end.checks;
        problems.addAll(inv.violations);

        long seconds = (System.nanoTime() - begin) / 1_000_000_000;
        Figures.of("PowerLossTest.theReplicaSurvivesPowerCutsWithEveryDurableWrite").runs(cuts).faults(cuts)
                .writesChecked(inv.ackedWrites).writesLost(inv.lostToTheUser()).put("seed", seed).put("seconds", seconds)
                .put("cuts_while_opening", killedBeforeOpen).put("wal_fsyncs_seen", walSyncs.get())
                .put("acked_not_yet_durable", notDurable).put("integrity_failures", problems.stream()
                        .filter(p -> p.contains("integrity_check")).count())
                .put("duplicates", inv.duplicates).put("conflicts_archived", end.conflictsArchived).publish();
        String summary = String.format(Locale.ROOT, "power loss test: %d cuts (%d while A opened), %d s (seed %d);"
                        + " writes checked %d (%d direct hub writes), acknowledged but not yet durable at a cut %d;"
                        + " writes lost %d; WAL fsyncs %d; settled in %d rounds", cuts, killedBeforeOpen, seconds,
                seed, inv.ackedWrites, direct.committed, notDurable, inv.lostToTheUser(), walSyncs.get(), end.settleRounds);
        System.out.println(summary);
        problems.forEach(p -> System.out.println("power loss test: PROBLEM " + p));
        assertTrue(problems.isEmpty(), summary + "\n" + problems.size() + " problems (files kept in " + dir + "):\n"
                + String.join("\n", problems.subList(0, Math.min(30, problems.size()))));
    }

    /**
     * The losing version of a conflict lives only in {@code state.db}'s archive once the winner is on the hub. A's
     * local edit is newer than a direct hub edit it meets, so the hub's version loses and A pushes its own; then A is
     * killed and the power cut. The archived loser must be there: the replica's commits are made durable before a
     * push, so the archive must be too, or the hub's version is gone without a trace.
     */
    @Test
    void aLosingVersionArchivedBeforeItsWinnerWasPushedSurvivesAPowerCut() throws Exception {
        Path hub = CrashHub.create(dir);
        SqliteShell.query(hub, "INSERT INTO crash_kv VALUES('shared', 'x', 'before');");
        Path logs = Files.createDirectories(dir.resolve("logs"));
        try (FaultFs fs = FaultFs.mount(dir.resolve("backing"), dir.resolve("mnt"))) {
            Path cacheA = Files.createDirectories(fs.folder().resolve("cacheA"));
            fs.faults().loseUnsyncedWrites(true);
            ChildProcess a = ChildProcess.start("A", Chaos.Point.RANDOM, logs.resolve("A.log"), ChildJvm.options(dir),
                    List.of(hub.toString(), cacheA.toString(), dir.resolve("A.ledger").toString(),
                            Chaos.Point.RANDOM.label, "life=A", "writes=false"));
            try {
                await(() -> a.openedAt != 0, a, "opened its replica");
                // Held open, the hub's edit is stamped now but reaches the file only at COMMIT, after A's newer one.
                SqliteShell hubEdit = SqliteShell.holdingWriteLock(hub,
                        "UPDATE crash_kv SET v = 'hub-edit' WHERE owner = 'shared' AND k = 'x'");
                Cluster.awaitClockPast(System.currentTimeMillis());
                SqliteShell.query(cacheA.resolve("db.db"),
                        "UPDATE crash_kv SET v = 'local-edit' WHERE owner = 'shared' AND k = 'x';");
                assertEquals(0, hubEdit.commit(), "the hub edit's COMMIT");
                await(() -> "local-edit".equals(Cluster.scalar(hub,
                        "SELECT v FROM crash_kv WHERE owner = 'shared' AND k = 'x'")), a, "pushed its winning edit");
            } finally {
                a.kill();
            }
            a.await(30);
            fs.powerLoss();
            String archived;
            try {
                archived = SqliteShell.query(cacheA.resolve("state.db"),
                        "SELECT winner || ' over ' || remote_row FROM conflicts;");
            } catch (AssertionError e) {
                archived = "nothing: " + e.getMessage();
            }
            boolean kept = archived.contains("local over") && archived.contains("hub-edit");
            Figures.of("PowerLossTest.aLosingVersionArchivedBeforeItsWinnerWasPushedSurvivesAPowerCut").runs(1)
                    .faults(1).writesChecked(1).writesLost(kept ? 0 : 1).publish();
            assertTrue(kept, "the hub's version, overwritten on the hub by A's push, must be in A's archive after the"
                    + " power cut; it holds: [" + archived + "] (A's log: " + a.log + ")");
        }
    }

    private static void await(Callable<Boolean> done, ChildProcess child, String what) {
        Awaitility.await(child.life + " " + what + ", see " + child.log).atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(20))
                .failFast(child.life + " died before it " + what + ", see " + child.log,
                        () -> !child.alive() || child.error != null)
                .until(done);
    }

    private static ChildProcess start(List<String> jvm, Path logs, String life, Path hub, Path cache, Path ledger,
                                      Random random, String synchronous) throws IOException {
        List<String> args = List.of(hub.toString(), cache.toString(), ledger.toString(), Chaos.Point.RANDOM.label,
                "seed=" + random.nextLong(), "life=" + life, "writes=true", "concurrent=" + random.nextBoolean(),
                synchronous);
        return ChildProcess.start(life, Chaos.Point.RANDOM, logs.resolve(life + ".log"), jvm, args);
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

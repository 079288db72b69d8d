package io.sharemirror.crash;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.share.PostgresServer;
import io.sharemirror.store.ConnectionFactory;
import io.sharemirror.store.HubCopy;
import io.sharemirror.store.HubMove;
import io.sharemirror.store.pg.PgHubCopy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file hub moved onto PostgreSQL (issue 17, ARCHITECTURE.md#moving-a-hub) while two desktops in child JVMs write and
 * sync, one of them SIGKILLed while the move holds the file's lock mid-copy; a direct writer wrote the file before.
 * Then both desktops' replicas follow to the new hub (as their agents do after the config names it) and settle: every
 * acknowledged write is there, none twice ({@link Quiescence}). The move is {@link HubMove}, the file side of
 * {@code sharemirror move-hub} without its config rewrite.
 */
class MoveHubCrashTest {

    private static PostgresServer server;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        server = PostgresServer.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void desktopsWritingThroughAMoveOneKilledMidCopyLoseNothingOnTheNewHub() throws Exception {
        long seed = Long.getLong("crash.seed", System.nanoTime());
        Random random = new Random(seed);
        System.out.println("move-hub crash test: seed " + seed + ", in " + dir);
        Path hub = CrashHub.create(dir);
        long foreignKeyBaseline = Invariants.foreignKeyProblems(hub);
        PgCrashHub pg = PgCrashHub.empty(server);
        HubWriter direct = new HubWriter(hub, new Random(random.nextLong()));
        Path logs = Files.createDirectories(dir.resolve("logs"));
        List<String> jvm = ChildJvm.options(dir);
        Map<String, Path> caches = new LinkedHashMap<>();
        List<ChildProcess> children = new ArrayList<>();
        try {
            for (String slot : List.of("A", "B")) {
                Path cache = Files.createDirectories(dir.resolve("cache" + slot));
                caches.put(slot, cache);
                children.add(ChildProcess.start(slot + "1", Chaos.Point.RANDOM, logs.resolve(slot + "1.log"), jvm,
                        List.of(hub.toString(), cache.toString(), dir.resolve(slot + ".ledger").toString(), "random",
                                "seed=" + random.nextLong(), "life=" + slot + "1", "writes=true",
                                "concurrent=true")));
            }
            ChildProcess killed = children.get(0);
            await().atMost(Duration.ofSeconds(60)).until(() -> children.stream().allMatch(c -> c.openedAt != 0));
            await().atMost(Duration.ofSeconds(60)).until(() -> logHead(hub) > 40); // both have pushed
            direct.burst(5);

            List<String> progress = new ArrayList<>();
            HubCopy.Report report;
            try (PgHubCopy copy = pg.copy()) {
                report = new HubMove("db", hub, new ConnectionFactory(Duration.ofSeconds(10))).move(pg.address,
                        copy, line -> {
                            progress.add(line);
                            if (line.startsWith("copied") && killed.alive()) {
                                killed.kill(); // the lock is held and the copy half done
                            }
                        });
            }
            System.out.println("move-hub crash test: " + report + ", " + progress);
            assertTrue(killed.await(30) != 0 && killed.killed, "A was killed mid-move: " + progress);
            long syncFailuresBefore = children.get(1).syncFailures.get();
            await().atMost(Duration.ofSeconds(30)).until(() -> children.get(1).syncFailures.get()
                    > syncFailuresBefore + 2); // B meets the moved mark, and its application writes on
        } finally {
            children.stream().filter(ChildProcess::alive).forEach(ChildProcess::kill);
            for (ChildProcess c : children) {
                c.await(30);
            }
        }

        Map<String, List<Ledger.Group>> written = new LinkedHashMap<>();
        for (String slot : caches.keySet()) {
            written.put(slot, Ledger.read(dir.resolve(slot + ".ledger")));
        }
        Quiescence end = Quiescence.settleAndCheck(pg.address, () -> pg.snapshot(dir),
                caches, written, List.of(direct), foreignKeyBaseline);
        Invariants inv = end.checks;
        String summary = "move-hub crash test: acknowledged writes checked " + inv.ackedWrites + " (" + inv.keysChecked
                + " keys, " + inv.doubtGroups + " groups in doubt, " + direct.committed + " direct hub writes);"
                + " writes lost " + inv.lost + "; duplicates " + inv.duplicates + "; conflicts archived "
                + end.conflictsArchived + "; settled in " + end.settleRounds + " rounds";
        System.out.println(summary);
        assertEquals(List.of(), inv.violations, summary + " (files kept in " + dir + ")");
    }

    private static long logHead(Path hub) throws SQLException {
        try (Connection c = HubWriter.open(hub, 5_000); Statement s = c.createStatement()) {
            return CrashHub.logHead(s);
        }
    }
}

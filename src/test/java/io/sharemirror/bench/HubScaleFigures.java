package io.sharemirror.bench;

import static org.awaitility.Awaitility.await;

import io.sharemirror.config.Tuning;
import io.sharemirror.status.DatabaseStatus;
import io.sharemirror.status.StatusModel;
import io.sharemirror.store.Cluster;
import io.sharemirror.sync.Clock;
import io.sharemirror.sync.SyncEngine;
import io.sharemirror.sync.conflict.ConflictPolicy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * B11 (issue 17's benchmark): N desktops on one hub, the file share against PostgreSQL at the same distance. Each
 * desktop is a mirror with its own {@link SyncEngine} at the defaults (sync interval 30 s, write-behind, hub poll 1 s),
 * in this JVM rather than an agent process each: 2 × 20 JVMs do not fit the machine. Per scenario: the hub's
 * operations over an idle sync interval, then writes propagating from one replica to all the others, then every
 * desktop pushing at once while a program writes the hub directly.
 */
final class HubScaleFigures {

    private static final Duration INTERVAL = Duration.ofSeconds(30);
    private static final int WRITES = 5;
    private static final int ROWS_PER_DESKTOP = 20;
    /** Back-to-back direct writes hold a file hub's lock nearly all the time and starve the desktops' pushes. */
    private static final Duration DIRECT_PAUSE = Duration.ofMillis(100);
    /**
     * PostgreSQL's unique_violation: the hub fills a direct writer's NULL integer key with max + 1 as SQLite does, but
     * a push that has inserted that key and not yet committed is invisible to the max, so the insert then meets it.
     */
    private static final String UNIQUE_VIOLATION = "23505";
    private static final Duration IDLE_MARGIN = Duration.ofSeconds(2);
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private final BenchSettings settings;

    HubScaleFigures(BenchSettings settings) {
        this.settings = settings;
    }

    /** One row per hub and desktop count, the sizes side by side. */
    List<Row> measure(SlowShare share, Path work) throws Exception {
        List<Row> rows = new ArrayList<>();
        try (ScaleHub onShare = new ScaleHub.OnShare(share);
             ScaleHub onPostgres = new ScaleHub.OnPostgres(settings.latency())) {
            for (int desktops : settings.desktops()) {
                for (ScaleHub hub : List.of(onShare, onPostgres)) {
                    rows.add(scenario(hub, desktops, work.resolve(hub == onShare ? "share" : "pg").resolve("n"
                            + desktops)));
                }
            }
        }
        return rows;
    }

    private Row scenario(ScaleHub hub, int desktops, Path work) throws Exception {
        try (Cluster cluster = hub.fresh(work, "b11-" + desktops)) {
            while (cluster.nodes.size() < desktops) {
                cluster.add(ConflictPolicy.NEWEST_WINS);
            }
            cluster.settle();
            hub.measuring();
            List<SyncEngine> engines = new ArrayList<>();
            List<StatusModel> statuses = new ArrayList<>();
            try {
                for (Cluster.Node node : cluster.nodes) {
                    StatusModel status = new StatusModel();
                    statuses.add(status);
                    engines.add(start(node, hub.kind(), status));
                }
                await("B11: every desktop's first cycle").atMost(TIMEOUT).until(() -> statuses.stream().allMatch(
                        s -> s.snapshot().lastSync().isPresent() && !s.snapshot().databases().get(0).syncing()));
                double idlePerMinute = idle(hub);
                Samples delays = propagation(cluster);
                Contention contention = contention(hub, cluster);
                return row(hub, desktops, idlePerMinute, delays, contention);
            } finally {
                engines.forEach(SyncEngine::close);
            }
        }
    }

    /** The desktop's engine as the agent starts it, at the default tuning; its first cycle runs at once. */
    private static SyncEngine start(Cluster.Node node, String kind, StatusModel status) {
        SyncEngine engine = new SyncEngine(status, 1, Tuning.DEFAULTS.hubPollInterval(), Clock.SYSTEM);
        engine.add(node.mirror(), INTERVAL, DatabaseStatus.initial("db", true, "benchmark", "hub", kind,
                node.replica().toString()));
        engine.start();
        return engine;
    }

    /**
     * The hub's operations per minute over the idle time and a little more, so that a window of the sync interval
     * (30 s) holds every desktop's next interval cycle, which starts up to a tick after the interval has passed.
     */
    private double idle(ScaleHub hub) throws InterruptedException {
        long before = hub.count();
        long start = System.nanoTime();
        Thread.sleep(settings.idle().toMillis() + IDLE_MARGIN.toMillis()); // the idle time measured
        return (hub.count() - before) * 60e9 / (System.nanoTime() - start);
    }

    /** Writes on one desktop after another, each timed until it is readable on every other desktop's replica. */
    private static Samples propagation(Cluster cluster) throws Exception {
        List<Long> delays = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(11);
        List<Connection> replicas = new ArrayList<>();
        try {
            for (Cluster.Node node : cluster.nodes) {
                replicas.add(DriverManager.getConnection("jdbc:sqlite:" + node.replica()));
            }
            for (int i = 0; i < WRITES; i++) {
                Thread.sleep(random.nextLong(200, 1200)); // a random pause, so writes land at every phase of the timers
                int writer = i % replicas.size();
                String code = "p-" + i;
                try (PreparedStatement write = replicas.get(writer).prepareStatement(
                        "INSERT INTO item(code, qty) VALUES(?, 0)")) {
                    write.setString(1, code);
                    write.executeUpdate();
                }
                long written = System.nanoTime();
                List<Connection> waiting = new ArrayList<>(replicas);
                waiting.remove(writer);
                await("B11: " + code + " reaching every desktop").atMost(TIMEOUT).pollInSameThread()
                        .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).until(() -> {
                            for (Connection c : List.copyOf(waiting)) {
                                if (holds(c, code)) {
                                    delays.add(System.nanoTime() - written);
                                    waiting.remove(c);
                                }
                            }
                            return waiting.isEmpty();
                        });
            }
        } finally {
            for (Connection c : replicas) {
                c.close();
            }
        }
        return Samples.ofNanos(delays.stream().mapToLong(Long::longValue).toArray());
    }

    private static boolean holds(Connection replica, String code) throws SQLException {
        try (PreparedStatement seen = replica.prepareStatement("SELECT count(*) FROM item WHERE code = ?")) {
            seen.setString(1, code);
            try (ResultSet r = seen.executeQuery()) {
                return r.next() && r.getLong(1) > 0;
            }
        }
    }

    /** What every desktop pushing at once achieved, and what a direct writer waited meanwhile. */
    private record Contention(double rowsPerSecond, double pushSeconds, double longestDirectMs, long directWrites,
                              long keyCollisions) {
    }

    /**
     * Every desktop commits its rows locally at the same moment; the time runs until the hub holds all of them. A
     * program inserts into the hub directly, one row per statement every {@link #DIRECT_PAUSE}, all the while; its
     * longest statement is the wait.
     */
    private static Contention contention(ScaleHub hub, Cluster cluster) throws Exception {
        AtomicBoolean pushing = new AtomicBoolean(true);
        AtomicLong longest = new AtomicLong();
        AtomicLong direct = new AtomicLong();
        AtomicLong collisions = new AtomicLong();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread writer = new Thread(() -> writeDirectly(hub, cluster, pushing, longest, direct, collisions),
                "b11-direct-writer");
        writer.setUncaughtExceptionHandler((t, e) -> failed.set(e));
        writer.start();
        long start = System.nanoTime();
        for (int d = 0; d < cluster.nodes.size(); d++) {
            String[] inserts = new String[ROWS_PER_DESKTOP];
            for (int r = 0; r < inserts.length; r++) {
                inserts[r] = "INSERT INTO item(code, qty) VALUES('c-" + d + "-" + r + "', " + r + ")";
            }
            Cluster.run(cluster.nodes.get(d).replica(), inserts);
        }
        long expected = (long) cluster.nodes.size() * ROWS_PER_DESKTOP;
        try {
            await("B11: every desktop's rows on the hub").atMost(TIMEOUT).pollInterval(Duration.ofMillis(20))
                    .until(() -> hub.rows(cluster, "c-") == expected);
        } finally {
            pushing.set(false);
            writer.join();
        }
        if (failed.get() != null) {
            throw new IllegalStateException("B11: the direct writer failed", failed.get());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Contention(expected / seconds, seconds, longest.get() / 1e6, direct.get(), collisions.get());
    }

    private static void writeDirectly(ScaleHub hub, Cluster cluster, AtomicBoolean pushing, AtomicLong longest,
                                      AtomicLong count, AtomicLong collisions) {
        try (Connection c = hub.directWriter(cluster);
             PreparedStatement insert = c.prepareStatement("INSERT INTO item(code, qty) VALUES(?, 0)")) {
            while (pushing.get()) {
                insert.setString(1, "d-" + count.get());
                long start = System.nanoTime();
                try {
                    insert.executeUpdate();
                    count.incrementAndGet();
                } catch (SQLException e) {
                    if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                        throw e;
                    }
                    collisions.incrementAndGet(); // the application's retry is the next round
                }
                longest.accumulateAndGet(System.nanoTime() - start, Math::max);
                Thread.sleep(DIRECT_PAUSE.toMillis()); // a program that writes now and then, not one that never lets go
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private Row row(ScaleHub hub, int desktops, double idlePerMinute, Samples delays, Contention c) {
        Row row = new Row("B11", desktops + " desktops, " + hub.kind());
        row.shareMirror = String.format(Locale.ROOT, "propagation median %s, p95 %s (n=%d); push under contention %s"
                        + " rows/s (%d × %d rows in %s); direct writer's longest wait %s (%d writes, %d key collisions)",
                Row.time(delays.medianMs()), Row.time(delays.percentileMs(95)), delays.count(),
                Row.number(Math.round(c.rowsPerSecond() * 10) / 10.0), desktops, ROWS_PER_DESKTOP,
                Row.time(c.pushSeconds() * 1000), Row.time(c.longestDirectMs()), c.directWrites(), c.keyCollisions());
        row.compared = "in-process engines at the defaults: sync_interval 30 s, write-behind, hub_poll_interval 1 s";
        row.shareOps = Row.number(Math.round(idlePerMinute)) + " per idle minute (" + hub.operations() + ")";
        row.target = "side by side (issue 17)";
        return row.value("desktops", desktops).value("propagation_median_ms", delays.medianMs())
                .value("propagation_p95_ms", delays.percentileMs(95)).value("ops_per_idle_minute", idlePerMinute)
                .value("push_rows_per_s", c.rowsPerSecond()).value("direct_longest_ms", c.longestDirectMs())
                .value("direct_key_collisions", c.keyCollisions());
    }
}

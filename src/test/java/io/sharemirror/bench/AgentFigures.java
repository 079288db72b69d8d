package io.sharemirror.bench;

import static org.awaitility.Awaitility.await;

import io.sharemirror.store.ConnectionFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * B7 and B8, the shipped agent as users run it ({@link AgentProcess}), with the default config: only the databases'
 * paths, {@code enable_cache: true} (a FUSE mount is not recognised as a network share) and the cache folder are set.
 * B7 times a write on one desktop's replica until it is readable on another's; B8 measures one agent mirroring three
 * databases: launch to ready, resident memory, and CPU and share operations while idle.
 */
final class AgentFigures {

    private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration PROPAGATION_TIMEOUT = Duration.ofSeconds(60);

    private final BenchSettings settings;
    private final SlowShare share;
    private final Path jar;
    private final ConnectionFactory connections = new ConnectionFactory(Duration.ofSeconds(30));

    AgentFigures(BenchSettings settings, SlowShare share, Path jar) {
        this.settings = settings;
        this.share = share;
        this.jar = jar;
    }

    /** B7: desktops A and B, each with its own agent and replica of {@code data}. */
    Row propagation(Path work, ItemData data) throws Exception {
        share.fast();
        try (AgentProcess a = AgentProcess.start(jar, config(work.resolve("a"), List.of(data)), work.resolve("a"));
             AgentProcess b = AgentProcess.start(jar, config(work.resolve("b"), List.of(data)), work.resolve("b"))) {
            a.awaitReady(List.of(data.name), READY_TIMEOUT);
            b.awaitReady(List.of(data.name), READY_TIMEOUT);
            share.slow();
            long[] delays = new long[settings.propagations()];
            SplittableRandom random = new SplittableRandom(7);
            SlowShare.Ops ops;
            long started = System.nanoTime();
            try (Connection onA = connections.open(work.resolve("a").resolve("cache").resolve(data.name + ".db"),
                    ConnectionFactory.Kind.LOCAL);
                 Connection onB = connections.open(work.resolve("b").resolve("cache").resolve(data.name + ".db"),
                         ConnectionFactory.Kind.LOCAL);
                 PreparedStatement write = onA.prepareStatement(
                         "INSERT INTO item(code, qty, note) VALUES(?, 0, 'written on desktop A')");
                 PreparedStatement seen = onB.prepareStatement("SELECT count(*) FROM item WHERE code = ?")) {
                ops = share.ops(() -> {
                    for (int i = 0; i < delays.length; i++) {
                        // a random pause, so writes land at every phase of the agents' timers
                        Thread.sleep(random.nextLong(1000, 2500)); // the pause is the point
                        String code = "B7-" + i;
                        write.setString(1, code);
                        write.executeUpdate();
                        long written = System.nanoTime();
                        seen.setString(1, code);
                        await("B7: write " + code + " reaching desktop B").atMost(PROPAGATION_TIMEOUT)
                                .pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
                                .until(() -> exists(seen));
                        delays[i] = System.nanoTime() - written;
                    }
                });
            }
            double minutes = (System.nanoTime() - started) / 6e10;
            Samples delay = Samples.ofNanos(delays);
            Row row = new Row("B7", "propagation, write on replica A to readable on replica B");
            row.shareMirror = "median " + Row.time(delay.medianMs()) + ", max " + Row.time(delay.maxMs()) + " (n="
                    + delay.count() + ")";
            row.compared = "default config: sync_interval 30 s, write-behind, hub_poll_interval 1 s";
            row.shareOps = Row.number(ops.total() / minutes) + " per minute, both agents";
            row.target = "median ≤ 3 s";
            row.note = "writes 1 to 2.5 s apart, each waited for; A pushes after a second without further local writes"
                    + " (write-behind), B notices on its next hub-change poll";
            return row.met(delay.medianMs() <= 3000).value("median_ms", delay.medianMs())
                    .value("max_ms", delay.maxMs()).value("ops_per_minute", ops.total() / minutes);
        }
    }

    /** B8: one agent, three databases on the slow share; a first launch (clones), then a restart (replicas there). */
    Row footprint(Path work, List<ItemData> databases) throws Exception {
        share.slow();
        Path config = config(work, databases);
        List<String> names = databases.stream().map(d -> d.name).toList();
        Duration firstLaunch;
        try (AgentProcess first = AgentProcess.start(jar, config, work)) {
            firstLaunch = first.awaitReady(names, READY_TIMEOUT);
        }
        try (AgentProcess agent = AgentProcess.start(jar, config, work)) {
            Duration ready = agent.awaitReady(names, READY_TIMEOUT);
            Thread.sleep(2000); // the end of start-up: class loading, the first polls
            long ticksBefore = agent.cpuTicks();
            long[] ticks = new long[1];
            SlowShare.Ops ops = share.ops(() -> {
                TimeUnit.NANOSECONDS.sleep(settings.idle().toNanos()); // the idle time measured
                ticks[0] = agent.cpuTicks() - ticksBefore;
            });
            double cpuPercent = 100.0 * ticks[0] / clockTicksPerSecond() / settings.idle().toSeconds();
            double rss = agent.rssMb();
            double peak = agent.peakRssMb();
            double minutes = settings.idle().toSeconds() / 60.0;
            double readyMs = ready.toNanos() / 1e6;

            Row row = new Row("B8", "agent footprint, " + databases.size() + " databases");
            row.shareMirror = String.format(Locale.ROOT, "idle CPU %.2f %% of a core over %d s; RSS %.0f MB (peak %.0f"
                    + " MB); launch to ready %s (first launch, cloning: %s)", cpuPercent, settings.idle().toSeconds(),
                    rss, peak, Row.time(readyMs), Row.time(firstLaunch.toNanos() / 1e6));
            row.compared = "java -jar sharemirror.jar run --headless, no JVM options";
            row.shareOps = Row.number(ops.total() / minutes) + " per idle minute";
            row.target = "idle CPU ≈ 0 (≤ 1 % of a core), RSS ≤ 150 MB, launch to ready ≤ 2 s";
            row.note = "ready: from starting the process to the agent's status line \"<name>: OK\" (its first cycle"
                    + " succeeded) for every database, the replicas already there; RSS is VmRSS of /proc/PID/status after"
                    + " the idle span, CPU is utime + stime of /proc/PID/stat across it";
            return row.met(cpuPercent <= 1 && peak <= 150 && readyMs <= 2000).value("idle_cpu_percent", cpuPercent)
                    .value("rss_mb", rss).value("peak_rss_mb", peak).value("ready_ms", readyMs)
                    .value("first_launch_ms", firstLaunch.toNanos() / 1e6)
                    .value("idle_ops_per_minute", ops.total() / minutes);
        }
    }

    /** The default config but for the databases, {@code enable_cache} and the cache folder. */
    private static Path config(Path home, List<ItemData> databases) throws Exception {
        StringBuilder yaml = new StringBuilder("database:\n  enable_cache: true\n  cache_directory: '"
                + home.resolve("cache") + "'\ndatabases:\n");
        for (ItemData d : databases) {
            yaml.append("  - name: ").append(d.name).append("\n    path: '").append(d.hub).append("'\n");
        }
        Files.createDirectories(home);
        return Files.writeString(home.resolve("config.yaml"), yaml, StandardCharsets.UTF_8);
    }

    private static boolean exists(PreparedStatement seen) throws SQLException {
        try (ResultSet r = seen.executeQuery()) {
            return r.next() && r.getLong(1) > 0;
        }
    }

    private static long clockTicksPerSecond() throws Exception {
        Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        p.waitFor();
        return Long.parseLong(out);
    }
}

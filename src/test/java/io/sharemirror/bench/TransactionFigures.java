package io.sharemirror.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.sharemirror.driver.PythonWorkload;
import io.sharemirror.driver.ReadModifyWrite;
import io.sharemirror.driver.RemoteChanges;
import io.sharemirror.driver.WorkloadResult;
import io.sharemirror.store.Cluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * B10, issue 14: applications' read-modify-write transactions on a replica while the shipped agent applies a steady
 * stream of other desktops' changes (a direct writer on the slow share; the agent polls the hub every 0.5 s), against
 * the same transactions with the agent stopped, and against plain {@code jdbc:sqlite:} on the replica (Java) or other
 * ways of making the transaction (Python): the errors that reach the application, the increments a non-atomic
 * read-modify-write lost, and each committed transaction's time.
 */
final class TransactionFigures {

    /** Rows only the applications write; the remote writer changes the next ones. */
    private static final int APP_KEYS = 100;
    private static final int REMOTE_KEYS = 100;
    private static final Duration THINK = Duration.ofMillis(1);
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);
    private static final int PYTHON_THREADS = 2;

    private final BenchSettings settings;
    private final SlowShare share;
    private final Path jar;

    TransactionFigures(BenchSettings settings, SlowShare share, Path jar) {
        this.settings = settings;
        this.share = share;
        this.jar = jar;
    }

    /** One workload run: what the application saw and how many of its increments were lost. */
    private record Run(WorkloadResult result, long lost) {

        Samples latency() {
            return Samples.ofNanos(result.latencyNanos());
        }

        String errors() {
            int n = result.errorCount();
            return String.format(Locale.ROOT, "%s error%s in %s transactions (%.1f %%)", Row.number(n),
                    n == 1 ? "" : "s", Row.number(result.transactions() + n),
                    100.0 * n / Math.max(1, result.transactions() + n));
        }

        String latencies() {
            Samples s = latency();
            return "median " + Row.time(s.medianMs()) + ", p99 " + Row.time(s.percentileMs(99));
        }
    }

    @FunctionalInterface
    private interface Workload {
        WorkloadResult run() throws Exception;
    }

    List<Row> measure(Path work, ItemData data) throws Exception {
        share.fast();
        Path config = config(work, data);
        Path replica = work.resolve("cache").resolve(data.name + ".db");
        try (AgentProcess first = AgentProcess.start(jar, config, work)) {
            first.awaitReady(List.of(data.name), READY_TIMEOUT); // the replica is made; then the agent stops
        }
        share.slow();
        String driverUrl = "jdbc:sharemirror:" + data.hub + "?config=" + config;
        String plainUrl = "jdbc:sqlite:" + replica;
        List<String> modes = List.of("immediate", "legacy", "legacy-loop", "deferred", "sqlalchemy-immediate",
                "sqlalchemy");
        Map<String, Run> alone = runs(replica, driverUrl, plainUrl, modes);
        Map<String, Run> synced;
        double remotePerSecond;
        try (AgentProcess agent = AgentProcess.start(jar, config, work)) {
            agent.awaitReady(List.of(data.name), READY_TIMEOUT);
            try (RemoteChanges remote = RemoteChanges.start(data.hub, APP_KEYS + 1, APP_KEYS + REMOTE_KEYS,
                    Duration.ofMillis(20))) {
                long started = System.nanoTime();
                synced = runs(replica, driverUrl, plainUrl, modes);
                remotePerSecond = remote.written() / ((System.nanoTime() - started) / 1e9);
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int threads : List.of(1, 4)) {
            rows.add(jdbcRow(threads, alone, synced));
        }
        Map<String, String> sqlite3Others = new LinkedHashMap<>();
        sqlite3Others.put("legacy", "Python's default (3.11, legacy isolation_level)");
        sqlite3Others.put("legacy-loop", "the same, updating while iterating the SELECT");
        sqlite3Others.put("deferred", "isolation_level=None, explicit BEGIN");
        rows.add(pythonRow("Python sqlite3 read-modify-write on the replica", "immediate",
                "isolation_level=None, BEGIN IMMEDIATE", sqlite3Others, "Debian's /usr/bin/python3 on the replica's"
                + " path, sqlite3.connect(timeout=30); read qty, " + THINK.toMillis() + " ms of work, write qty + 1,"
                + " commit", alone, synced));
        rows.add(pythonRow("Python SQLAlchemy ORM session read-modify-write on the replica", "sqlalchemy-immediate",
                "an engine that begins IMMEDIATE (README)", Map.of("sqlalchemy", "SQLAlchemy's defaults"),
                "Debian's python3-sqlalchemy (1.4): session.get(Item, key), " + THINK.toMillis() + " ms of work,"
                + " item.qty += 1, session.commit()", alone, synced));
        String stream = String.format(Locale.ROOT, "; meanwhile a direct writer changed other rows on the share, %.1f"
                + " a second, and the agent polled the hub every 0.5 s to apply them", remotePerSecond);
        rows.forEach(r -> {
            r.note += stream;
            r.value("remote_writes_per_second", remotePerSecond);
        });
        return rows;
    }

    /** The JDBC workloads with one thread and four, through the driver and plain; then Python's {@code modes}. */
    private Map<String, Run> runs(Path replica, String driverUrl, String plainUrl, List<String> modes)
            throws Exception {
        Map<String, Run> runs = new LinkedHashMap<>();
        for (int threads : List.of(1, 4)) {
            runs.put("driver" + threads, run(replica, () -> jdbc(driverUrl, threads)));
            runs.put("plain" + threads, run(replica, () -> jdbc(plainUrl, threads)));
        }
        for (String mode : modes) {
            runs.put(mode, run(replica, () -> PythonWorkload.run(replica, mode, settings.transactions(),
                    PYTHON_THREADS, 1, APP_KEYS, THINK)));
        }
        return runs;
    }

    private Row jdbcRow(int threads, Map<String, Run> alone, Map<String, Run> synced) {
        Run driver = synced.get("driver" + threads);
        Run driverAlone = alone.get("driver" + threads);
        Run plain = synced.get("plain" + threads);
        Run plainAlone = alone.get("plain" + threads);
        Row row = new Row("B10", "JDBC read-modify-write on the replica, " + threads + " thread"
                + (threads == 1 ? "" : "s") + " (HikariCP, manual commit)");
        row.shareMirror = "jdbc:sharemirror: while the agent applies: " + driver.errors() + "; " + driver.latencies()
                + " (agent stopped: " + driverAlone.latencies() + ")";
        row.compared = "plain jdbc:sqlite: on the replica: " + plain.errors() + " while the agent applies, "
                + plainAlone.errors() + " with it stopped; " + plain.latencies();
        row.ratio = added(driver, driverAlone);
        row.shareOps = "0 by the application";
        row.target = "no error reaches the application, no increment lost";
        row.note = "SELECT qty, " + THINK.toMillis() + " ms of the application's own work, UPDATE qty + 1, commit;"
                + " the plain errors: " + plain.result().errorSummary();
        return values(row.met(driver.result().errorCount() == 0 && driver.lost() == 0), Map.of("driver", driver,
                "driver_alone", driverAlone, "plain", plain, "plain_alone", plainAlone));
    }

    /** A Python row: the {@code chosen} way to make the transaction (README's advice) against the {@code others}. */
    private static Row pythonRow(String what, String chosen, String label, Map<String, String> others, String note,
                                 Map<String, Run> alone, Map<String, Run> synced) {
        Run with = synced.get(chosen);
        Row row = new Row("B10", what);
        row.shareMirror = label + ": " + with.errors() + "; " + with.latencies() + " (agent stopped: "
                + alone.get(chosen).latencies() + ")";
        StringJoiner compared = new StringJoiner("; ");
        others.forEach((mode, how) -> compared.add(how + ": " + synced.get(mode).errors() + " with the agent, "
                + Row.number(alone.get(mode).result().errorCount()) + " without; "
                + Row.number(synced.get(mode).lost()) + " increments lost"));
        row.compared = compared.toString();
        row.ratio = added(with, alone.get(chosen));
        row.shareOps = "0 by the application";
        row.target = "no error reaches the application, no increment lost";
        row.note = note + "; " + PYTHON_THREADS + " threads, each on its own connection";
        Map<String, Run> values = new LinkedHashMap<>();
        for (String mode : concat(chosen, others.keySet())) {
            values.put(mode.replace('-', '_'), synced.get(mode));
            values.put(mode.replace('-', '_') + "_alone", alone.get(mode));
        }
        return values(row.met(with.result().errorCount() == 0 && with.lost() == 0), values);
    }

    private static List<String> concat(String first, Collection<String> rest) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(rest);
        return all;
    }

    private static String added(Run with, Run without) {
        double ms = with.latency().medianMs() - without.latency().medianMs();
        return (ms < 0 ? "−" : "+") + Row.time(Math.abs(ms)) + " median";
    }

    private static Row values(Row row, Map<String, Run> runs) {
        new TreeMap<>(runs).forEach((name, run) -> row.value(name + "_transactions",
                run.result().transactions()).value(name + "_errors", run.result().errorCount())
                .value(name + "_lost", run.lost()).value(name + "_median_ms", run.latency().medianMs())
                .value(name + "_p99_ms", run.latency().percentileMs(99)));
        return row;
    }

    /** Runs {@code workload} and counts the increments its committed transactions should have made but did not. */
    private static Run run(Path replica, Workload workload) throws Exception {
        long before = appQuantity(replica);
        WorkloadResult result = workload.run();
        return new Run(result, before + result.transactions() - appQuantity(replica));
    }

    private static long appQuantity(Path replica) throws Exception {
        return Long.parseLong(Cluster.scalar(replica, "SELECT sum(qty) FROM item WHERE id <= " + APP_KEYS));
    }

    private WorkloadResult jdbc(String url, int threads) throws Exception {
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(url);
        pool.setAutoCommit(false);
        pool.setMaximumPoolSize(threads);
        try (HikariDataSource source = new HikariDataSource(pool)) {
            return ReadModifyWrite.run(source, threads, settings.transactions(), 1, APP_KEYS, THINK);
        }
    }

    /** The default config but for the database, {@code enable_cache}, the cache folder and a 0.5 s hub poll. */
    private static Path config(Path home, ItemData data) throws Exception {
        Files.createDirectories(home);
        return Files.writeString(home.resolve("config.yaml"), "database:\n  enable_cache: true\n  cache_directory: '"
                + home.resolve("cache") + "'\n  hub_poll_interval: 0.5\ndatabases:\n  - name: " + data.name
                + "\n    path: '" + data.hub + "'\n", StandardCharsets.UTF_8);
    }
}

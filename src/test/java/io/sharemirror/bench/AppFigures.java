package io.sharemirror.bench;

import io.sharemirror.store.Cluster;
import io.sharemirror.store.ConnectionFactory;
import io.sharemirror.sync.conflict.ConflictPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * B1-B3, what an application sees: reads and single-row writes on its replica against the same statements on the
 * database on the share, and what capture costs against a plain local SQLite file. Every connection is kept open and
 * warmed up first, which favours the share: a program that connects per query pays the open as well.
 */
final class AppFigures {

    private static final String POINT = "SELECT id, code, qty, note FROM item WHERE id = ?";
    private static final String RANGE = "SELECT id, code, qty, note FROM item WHERE id BETWEEN ?1 AND ?1 + 99";
    private static final String WRITE = "UPDATE item SET qty = qty + 1 WHERE id = ?";
    private static final int WARM_UP = 5;

    private final BenchSettings settings;
    private final SlowShare share;
    private final ItemData data;
    private final SplittableRandom random = new SplittableRandom(4);
    /** Opens connections as the JDBC driver does: the replica's local tuning, the share's rules for a direct open. */
    private final ConnectionFactory connections = new ConnectionFactory(Duration.ofSeconds(30));

    AppFigures(BenchSettings settings, SlowShare share, ItemData data) {
        this.settings = settings;
        this.share = share;
        this.data = data;
    }

    List<Row> measure(Path work) throws Exception {
        List<Row> rows = new ArrayList<>();
        try (Cluster cluster = new Cluster(work, data.hub)) {
            share.fast();
            Cluster.Node node = cluster.add(ConflictPolicy.NEWEST_WINS);
            node.sync(); // the clone: setup
            Path plain = Files.copy(data.seed, work.resolve("plain.db"));
            try (Connection replica = connections.open(node.replica(), ConnectionFactory.Kind.LOCAL);
                 Connection onShare = connections.open(data.plainTwin, ConnectionFactory.Kind.DIRECT);
                 Connection local = connections.open(plain, ConnectionFactory.Kind.LOCAL)) {
                share.slow();
                rows.add(read("point read by key", POINT, replica, onShare));
                rows.add(read("100-row range read", RANGE, replica, onShare));
                rows.add(write(replica, onShare));
                rows.add(captureSingle(replica, local));
                rows.add(captureBulk(replica, local));
            }
        }
        return rows;
    }

    private Row read(String what, String sql, Connection replica, Connection onShare) throws Exception {
        Samples local = repeat(replica, sql, settings.localReads());
        Samples[] remote = new Samples[1];
        SlowShare.Ops ops = share.ops(() -> remote[0] = repeat(onShare, sql, settings.shareReads()));
        return compare(new Row("B1", what), local, remote[0], ops, 200, "same query on the share");
    }

    private Row write(Connection replica, Connection onShare) throws Exception {
        Samples local = repeat(replica, WRITE, settings.localWrites());
        Samples[] remote = new Samples[1];
        SlowShare.Ops ops = share.ops(() -> remote[0] = repeat(onShare, WRITE, settings.shareWrites()));
        return compare(new Row("B2", "single-row committed write, captured"), local, remote[0], ops, 100,
                "same write on the share");
    }

    private static Row compare(Row row, Samples replica, Samples onShare, SlowShare.Ops ops, double atLeast, String compared) {
        double ratio = onShare.medianMs() / replica.medianMs();
        row.shareMirror = Row.time(replica.medianMs()) + " (replica)";
        row.compared = Row.time(onShare.medianMs()) + " (" + compared + ")";
        row.ratio = Row.times(ratio);
        row.shareOps = "0 on the replica; " + Row.number(ops.per(onShare.count() + WARM_UP)) + " per statement on the share";
        row.target = "replica ≥ " + (int) atLeast + "× faster";
        return row.met(ratio >= atLeast).value("replica_ms", replica.medianMs()).value("share_ms", onShare.medianMs())
                .value("ratio", ratio).value("share_ops_per_statement", ops.per(onShare.count() + WARM_UP));
    }

    /** Single-row writes on the replica and on a plain file, taken in turns so the machine's noise hits both alike. */
    private Row captureSingle(Connection replica, Connection plain) throws Exception {
        int n = settings.localWrites();
        long[] captured = new long[n];
        long[] bare = new long[n];
        try (PreparedStatement r = replica.prepareStatement(WRITE); PreparedStatement p = plain.prepareStatement(WRITE)) {
            for (int i = 0; i < n; i++) {
                long key = key(1);
                captured[i] = Samples.time(() -> run(r, key));
                bare[i] = Samples.time(() -> run(p, key));
            }
        }
        return overhead(new Row("B3", "capture overhead, single-row write"), Samples.ofNanos(captured),
                Samples.ofNanos(bare), 1.3);
    }

    /** One transaction of {@code bulkRows} inserts, three times on each file, in turns. */
    private Row captureBulk(Connection replica, Connection plain) throws Exception {
        long[] captured = new long[3];
        long[] bare = new long[3];
        for (int i = 0; i < 3; i++) {
            captured[i] = Samples.time(() -> bulkInsert(replica));
            bare[i] = Samples.time(() -> bulkInsert(plain));
        }
        Row row = overhead(new Row("B3", "capture overhead, bulk " + Row.number(settings.bulkRows()) + " rows"),
                Samples.ofNanos(captured), Samples.ofNanos(bare), 2);
        row.note = "one transaction of " + Row.number(settings.bulkRows()) + " INSERTs through one prepared statement";
        return row;
    }

    private static Row overhead(Row row, Samples replica, Samples plain, double atMost) {
        double ratio = replica.medianMs() / plain.medianMs();
        row.shareMirror = Row.time(replica.medianMs()) + " (replica, captured)";
        row.compared = Row.time(plain.medianMs()) + " (plain local SQLite file, same PRAGMAs)";
        row.ratio = Row.times(ratio);
        row.shareOps = "0";
        row.target = "≤ " + atMost + "×";
        return row.met(ratio <= atMost).value("replica_ms", replica.medianMs()).value("plain_ms", plain.medianMs())
                .value("ratio", ratio);
    }

    private void bulkInsert(Connection c) throws SQLException {
        c.setAutoCommit(false);
        try (PreparedStatement s = c.prepareStatement("INSERT INTO item(code, qty, note) VALUES(?, ?, ?)")) {
            for (int i = 0; i < settings.bulkRows(); i++) {
                s.setString(1, "bulk" + i);
                s.setInt(2, i % 100);
                s.setString(3, "a bulk row of the benchmark, about as long as the others");
                s.addBatch();
            }
            s.executeBatch();
            c.commit();
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** Runs {@code sql} with a random key {@code times} times, after a warm-up, reading every row it returns. */
    private Samples repeat(Connection c, String sql, int times) throws Exception {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < WARM_UP; i++) {
                run(s, key(100));
            }
            return Samples.of(times, () -> run(s, key(100)));
        }
    }

    /** A key with at least {@code room - 1} keys after it. */
    private long key(int room) {
        return 1 + random.nextLong(data.rows - room);
    }

    private static void run(PreparedStatement s, long key) throws SQLException {
        s.setLong(1, key);
        if (s.execute()) {
            try (ResultSet r = s.getResultSet()) {
                while (r.next()) {
                    r.getString(4);
                }
            }
        }
    }
}

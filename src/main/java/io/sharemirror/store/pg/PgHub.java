package io.sharemirror.store.pg;

import io.sharemirror.store.LoggedSince;
import io.sharemirror.store.PushReadBack;
import io.sharemirror.sync.ClockSample;
import io.sharemirror.sync.CloneProgress;
import io.sharemirror.sync.Clock;
import io.sharemirror.sync.Hub;
import io.sharemirror.sync.HubSchema;
import io.sharemirror.sync.Key;
import io.sharemirror.sync.LocalChange;
import io.sharemirror.sync.PushTransaction;
import io.sharemirror.sync.Row;
import io.sharemirror.sync.TableSnapshot;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The hub on a PostgreSQL server (issue 17): reads in repeatable-read transactions on one kept-open connection, a
 * push in one transaction ({@link PgPush}), change detection and wake-ups by LISTEN on a second connection
 * ({@link PgListener}), the server's clock read by {@code clock_timestamp()}. The objects it reads are
 * {@link PgCatalog}'s; the schema verbs and the first copy are the schema side's.
 */
public final class PgHub extends PgHubReads implements Hub, AutoCloseable {

    /** The server's clock in whole milliseconds, cut (so its true time lies within the next millisecond). */
    static final String SERVER_MS = "floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint";

    /** Opens a new connection to the hub's database. */
    @FunctionalInterface
    public interface Connector {
        Connection open() throws SQLException;
    }

    private final PgListener listener;
    private final Predicate<String> mirrored;
    private final Clock clock;
    private final Consumer<ClockSample> sampled;

    private PgHub(Connection connection, PgListener listener, String location, Predicate<String> mirrored, Clock clock,
                  Consumer<ClockSample> sampled) {
        super(connection, new PgTableCache(mirrored), location);
        this.mirrored = mirrored;
        this.listener = listener;
        this.clock = clock;
        this.sampled = sampled;
    }

    /**
     * Opens the hub's two connections: one for its reads and pushes, one that listens. {@code woken} runs (on the
     * listening thread) whenever someone committed to the hub, and when the listening connection is lost.
     *
     * @param sampled hears each reading of the server's clock (every push and {@link #readServerClock()} take one)
     */
    public static PgHub open(Connector connector, String location, Predicate<String> mirrored, Clock clock,
                             Consumer<ClockSample> sampled, Runnable woken) throws SQLException {
        Connection connection = connector.open();
        try {
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            return new PgHub(connection, new PgListener(connector.open(), location, woken), location, mirrored, clock,
                    sampled);
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    @Override
    public PushTransaction beginPush() {
        try {
            return new PgPush(this, () -> sampling(PgPush.beginSql()));
        } catch (SQLException e) {
            throw PgErrors.classify("taking the push lock on " + location, e);
        }
    }

    /** The notifications the listening connection heard: no query, no round trip. */
    @Override
    public long version() {
        try {
            return listener.heard();
        } catch (SQLException e) {
            throw PgErrors.classify("listening for changes on " + location, e);
        }
    }

    /** A read of {@code clock_timestamp()}: nothing is written, so no other agent has anything to pull. */
    @Override
    public void readServerClock() {
        within("reading the server's clock on " + location, () -> sampling("SELECT 0, " + SERVER_MS));
    }

    /**
     * Runs {@code sql}, whose (last) result has a value and the server's clock ({@link #SERVER_MS}) in its first
     * two columns, and hears the sample its round trip gives; returns the value.
     */
    private long sampling(String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            long mono0 = clock.nanoTime();
            Instant t0 = clock.now();
            boolean rows = s.execute(sql);
            Instant t1 = clock.now();
            long mono1 = clock.nanoTime();
            try (ResultSet r = rows ? s.getResultSet() : PgPush.resultAfterLock(s)) {
                r.next();
                sampled.accept(ClockSample.between(t0.toEpochMilli(), t1.toEpochMilli(), mono0, mono1, r.getLong(2),
                        1));
                return r.getLong(1);
            }
        }
    }

    /** PostgreSQL has no page cache to read past: what a query reads is what is committed. */
    @Override
    public List<String> notLanded(List<LocalChange> pushed, String node, long after) {
        return within("reading back the push to " + location, () -> {
            Map<Key, Row> onHub = read(tables(), pushed.stream().map(LocalChange::key).toList());
            try (PreparedStatement s = connection.prepareStatement("SELECT tbl, pk, ts, origin IS NOT DISTINCT"
                    + " FROM ? FROM _sm_log WHERE seq > ?")) {
                s.setString(1, node);
                s.setLong(2, after);
                try (ResultSet r = s.executeQuery()) {
                    return PushReadBack.notLanded(pushed, r, onHub::get);
                }
            }
        });
    }

    @Override
    public Map<Long, String> logEntries(Set<Long> seqs, boolean fromFile) {
        if (seqs.isEmpty()) {
            return Map.of();
        }
        return within("reading the hub's log", () -> {
            Map<Long, String> entries = new HashMap<>();
            try (PreparedStatement s = connection.prepareStatement("SELECT seq, tbl, pk, op, origin FROM _sm_log"
                    + " WHERE seq = ANY(?)")) {
                s.setArray(1, connection.createArrayOf("int8", seqs.toArray(Long[]::new)));
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        entries.put(r.getLong(1), r.getString(4) + " " + r.getString(2) + " " + r.getString(3) + " by "
                                + r.getString(5));
                    }
                }
            }
            return entries;
        });
    }

    /** The table's rows and its log after {@code after}, in one repeatable-read snapshot. */
    @Override
    public TableSnapshot tableSnapshot(String table, long after, Map<Key, Long> applied) {
        return within("reading " + table + " whole from the hub", () -> {
            PgTable t = tables().get(table);
            if (t == null) {
                return null;
            }
            HubSchema.Table shape = new HubSchema.Table(t.name(), t.info().columns(), t.info().keyColumns(),
                    t.info().keyless());
            Map<Key, Row> all = rows.all(t);
            try (PreparedStatement s = connection.prepareStatement("SELECT l.pk, l.seq, l.op, b.row FROM _sm_log l"
                    + " LEFT JOIN _sm_before b ON b.id = l.id WHERE l.seq > ? AND l.tbl = ? ORDER BY l.seq")) {
                s.setLong(1, after);
                s.setString(2, table);
                try (ResultSet r = s.executeQuery()) {
                    return LoggedSince.snapshot(shape, all, r, applied);
                }
            }
        });
    }

    @Override
    public void reportDamage(String node, String what) {
        within("reporting the damage on " + location, () -> {
            try (PreparedStatement s = connection.prepareStatement("INSERT INTO _sm_damage(at, node, what)"
                    + " VALUES (_sm_now_ms(), ?, ?)")) {
                s.setString(1, node);
                s.setString(2, what);
                return s.executeUpdate();
            }
        });
    }

    @Override
    public long snapshotInto(Path target, CloneProgress progress) {
        return PgSnapshot.into(connection, location, target, progress);
    }

    @Override
    public HubSchema schema() {
        return new PgHubSchema(connection, mirrored, synced -> tables.only(synced.keySet()));
    }

    /** Forgets the tables read, for the schema side after it changed them: the next read reads them again. */
    public void tablesChanged() {
        tables.forget();
    }

    @Override
    public void close() {
        listener.close();
        rollbackQuietly(connection);
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing after use or a failure; nothing to tell
        }
    }

    /** Outside a push each read is one repeatable-read transaction: the log and the rows it names are one snapshot. */
    @Override
    <T> T run(Work<T> work) throws SQLException {
        try {
            T result = work.run();
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(connection);
            throw e;
        }
    }

    static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is gone; the caller reports the first error
        }
    }
}

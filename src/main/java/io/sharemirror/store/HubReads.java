package io.sharemirror.store;

import io.sharemirror.sync.HubProbe;
import io.sharemirror.sync.HubReader;
import io.sharemirror.sync.Key;
import io.sharemirror.sync.RemoteChange;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The hub's reads, the same outside a push and inside one; subclasses say where a read runs: in a read
 * transaction of its own, or in the push's open write transaction.
 */
abstract class HubReads implements HubReader {

    final RowIo rows;
    final String location;

    HubReads(RowIo rows, String location) {
        this.rows = rows;
        this.location = location;
    }

    /** Runs one unit of work where this reader reads. */
    abstract <T> T run(SqlWork<T> work) throws SQLException;

    /** {@link #run} with driver errors classified and named after what was being done. */
    <T> T within(String what, SqlWork<T> work) {
        try {
            return run(work);
        } catch (SQLException e) {
            throw SqliteErrors.classify(what + " (" + location + ")", e);
        }
    }

    @Override
    public HubProbe probe() {
        return within("checking the hub for changes", this::probeNow);
    }

    @Override
    public List<RemoteChange> changes(long after, long upTo) {
        return within("reading changes from the hub", () -> changesNow(after, upTo));
    }

    @Override
    public long nextKey(String table) {
        return within("reading the hub's largest key", () -> rows.nextKey(table));
    }

    @Override
    public Optional<Pushed> pushed(Key key, String origin, long after) {
        return within("reading the hub's log", () -> pushedNow(key, origin, after));
    }

    private HubProbe probeNow() throws SQLException {
        try (Statement s = rows.connection().createStatement();
             ResultSet r = s.executeQuery("SELECT (SELECT coalesce(max(seq), 0) FROM _sm_log),"
                     + " (SELECT schema_version FROM pragma_schema_version), (SELECT coalesce(min(seq), 0) FROM _sm_log)")) {
            r.next();
            return new HubProbe(r.getLong(1), r.getLong(2), r.getLong(3));
        }
    }

    private List<RemoteChange> changesNow(long after, long upTo) throws SQLException {
        // The newest entry per key decides (when it is the reader's own, it only confirms its push). The keys are
        // those logged in (after, upTo], but their newest entry is taken from the whole log in this snapshot: the row
        // read below is the current one, and its change time must come with it (it raises the replica's clock), even
        // when a push landed after the caller's probe or past the window.
        PreparedStatement s = rows.statement("SELECT l.tbl, l.pk, l.seq, l.ts, l.origin FROM _sm_log l JOIN"
                + " (SELECT max(seq) AS seq FROM _sm_log WHERE seq > ?1 GROUP BY tbl, pk HAVING min(seq) <= ?2) n"
                + " ON l.seq = n.seq ORDER BY l.seq");
        s.setLong(1, after);
        s.setLong(2, upTo);
        List<RemoteChange> changes = new ArrayList<>();
        List<Object[]> entries = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                entries.add(new Object[] {r.getString(1), r.getString(2), r.getLong(3), r.getLong(4), r.getString(5)});
            }
        }
        for (Object[] e : entries) {
            Key key = new Key((String) e[0], (String) e[1]);
            String origin = e[4] == null ? "" : (String) e[4];
            changes.add(new RemoteChange(key, (Long) e[2], (Long) e[3], origin, rows.read(key)));
        }
        return changes;
    }

    private Optional<Pushed> pushedNow(Key key, String origin, long after) throws SQLException {
        PreparedStatement s = rows.statement("SELECT ts, op = 'D' FROM _sm_log WHERE seq > ? AND origin = ? AND tbl = ?"
                + " AND pk = ? ORDER BY seq DESC LIMIT 1");
        s.setLong(1, after);
        s.setString(2, origin);
        s.setString(3, key.table());
        s.setString(4, key.pk());
        try (ResultSet r = s.executeQuery()) {
            return r.next() ? Optional.of(new Pushed(r.getLong(1), r.getBoolean(2))) : Optional.empty();
        }
    }

    @FunctionalInterface
    interface SqlWork<T> {
        T run() throws SQLException;
    }
}

package io.sharemirror.store;

import io.sharemirror.sync.HubProbe;
import io.sharemirror.sync.HubReader;
import io.sharemirror.sync.Key;
import io.sharemirror.sync.RemoteChange;
import io.sharemirror.sync.StoreException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Map;

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
            return rows.guarded(() -> run(work));
        } catch (SQLException e) {
            throw SqliteErrors.classifyHub(what + " (" + location + ")", e);
        }
    }

    @Override
    public HubProbe probe() {
        return within("checking the hub for changes", this::probeNow);
    }

    @Override
    public List<RemoteChange> changes(long after, long upTo, String exceptOrigin) {
        return within("reading changes from the hub", () -> changesNow(after, upTo, exceptOrigin));
    }

    @Override
    public long nextKey(String table) {
        return within("reading the hub's largest key", () -> rows.nextKey(table));
    }

    @Override
    public Map<Key, Long> pushedSince(String origin, long after) {
        return within("reading the hub's log", () -> pushedSinceNow(origin, after));
    }

    /**
     * The journal mode comes with the probe, at no cost (it is in the header every read transaction reads): another
     * program can switch the hub to WAL while the agent is connected, and nothing may be written to it then.
     */
    private HubProbe probeNow() throws SQLException {
        try (Statement s = rows.connection().createStatement();
             ResultSet r = s.executeQuery("SELECT (SELECT coalesce(max(seq), 0) FROM _sm_log),"
                     + " (SELECT schema_version FROM pragma_schema_version),"
                     + " (SELECT coalesce(min(seq), 0) FROM _sm_log),"
                     + " (SELECT data_version FROM pragma_data_version),"
                     + " (SELECT node || ': ' || what FROM _sm_damage ORDER BY at DESC LIMIT 1),"
                     + " (SELECT journal_mode FROM pragma_journal_mode)")) {
            r.next();
            refuseWal(r.getString(6), location);
            return new HubProbe(r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4), r.getString(5));
        }
    }

    /** A hub in WAL mode is refused: WAL does not work on a network share (DESIGN.md §3). */
    static void refuseWal(String journalMode, String location) {
        if ("wal".equalsIgnoreCase(journalMode)) {
            throw new StoreException(StoreException.Kind.FAILED, "the hub " + location + " is in WAL mode",
                    "WAL does not work on a network share; when nobody has it open, run "
                    + "`sqlite3 " + location + " 'PRAGMA journal_mode=DELETE'`", null);
        }
    }

    private List<RemoteChange> changesNow(long after, long upTo, String exceptOrigin) throws SQLException {
        // The newest entry per key decides; a key whose newest entry is our own has nothing new for us. The keys are
        // those logged in (after, upTo], but their newest entry is taken from the whole log in this snapshot: the row
        // read below is the current one, and its change time must come with it (it raises the replica's clock), even
        // when a push landed after the caller's probe or past the window.
        // Agents and hub triggers log keys as json_array() writes them. Any other spelling came from elsewhere and is
        // skipped: not JSON, it would fail this pull and every later one on every desktop; spelled with spaces, it
        // would name a pending row under another key and overwrite it unseen.
        PreparedStatement s = rows.statement("SELECT l.tbl, l.pk, l.seq, l.ts, l.origin FROM _sm_log l JOIN"
                + " (SELECT max(seq) AS seq FROM _sm_log WHERE seq > ?1 AND CASE WHEN json_valid(pk) THEN pk = json(pk) END"
                + " GROUP BY tbl, pk HAVING min(seq) <= ?2) n ON l.seq = n.seq ORDER BY l.seq");
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
            if (rows.table((String) e[0]) == null) {
                continue; // a table not synced: not mirrored, or left out by the schema check
            }
            Key key = new Key((String) e[0], (String) e[1]);
            String origin = e[4] == null ? "" : (String) e[4];
            // Our own newest entry has nothing new for us; it comes without its row, to confirm the push.
            changes.add(new RemoteChange(key, (Long) e[2], (Long) e[3], origin,
                    origin.equals(exceptOrigin) ? null : rows.read(key)));
        }
        return changes;
    }

    private Map<Key, Long> pushedSinceNow(String origin, long after) throws SQLException {
        PreparedStatement s = rows.statement(
                "SELECT tbl, pk, ts FROM _sm_log WHERE seq > ? AND origin = ? ORDER BY seq");
        s.setLong(1, after);
        s.setString(2, origin);
        Map<Key, Long> newest = new HashMap<>();
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                newest.put(new Key(r.getString(1), r.getString(2)), r.getLong(3));
            }
        }
        return newest;
    }

    @FunctionalInterface
    interface SqlWork<T> {
        T run() throws SQLException;
    }
}

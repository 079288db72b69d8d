package io.sharemirror.store;

import io.sharemirror.sync.Clash;
import io.sharemirror.sync.HubProbe;
import io.sharemirror.sync.HubReader;
import io.sharemirror.sync.Key;
import io.sharemirror.sync.LogFold;
import io.sharemirror.sync.RemoteChange;
import io.sharemirror.sync.Row;
import io.sharemirror.sync.SchemaMark;
import io.sharemirror.sync.StoreException;
import io.sharemirror.sync.TableSnapshot;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
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
    public List<RemoteChange> changes(long after, long upTo, String node, Map<Key, Long> applied) {
        return within("reading changes from the hub", () -> changesNow(after, upTo, node, applied));
    }

    @Override
    public Map<Key, Row> rows(Collection<Key> keys) {
        return within("reading rows from the hub", () -> rows.readAll(keys));
    }

    @Override
    public Clash heldElsewhere(Key key, Row row) {
        return within("looking on the hub for a row that holds these values", () -> rows.table(key.table()) == null ? null
                : Clashes.heldElsewhere(rows, key, row));
    }

    @Override
    public long nextKey(String table) {
        return within("reading the hub's largest key", () -> rows.nextKey(table));
    }

    /**
     * The journal mode and whether the hub moved ({@link MovedMark}) come with the probe, at no cost (the header and
     * the schema are read by every read transaction): another program can switch the hub to WAL while the agent is
     * connected, and nothing may be written to it then; nor to a hub that moved, which refuses writes.
     */
    private HubProbe probeNow() throws SQLException {
        try (Statement s = rows.connection().createStatement();
             ResultSet r = s.executeQuery("SELECT (SELECT coalesce(max(seq), 0) FROM _sm_log),"
                     + " (SELECT schema_version FROM pragma_schema_version),"
                     + " (SELECT user_version FROM pragma_user_version),"
                     + " (SELECT coalesce(min(seq), 0) FROM _sm_log),"
                     + " (SELECT data_version FROM pragma_data_version),"
                     + " (SELECT node || ': ' || what FROM _sm_damage ORDER BY at DESC LIMIT 1),"
                     + " (SELECT journal_mode FROM pragma_journal_mode),"
                     + " (SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = " + Sql.literal(MovedMark.TABLE)
                     + ")")) {
            r.next();
            refuseWal(r.getString(7), location);
            if (r.getInt(8) > 0) {
                throw MovedMark.moved(rows.connection());
            }
            return new HubProbe(r.getLong(1), new SchemaMark(r.getLong(2), r.getLong(3)), r.getLong(4), r.getLong(5),
                    r.getString(6));
        }
    }

    /** A hub in WAL mode is refused: WAL does not work on a network share (ARCHITECTURE.md#files-and-tables). */
    static void refuseWal(String journalMode, String location) {
        if ("wal".equalsIgnoreCase(journalMode)) {
            throw new StoreException(StoreException.Kind.FAILED, "the hub " + location + " is in WAL mode",
                    "WAL does not work on a network share; when nobody has it open, run "
                    + "`sqlite3 " + location + " 'PRAGMA journal_mode=DELETE'`", null);
        }
    }

    private List<RemoteChange> changesNow(long after, long upTo, String node, Map<Key, Long> applied)
            throws SQLException {
        // The newest entry per key decides. The keys are those logged in (after, upTo], but their newest entry is taken
        // from the whole log in this snapshot: the row read below is the current one, and its change time must come
        // with it (it raises the replica's clock), even when a push landed after the caller's probe or past the window.
        // Agents and hub triggers log keys as json_array() writes them. Any other spelling came from elsewhere and is
        // skipped: not JSON, it would fail this pull and every later one on every desktop; spelled with spaces, it
        // would name a pending row under another key and overwrite it unseen.
        PreparedStatement s = rows.statement("SELECT tbl, pk, seq, op, origin, ts, cols FROM _sm_log WHERE seq > ?"
                + " AND CASE WHEN json_valid(pk) THEN pk = json(pk) END ORDER BY seq");
        s.setLong(1, after);
        LogFold fold = new LogFold(upTo, node, applied);
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                fold.add(new Key(r.getString(1), KeyText.read(r, 2)), r.getLong(3), r.getString(4), r.getString(5),
                        r.getLong(6), ChangedColumns.parse(r.getString(7)));
            }
        }
        List<RemoteChange> changes = new ArrayList<>();
        for (Key key : fold.keys()) {
            // A table not synced (not mirrored, or left out by the schema check) is passed over.
            if (rows.table(key.table()) != null) {
                changes.add(fold.change(key, rows.read(key)));
            }
        }
        return changes;
    }

    /** See {@link io.sharemirror.sync.Hub#tableSnapshot}; run inside one read transaction. */
    TableSnapshot tableSnapshotNow(String table, long after, Map<Key, Long> applied) throws SQLException {
        TableInfo t = rows.table(table);
        if (t == null) {
            return null;
        }
        Map<Key, Row> all = new HashMap<>();
        SchemaRows.byKey(rows.connection(), t, t.columns()).forEach((pk, values) ->
                all.put(new Key(table, pk), new Row(t.columns(), values)));
        PreparedStatement s = rows.statement("SELECT l.pk, l.seq, l.op, b.row FROM _sm_log l LEFT JOIN _sm_before b"
                + " ON b.seq = l.seq WHERE l.seq > ? AND l.tbl = ? ORDER BY l.seq");
        s.setLong(1, after);
        s.setString(2, table);
        try (ResultSet r = s.executeQuery()) {
            return LoggedSince.snapshot(t.asHubTable(), all, r, applied);
        }
    }

    @FunctionalInterface
    interface SqlWork<T> {
        T run() throws SQLException;
    }
}

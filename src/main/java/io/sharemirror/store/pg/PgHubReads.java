package io.sharemirror.store.pg;

import io.sharemirror.store.ChangedColumns;
import io.sharemirror.sync.Clash;
import io.sharemirror.sync.HubProbe;
import io.sharemirror.sync.HubReader;
import io.sharemirror.sync.Key;
import io.sharemirror.sync.LogFold;
import io.sharemirror.sync.RemoteChange;
import io.sharemirror.sync.Row;
import io.sharemirror.sync.SchemaMark;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The PostgreSQL hub's reads, the same outside a push and inside one; subclasses say where a read runs: in a
 * repeatable-read transaction of its own (so the log and the rows it names are one snapshot), or in the push's.
 */
abstract class PgHubReads implements HubReader {

    final Connection connection;
    final PgRows rows;
    final PgTableCache tables;
    final String location;

    PgHubReads(Connection connection, PgTableCache tables, String location) {
        this.connection = connection;
        this.rows = new PgRows(connection);
        this.tables = tables;
        this.location = location;
    }

    /** {@link io.sharemirror.sync.Hub#version()}, for the probe. */
    abstract long version();

    /** One unit of work on the connection. */
    @FunctionalInterface
    interface Work<T> {
        T run() throws SQLException;
    }

    /** Runs one unit of work where this reader reads. */
    abstract <T> T run(Work<T> work) throws SQLException;

    /** {@link #run} with driver errors classified and named after what was being done. */
    <T> T within(String what, Work<T> work) {
        try {
            return run(work);
        } catch (SQLException e) {
            throw PgErrors.classify(what + " (" + location + ")", e);
        }
    }

    /** The tables as of the snapshot's schema cookie. */
    Map<String, PgTable> tables() throws SQLException {
        return tables.current(connection);
    }

    /**
     * The notification count is read before the snapshot, so a commit after the snapshot always shows as a later
     * version; one just before it may show too (one needless look).
     */
    @Override
    public HubProbe probe() {
        long versionBefore = version();
        return within("checking the hub for changes", () -> {
            try (Statement s = connection.createStatement();
                 ResultSet r = s.executeQuery("SELECT (SELECT coalesce(max(seq), 0) FROM _sm_log), cookie,"
                         + " user_version, pruned + 1, (SELECT node || ': ' || what FROM _sm_damage"
                         + " ORDER BY at DESC LIMIT 1) FROM _sm_meta")) {
                r.next();
                tables.at(connection, r.getLong(2));
                return new HubProbe(r.getLong(1), new SchemaMark(r.getLong(2), r.getLong(3)), r.getLong(4),
                        versionBefore, r.getString(5));
            }
        });
    }

    /**
     * The log after the cursor, folded per key ({@link LogFold}), then the rows of those keys, a thousand to a
     * statement per table. Entries of tables not synced and keys spelled otherwise than SQLite spells them (written by
     * someone else: they would name a pending row under another key) are passed over.
     */
    @Override
    public List<RemoteChange> changes(long after, long upTo, String node, Map<Key, Long> applied) {
        return within("reading changes from the hub", () -> {
            Map<String, PgTable> current = tables();
            LogFold fold = new LogFold(upTo, node, applied);
            try (PreparedStatement s = connection.prepareStatement("SELECT tbl, pk, seq, op, origin, ts, cols"
                    + " FROM _sm_log WHERE seq > ? ORDER BY seq")) {
                s.setLong(1, after);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        PgTable t = current.get(r.getString(1));
                        if (t != null && PgKeys.values(t, r.getString(2)).isPresent()) {
                            fold.add(new Key(t.name(), r.getString(2)), r.getLong(3), r.getString(4), r.getString(5),
                                    r.getLong(6), ChangedColumns.parse(r.getString(7)));
                        }
                    }
                }
            }
            List<Key> keys = fold.keys();
            Map<Key, Row> found = read(current, keys);
            List<RemoteChange> changes = new ArrayList<>(keys.size());
            for (Key key : keys) {
                changes.add(fold.change(key, found.get(key)));
            }
            return changes;
        });
    }

    @Override
    public Map<Key, Row> rows(Collection<Key> keys) {
        return within("reading rows from the hub", () -> read(tables(), keys));
    }

    @Override
    public Clash heldElsewhere(Key key, Row row) {
        return within("looking on the hub for a row that holds these values", () -> {
            PgTable t = tables().get(key.table());
            return t == null ? null : rows.heldElsewhere(t, key, row);
        });
    }

    @Override
    public long nextKey(String table) {
        return within("reading the hub's largest key", () -> rows.nextKey(tables().get(table)));
    }

    /** The rows at these keys, table by table; keys of tables not synced are left out. */
    Map<Key, Row> read(Map<String, PgTable> current, Collection<Key> keys) throws SQLException {
        Map<String, List<Key>> byTable = new LinkedHashMap<>();
        for (Key key : keys) {
            if (current.containsKey(key.table())) {
                byTable.computeIfAbsent(key.table(), t -> new ArrayList<>()).add(key);
            }
        }
        Map<Key, Row> found = new HashMap<>();
        for (var table : byTable.entrySet()) {
            found.putAll(rows.read(current.get(table.getKey()), table.getValue()));
        }
        return found;
    }
}

package io.sharemirror.store;

import io.sharemirror.sync.Key;
import io.sharemirror.sync.LocalChange;
import io.sharemirror.sync.LocalChange.Known;
import io.sharemirror.sync.Row;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The replica's queue of pending changes, {@code _sm_pending}: one row per changed key (ARCHITECTURE.md#capture), read with the
 * key's current row as a {@link LocalChange}. The capture triggers write it for applications; this class is how the
 * agent reads it and changes it.
 */
final class PendingQueue {

    /** The queue's columns {@link #change} reads, in its order. */
    private static final String COLUMNS = "ts, ver, ins, replaced, deleted, cols";

    /** The condition for one key's entry, {@code key.table()} then {@code key.pk()}. */
    private static final String ENTRY = "tbl = ? AND pk = " + KeyText.PARAMETER;

    private final RowIo rows;

    PendingQueue(RowIo rows) {
        this.rows = rows;
    }

    /** Up to {@code limit} pending keys, oldest change first, with their current rows, in one read transaction. */
    static List<LocalChange> oldest(Connection c, Map<String, TableInfo> tables, int limit) throws SQLException {
        return inReadTransaction(c, tables, queue -> {
            List<LocalChange> pending = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT tbl, pk, " + COLUMNS + " FROM _sm_pending ORDER BY ts LIMIT ?")) {
                q.setInt(1, limit);
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        pending.add(change(new Key(r.getString(1), KeyText.read(r, 2)), r, 3));
                    }
                }
            }
            List<LocalChange> withRows = new ArrayList<>(pending.size());
            for (LocalChange p : pending) {
                withRows.add(queue.withRow(p));
            }
            return withRows;
        });
    }

    /** The pending changes of these keys with their rows, in one read transaction; keys not pending are left out. */
    static Map<Key, LocalChange> of(Connection c, Map<String, TableInfo> tables, Collection<Key> keys)
            throws SQLException {
        return inReadTransaction(c, tables, queue -> {
            Map<Key, LocalChange> pending = new HashMap<>();
            for (Key key : keys) {
                LocalChange change = queue.get(key);
                if (change != null) {
                    pending.put(key, change);
                }
            }
            return pending;
        });
    }

    private static <T> T inReadTransaction(Connection c, Map<String, TableInfo> tables, Reading<T> reading)
            throws SQLException {
        RowIo rows = new RowIo(c, tables);
        try (Statement s = c.createStatement()) {
            s.execute("BEGIN");
            try {
                return reading.run(new PendingQueue(rows));
            } finally {
                s.execute("COMMIT");
                rows.forgetStatements();
            }
        }
    }

    @FunctionalInterface
    private interface Reading<T> {
        T run(PendingQueue queue) throws SQLException;
    }

    /** The key's pending change with its current row, or null when it is not pending. */
    LocalChange get(Key key) throws SQLException {
        PreparedStatement s = rows.statement("SELECT " + COLUMNS + " FROM _sm_pending WHERE " + ENTRY);
        s.setString(1, key.table());
        KeyText.bind(s, 2, key.pk());
        LocalChange queued;
        try (ResultSet r = s.executeQuery()) {
            if (!r.next()) {
                return null;
            }
            queued = change(key, r, 1);
        }
        return withRow(queued);
    }

    /** The version of the key's pending change, 0 when none is pending. */
    long version(Key key) throws SQLException {
        PreparedStatement s = rows.statement("SELECT ver FROM _sm_pending WHERE " + ENTRY);
        s.setString(1, key.table());
        KeyText.bind(s, 2, key.pk());
        try (ResultSet r = s.executeQuery()) {
            return r.next() ? r.getLong(1) : 0;
        }
    }

    void forget(Key key) throws SQLException {
        PreparedStatement s = rows.statement("DELETE FROM _sm_pending WHERE " + ENTRY);
        s.setString(1, key.table());
        KeyText.bind(s, 2, key.pk());
        s.executeUpdate();
    }

    /** Forgets a pushed version unless the key changed again since; returns whether it did. */
    boolean forget(Key key, long ver) throws SQLException {
        PreparedStatement s = rows.statement("DELETE FROM _sm_pending WHERE " + ENTRY + " AND ver = ?");
        s.setString(1, key.table());
        KeyText.bind(s, 2, key.pk());
        s.setLong(3, ver);
        return s.executeUpdate() > 0;
    }

    /** Records what the hub knows of a pending key's row; {@code replaced} 0 is none. */
    void mark(Key key, Known known, long replaced) throws SQLException {
        PreparedStatement s = rows.statement(
                "UPDATE _sm_pending SET ins = ?, replaced = nullif(?, 0) WHERE " + ENTRY);
        s.setInt(1, known.ordinal());
        s.setLong(2, replaced);
        s.setString(3, key.table());
        KeyText.bind(s, 4, key.pk());
        s.executeUpdate();
    }

    /**
     * Queues the key's row as it is here (or its absence, a delete) as a change stamped {@code ts}, as capture would
     * have: a new version of whatever was pending there, which changes {@code columns} of the hub's row (null: the
     * whole row).
     */
    void queue(Key key, long ts, Known known, Set<String> columns) throws SQLException {
        PreparedStatement s = rows.statement("INSERT INTO _sm_pending(tbl, pk, ts, ver, ins, cols)"
                + " VALUES(?, " + KeyText.PARAMETER + ", ?, 1, ?, ?) ON CONFLICT(tbl, pk) DO UPDATE"
                + " SET ts = max(ts, excluded.ts), ver = ver + 1, ins = excluded.ins, replaced = NULL,"
                + " cols = excluded.cols");
        s.setString(1, key.table());
        KeyText.bind(s, 2, key.pk());
        s.setLong(3, ts);
        s.setInt(4, known.ordinal());
        s.setString(5, ChangedColumns.json(columns));
        s.executeUpdate();
    }

    /** From now on the key's pending change is the whole row: the agent changed it here in columns capture missed. */
    void wholeRow(Key key) throws SQLException {
        PreparedStatement s = rows.statement("UPDATE _sm_pending SET cols = NULL WHERE " + ENTRY);
        s.setString(1, key.table());
        KeyText.bind(s, 2, key.pk());
        s.executeUpdate();
    }

    /** A pending change read from the queue's columns at {@code column} on, without its row. */
    private static LocalChange change(Key key, ResultSet r, int column) throws SQLException {
        return new LocalChange(key, r.getLong(column), r.getLong(column + 1), Known.values()[r.getInt(column + 2)],
                false, null, r.getLong(column + 3), r.getLong(column + 4), ChangedColumns.parse(r.getString(column + 5)));
    }

    private LocalChange withRow(LocalChange p) throws SQLException {
        TableInfo table = rows.table(p.key().table());
        Row row = rows.read(p.key());
        return new LocalChange(p.key(), p.ts(), p.ver(), p.known(), table != null && table.integerKey(), row,
                p.replaced(), p.deleted(), p.columns());
    }
}

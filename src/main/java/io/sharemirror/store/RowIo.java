package io.sharemirror.store;

import io.sharemirror.sync.Key;
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

/**
 * Reads and writes rows by key on one connection; the hub and the replica both use it, so a row moves
 * the same way in either direction. Writes are UPDATE-then-INSERT and DELETE, never INSERT OR REPLACE,
 * which would delete conflicting rows without firing delete triggers.
 */
final class RowIo implements AutoCloseable {

    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private volatile Map<String, TableInfo> tables;

    RowIo(Connection connection, Map<String, TableInfo> tables) {
        this.connection = connection;
        this.tables = tables;
    }

    Connection connection() {
        return connection;
    }

    Map<String, TableInfo> tables() {
        return tables;
    }

    void tables(Map<String, TableInfo> latest) {
        tables = latest;
    }

    TableInfo table(String name) {
        return tables.get(name);
    }

    /** The row with this key, or null when there is none (or the table is not mirrored here). */
    Row read(Key key) throws SQLException {
        TableInfo t = tables.get(key.table());
        if (t == null) {
            return null;
        }
        PreparedStatement s = statement("SELECT " + Sql.idents(t.columns()) + " FROM " + Sql.ident(t.name())
                + " WHERE " + Sql.matchesKey(t, 1));
        KeyText.bind(s, 1, key.pk());
        try (ResultSet r = s.executeQuery()) {
            if (!r.next()) {
                return null;
            }
            List<Object> values = new ArrayList<>(t.columns().size());
            for (int i = 1; i <= t.columns().size(); i++) {
                values.add(RowValues.read(r, i));
            }
            return new Row(t.columns(), values);
        }
    }

    /** The rows at these keys; a key with no row (or in a table not mirrored here) is left out. */
    Map<Key, Row> readAll(Collection<Key> keys) throws SQLException {
        Map<Key, Row> found = new HashMap<>();
        for (Key key : keys) {
            Row row = read(key);
            if (row != null) {
                found.put(key, row);
            }
        }
        return found;
    }

    /**
     * Makes the row with {@code key} equal {@code row} in the columns both sides have. A key column under a collation
     * other than BINARY is written too: the key matches spellings that differ ('ACME' is the row 'acme' under NOCASE),
     * and the row's own spelling must travel with it.
     */
    void upsert(Key key, Row row) throws SQLException {
        TableInfo t = tables.get(key.table());
        List<String> shared = t.columns().stream().filter(row.columns()::contains).toList();
        List<String> update = shared.stream().filter(c -> !t.keyColumns().contains(c)
                || !"BINARY".equalsIgnoreCase(t.keyCollations().get(t.keyColumns().indexOf(c)))).toList();
        if (!update.isEmpty()) {
            List<Object> values = update.stream().map(row::value).toList();
            PreparedStatement s = statement("UPDATE " + Sql.ident(t.name()) + " SET "
                    + String.join(",", update.stream().map(c -> Sql.ident(c) + "=" + RowValues.placeholder(row.value(c)))
                            .toList())
                    + " WHERE " + Sql.matchesKey(t, update.size() + 1));
            RowValues.bind(s, values);
            KeyText.bind(s, update.size() + 1, key.pk());
            if (s.executeUpdate() > 0) {
                return;
            }
        } else if (exists(t, key)) {
            return;
        }
        List<Object> values = shared.stream().map(row::value).toList();
        PreparedStatement insert = statement("INSERT INTO " + Sql.ident(t.name()) + "(" + Sql.idents(shared)
                + ") VALUES(" + RowValues.placeholders(values) + ")");
        RowValues.bind(insert, values);
        insert.executeUpdate();
    }

    void delete(Key key) throws SQLException {
        TableInfo t = tables.get(key.table());
        PreparedStatement s = statement("DELETE FROM " + Sql.ident(t.name()) + " WHERE "
                + Sql.matchesKey(t, 1));
        KeyText.bind(s, 1, key.pk());
        s.executeUpdate();
    }

    /** The smallest integer key above every key in the table. */
    long nextKey(String table) throws SQLException {
        TableInfo t = tables.get(table);
        try (PreparedStatement s = connection.prepareStatement("SELECT coalesce(max("
                + Sql.ident(t.keyColumns().get(0)) + "), 0) + 1 FROM " + Sql.ident(t.name()));
             ResultSet r = s.executeQuery()) {
            return r.next() ? r.getLong(1) : 1;
        }
    }

    /** Moves the row at {@code key} to the integer key {@code to}; returns the new key. */
    Key rekey(Key key, long to) throws SQLException {
        TableInfo t = tables.get(key.table());
        PreparedStatement s = statement("UPDATE " + Sql.ident(t.name()) + " SET " + Sql.ident(t.keyColumns().get(0))
                + "=? WHERE " + Sql.matchesKey(t, 2));
        s.setLong(1, to);
        KeyText.bind(s, 2, key.pk());
        s.executeUpdate();
        return new Key(key.table(), "[" + to + "]");
    }

    private boolean exists(TableInfo t, Key key) throws SQLException {
        PreparedStatement s = statement("SELECT 1 FROM " + Sql.ident(t.name()) + " WHERE "
                + Sql.matchesKey(t, 1));
        KeyText.bind(s, 1, key.pk());
        try (ResultSet r = s.executeQuery()) {
            return r.next();
        }
    }

    /** Statements are kept per SQL text for the life of the connection; tables are few, keys many. */
    PreparedStatement statement(String sql) throws SQLException {
        PreparedStatement s = statements.get(sql);
        if (s == null) {
            s = connection.prepareStatement(sql);
            statements.put(sql, s);
        }
        return s;
    }

    /**
     * Runs work on this connection; if it fails, forgets every kept statement (see {@link #forgetStatements}).
     */
    <T> T guarded(HubReads.SqlWork<T> work) throws SQLException {
        try {
            return work.run();
        } catch (SQLException | RuntimeException e) {
            forgetStatements();
            throw e;
        }
    }

    /**
     * Forgets prepared statements after a schema change (they would fail with SQLITE_SCHEMA otherwise), and after any
     * failed unit of work: sqlite-jdbc finalizes a statement that failed with anything but BUSY, LOCKED or CONSTRAINT
     * (an I/O error, CORRUPT, FULL), and one kept would fail with "statement is not executing" from then on.
     */
    void forgetStatements() {
        statements.values().forEach(RowIo::closeQuietly);
        statements.clear();
    }

    @Override
    public void close() {
        forgetStatements();
        closeQuietly(connection);
    }

    /** Rolls back whatever is open; SQLite may have rolled back already after an I/O error or a full disk. */
    static void rollbackQuietly(Connection c) {
        try (Statement s = c.createStatement()) {
            s.execute("ROLLBACK");
        } catch (SQLException ignored) {
            // no transaction was open, or the connection is gone; the caller reports the first error
        }
    }

    static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing after a failure; the first error is the one reported
        }
    }
}

package io.sharemirror.store;

import io.sharemirror.sync.HubSchema;
import io.sharemirror.sync.Key;
import io.sharemirror.sync.LocalChange;
import io.sharemirror.sync.Row;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The rows a schema change moves: copied from the hub, read for the archive, and the pending writes it ends. */
public final class SchemaRows {

    private SchemaRows() {
    }

    /** Every row of a table, as local changes for the archive. */
    public static List<LocalChange> all(Connection c, TableInfo t) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + Sql.keyJson("", t) + ", "
                + Sql.idents(t.columns()) + " FROM " + Sql.ident(t.name()))) {
            return asChanges(s, t);
        }
    }

    /**
     * The rows a query selects (the key as JSON, then every column of the table) as local changes for the archive,
     * stamped now.
     */
    static List<LocalChange> asChanges(PreparedStatement query, TableInfo t) throws SQLException {
        List<LocalChange> rows = new ArrayList<>();
        try (ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                List<Object> values = new ArrayList<>();
                for (int i = 2; i <= t.columns().size() + 1; i++) {
                    values.add(RowValues.read(rs, i));
                }
                rows.add(new LocalChange(new Key(t.name(), rs.getString(1)), System.currentTimeMillis(), 0,
                        LocalChange.Known.ON_HUB, t.integerKey(), new Row(t.columns(), values), 0, 0, null));
            }
        }
        return rows;
    }

    /** These columns of every row of a table, by its key as JSON, in the order the table gives them. */
    static Map<String, List<Object>> byKey(Connection c, TableInfo t, List<String> columns) throws SQLException {
        Map<String, List<Object>> rows = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT " + Sql.keyJson("", t) + ", "
                + Sql.idents(columns) + " FROM " + Sql.ident(t.name()));
             ResultSet r = s.executeQuery()) {
            while (r.next()) {
                List<Object> values = new ArrayList<>(columns.size());
                for (int i = 2; i <= columns.size() + 1; i++) {
                    values.add(RowValues.read(r, i));
                }
                rows.put(r.getString(1), values);
            }
        }
        return rows;
    }

    /** Those of {@code rows} whose key has no row any more on {@code c} (each names its table). */
    public static List<LocalChange> missing(Connection c, List<LocalChange> rows) throws SQLException {
        RowIo now = new RowIo(c, Schema.read(c, t -> true));
        List<LocalChange> gone = new ArrayList<>();
        try {
            for (LocalChange row : rows) {
                if (now.read(row.key()) == null) {
                    gone.add(row);
                }
            }
        } finally {
            now.forgetStatements();
        }
        return gone;
    }

    static void dropPending(Connection c, Key key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM _sm_pending WHERE tbl = ? AND pk = ?")) {
            s.setString(1, key.table());
            s.setString(2, key.pk());
            s.executeUpdate();
        }
    }

    static Void dropPending(Connection c, String table) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM _sm_pending WHERE tbl = ?")) {
            s.setString(1, table);
            s.executeUpdate();
        }
        return null;
    }

    /**
     * Copies the given columns of every row of the hub's table {@code t} into the replica. A key with a pending local
     * change keeps its own values, except that columns new to the replica are filled in (else its push would blank
     * them).
     */
    static void copy(HubSchema hub, SqliteReplica r, HubSchema.Table t, List<String> columns) {
        Map<Key, Row> rows = hub.rows(t.name(), columns);
        RowIo local = r.rows();
        boolean wholeRows = columns.size() == t.columns().size();
        r.writeRows("copying rows of " + t.name() + " from the hub", () -> {
            PreparedStatement pending = local.statement("SELECT 1 FROM _sm_pending WHERE tbl = ? AND pk = ?");
            for (Map.Entry<Key, Row> row : rows.entrySet()) {
                Key key = row.getKey();
                pending.setString(1, key.table());
                pending.setString(2, key.pk());
                boolean isPending;
                try (ResultSet rs = pending.executeQuery()) {
                    isPending = rs.next();
                }
                if (isPending && (wholeRows || local.read(key) == null)) {
                    continue;
                }
                local.upsert(key, row.getValue());
            }
            return null;
        });
    }
}

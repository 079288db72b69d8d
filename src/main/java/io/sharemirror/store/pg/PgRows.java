package io.sharemirror.store.pg;

import io.sharemirror.store.Clashes;
import io.sharemirror.store.Sql;
import io.sharemirror.store.WholeBatch;
import io.sharemirror.sync.Clash;
import io.sharemirror.sync.Key;
import io.sharemirror.sync.Row;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.postgresql.util.PSQLException;

/**
 * Reads and writes a PostgreSQL hub's rows by key, on one connection, with every value as a replica holds it
 * ({@link SqliteValue#rowValue}: Long, Double, String, byte[], RawText, null); a value a column's type cannot carry
 * is refused ({@link PgValueRefused}), never converted. Rows are read many keys to a statement; writes are an upsert
 * on the key index or a delete, and never remove another row.
 */
public final class PgRows {

    /** Keys per read: one statement each, so a pull of a thousand changes costs one round trip per table. */
    private static final int KEYS_PER_READ = 1000;

    private final Connection connection;

    public PgRows(Connection connection) {
        this.connection = connection;
    }

    /** The rows at these keys (all of {@code t}); a key with no row, or that names none, is left out. */
    public Map<Key, Row> read(PgTable t, Collection<Key> keys) throws SQLException {
        Map<Key, Row> found = new HashMap<>();
        List<List<Object>> values = new ArrayList<>();
        for (Key key : keys) {
            PgKeys.values(t, key.pk()).ifPresent(values::add);
        }
        for (int from = 0; from < values.size(); from += KEYS_PER_READ) {
            readChunk(t, values.subList(from, Math.min(values.size(), from + KEYS_PER_READ)), found);
        }
        return found;
    }

    public Row read(PgTable t, Key key) throws SQLException {
        return read(t, List.of(key)).get(key);
    }

    /**
     * Makes the row at {@code row}'s key equal {@code row} in the columns both sides have; a key column under a
     * collation other than BINARY is written too, so the row's own spelling travels with it (as RowIo does).
     */
    public void upsert(PgTable t, Row row) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(upsertSql(t, row))) {
            bindRow(s, t, row);
            s.executeUpdate();
        }
    }

    public void delete(PgTable t, Key key) throws SQLException {
        Optional<List<Object>> values = PgKeys.values(t, key.pk());
        if (values.isEmpty()) {
            return; // names no row here
        }
        try (PreparedStatement s = connection.prepareStatement("DELETE FROM " + t.quoted() + " WHERE "
                + PgKeys.matches(t, ""))) {
            PgKeys.bind(s, 1, values.get());
            s.executeUpdate();
        }
    }

    /** The smallest integer key above every key in the table. */
    public long nextKey(PgTable t) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery("SELECT coalesce(max("
                + t.quotedColumn(t.info().keyColumns().get(0)) + "), 0) + 1 FROM " + t.quoted())) {
            r.next();
            return r.getLong(1);
        }
    }

    /**
     * The first UNIQUE constraint under which a row other than {@code key} holds {@code row}'s values, with that row;
     * null when none does. NULLs are distinct, as in SQLite; a value no column here can hold is held by no row.
     */
    public Clash heldElsewhere(PgTable t, Key key, Row row) throws SQLException {
        for (PgTable.UniqueColumns u : t.uniques()) {
            if (u.index().where() != null || u.columns().contains(null) || !row.columns().containsAll(u.columns())) {
                continue; // not kept on this hub (installTable refuses it) or not in the row
            }
            List<Object> values = u.columns().stream().map(row::value).toList();
            if (values.contains(null)) {
                continue;
            }
            Key other = holder(t, u, values, key);
            if (other != null) {
                return Clashes.unique(t.info(), u.index(), key, values, other);
            }
        }
        return null;
    }

    /**
     * The batch target of a push: every write in a savepoint of its own, since a failed statement would end
     * PostgreSQL's whole transaction; a row's own failures are constraint violations (class 23) and values refused
     * (class 22, {@link PgValueRefused}).
     */
    public WholeBatch.Target batchTarget(Function<String, PgTable> tables) {
        return new WholeBatch.Target() {
            @Override
            public void upsert(Key key, Row row) throws SQLException {
                PgTable t = tables.apply(key.table());
                try (PreparedStatement s = connection.prepareStatement("SAVEPOINT sm_row; " + upsertSql(t, row)
                        + "; RELEASE SAVEPOINT sm_row")) {
                    bindRow(s, t, row); // a value refused here was never sent: no savepoint to undo
                    executeInSavepoint(s);
                }
            }

            @Override
            public void delete(Key key) throws SQLException {
                PgTable t = tables.apply(key.table());
                Optional<List<Object>> values = PgKeys.values(t, key.pk());
                if (values.isPresent()) {
                    try (PreparedStatement s = connection.prepareStatement("SAVEPOINT sm_row; DELETE FROM "
                            + t.quoted() + " WHERE " + PgKeys.matches(t, "") + "; RELEASE SAVEPOINT sm_row")) {
                        PgKeys.bind(s, 1, values.get());
                        executeInSavepoint(s);
                    }
                }
            }

            @Override
            public boolean refusesRow(SQLException failure) {
                String state = failure.getSQLState();
                return state != null && (state.startsWith("23") || state.startsWith("22"));
            }

            @Override
            public Clash clash(Key key, Row row, SQLException failure) throws SQLException {
                PgTable t = tables.apply(key.table());
                if ("23505".equals(failure.getSQLState())) {
                    Clash held = heldElsewhere(t, key, row);
                    if (held != null) {
                        return held;
                    }
                }
                return new Clash(key, message(failure), "", null, columnsNamed(t, failure));
            }

            @Override
            public void execute(String sql) throws SQLException {
                try (Statement s = connection.createStatement()) {
                    s.execute(sql);
                }
            }
        };
    }

    private void executeInSavepoint(PreparedStatement s) throws SQLException {
        try {
            s.execute();
        } catch (SQLException e) {
            try (Statement undo = connection.createStatement()) {
                undo.execute("ROLLBACK TO SAVEPOINT sm_row; RELEASE SAVEPOINT sm_row");
            }
            throw e;
        }
    }

    private static String message(SQLException failure) {
        if (failure instanceof PSQLException p && p.getServerErrorMessage() != null) {
            return p.getServerErrorMessage().getMessage();
        }
        return failure.getMessage();
    }

    /** The row's column a failure names: the one a value was refused for, or the server's (NOT NULL). */
    private static List<String> columnsNamed(PgTable t, SQLException failure) {
        String named = failure instanceof PgValueRefused refused ? refused.column()
                : failure instanceof PSQLException p && p.getServerErrorMessage() != null
                        ? t.name() + "." + p.getServerErrorMessage().getColumn() : null;
        return t.info().columns().stream().filter(c -> (t.name() + "." + t.column(c)).equals(named)).toList();
    }

    private String upsertSql(PgTable t, Row row) {
        List<String> shared = shared(t, row);
        List<String> update = shared.stream().filter(c -> !t.info().keyColumns().contains(c)
                || !"BINARY".equalsIgnoreCase(t.info().keyCollations().get(t.info().keyColumns().indexOf(c)))).toList();
        return "INSERT INTO " + t.quoted() + " (" + String.join(", ", shared.stream().map(t::quotedColumn).toList())
                + ") VALUES (" + String.join(", ", shared.stream().map(c -> "?").toList()) + ") ON CONFLICT ("
                + PgKeys.keyExpressions(t) + ") DO " + (update.isEmpty() ? "NOTHING" : "UPDATE SET " + String.join(
                        ", ", update.stream().map(c -> t.quotedColumn(c) + " = EXCLUDED." + t.quotedColumn(c))
                                .toList()));
    }

    private static void bindRow(PreparedStatement s, PgTable t, Row row) throws SQLException {
        int i = 1;
        for (String c : shared(t, row)) {
            PgValues.bind(s, i++, t.name() + "." + t.column(c), t.type(c), SqliteValue.ofRowValue(row.value(c)));
        }
    }

    private static List<String> shared(PgTable t, Row row) {
        return t.info().columns().stream().filter(row.columns()::contains).toList();
    }

    /** Reads rows by joining the key values, passed as one array per key column, to the key index. */
    private void readChunk(PgTable t, List<List<Object>> keys, Map<Key, Row> found) throws SQLException {
        List<String> keyColumns = t.info().keyColumns();
        List<String> arrays = new ArrayList<>();
        List<String> join = new ArrayList<>();
        for (int i = 0; i < keyColumns.size(); i++) {
            String column = keyColumns.get(i);
            PgType type = t.type(column);
            arrays.add(type == PgType.BIGINT ? "?::bigint[]" : "?::text[]");
            String value = type == PgType.BYTEA ? "decode(k.k" + i + ", 'hex')" : "k.k" + i;
            join.add(PgKeys.compared("t." + t.quotedColumn(column), t.info().keyCollations().get(i)) + " = " + value);
        }
        List<String> columns = t.info().columns();
        String sql = "SELECT " + PgKeys.keyText(t, "t.") + ", " + String.join(", ", columns.stream()
                .map(c -> "t." + t.quotedColumn(c)).toList()) + " FROM " + t.quoted() + " t JOIN unnest("
                + String.join(", ", arrays) + ") AS k(" + String.join(", ", keyNames(keyColumns.size())) + ") ON "
                + String.join(" AND ", join);
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            for (int i = 0; i < keyColumns.size(); i++) {
                s.setArray(i + 1, array(t.type(keyColumns.get(i)), keys, i));
            }
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    List<Object> values = new ArrayList<>(columns.size());
                    for (int c = 0; c < columns.size(); c++) {
                        values.add(PgValues.read(r, c + 2, t.type(columns.get(c))).rowValue());
                    }
                    found.put(new Key(t.name(), r.getString(1)), new Row(columns, values));
                }
            }
        }
    }

    private Array array(PgType type, List<List<Object>> keys, int element) throws SQLException {
        if (type == PgType.BIGINT) {
            return connection.createArrayOf("int8", keys.stream().map(k -> k.get(element)).toArray(Long[]::new));
        }
        return connection.createArrayOf("text", keys.stream().map(k -> k.get(element) instanceof byte[] b
                ? HexFormat.of().formatHex(b) : k.get(element)).toArray(String[]::new));
    }

    private static List<String> keyNames(int count) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add("k" + i);
        }
        return names;
    }

    private Key holder(PgTable t, PgTable.UniqueColumns u, List<Object> values, Key key) throws SQLException {
        List<String> same = new ArrayList<>();
        for (int i = 0; i < u.columns().size(); i++) {
            same.add(PgKeys.compared(t.quotedColumn(u.columns().get(i)), u.collations().get(i)) + " = "
                    + PgKeys.compared("?", u.collations().get(i)));
        }
        try (PreparedStatement s = connection.prepareStatement("SELECT " + PgKeys.keyText(t, "") + " FROM "
                + t.quoted() + " WHERE " + String.join(" AND ", same) + " AND " + PgKeys.keyText(t, "")
                + " <> ? LIMIT 1")) {
            for (int i = 0; i < u.columns().size(); i++) {
                String column = u.columns().get(i);
                try {
                    PgValues.bind(s, i + 1, t.name() + "." + column, t.type(column),
                            SqliteValue.ofRowValue(values.get(i)));
                } catch (PgValueRefused e) {
                    return null; // no row here holds a value its column cannot
                }
            }
            s.setString(u.columns().size() + 1, key.pk());
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? new Key(t.name(), r.getString(1)) : null;
            }
        }
    }
}

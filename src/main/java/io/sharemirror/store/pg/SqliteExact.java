package io.sharemirror.store.pg;

import io.sharemirror.store.Sql;
import io.sharemirror.store.TableInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * SQLite values read and written through sqlite-jdbc with their exact class and bytes: read as {@code typeof(c)},
 * {@code c} and {@code CAST(c AS BLOB)}; a TEXT written as its bytes under {@code CAST(? AS TEXT)}, since a Java string
 * cannot carry bytes that are not UTF-8 (as {@code store.RowValues} does for raw text).
 */
final class SqliteExact {

    private SqliteExact() {
    }

    /** The three columns {@link #read} takes for one column. */
    static String select(String column) {
        String c = Sql.ident(column);
        return "typeof(" + c + "), " + c + ", CAST(" + c + " AS BLOB)";
    }

    /** The value whose three columns start at {@code first}. */
    static SqliteValue read(ResultSet r, int first) throws SQLException {
        return SqliteValue.of(r.getString(first), r.getObject(first + 1), r.getBytes(first + 2));
    }

    /** Every row of a table, each as the values of its {@link TableInfo#columns()} in order. */
    static List<List<SqliteValue>> rows(Connection sqlite, TableInfo t) throws SQLException {
        List<List<SqliteValue>> rows = new ArrayList<>();
        String columns = t.columns().stream().map(SqliteExact::select).collect(Collectors.joining(", "));
        try (PreparedStatement s = sqlite.prepareStatement("SELECT " + columns + " FROM " + Sql.ident(t.name()));
             ResultSet r = s.executeQuery()) {
            while (r.next()) {
                List<SqliteValue> row = new ArrayList<>(t.columns().size());
                for (int i = 0; i < t.columns().size(); i++) {
                    row.add(read(r, 1 + 3 * i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** The values of column {@code i} of each row. */
    static List<SqliteValue> column(List<List<SqliteValue>> rows, int i) {
        return rows.stream().map(row -> row.get(i)).toList();
    }

    /** Inserts rows into one table, exactly; one statement per shape of TEXT and other values met. */
    static final class Inserter implements AutoCloseable {

        private final Connection sqlite;
        private final String into;
        private final Map<String, PreparedStatement> statements = new HashMap<>();

        Inserter(Connection sqlite, String table, List<String> columns) {
            this.sqlite = sqlite;
            this.into = "INSERT INTO " + Sql.ident(table) + "(" + Sql.idents(columns) + ") VALUES(";
        }

        void insert(List<SqliteValue> row) throws SQLException {
            String placeholders = row.stream().map(v -> v.storageClass() == SqliteValue.StorageClass.TEXT
                    ? "CAST(? AS TEXT)" : "?").collect(Collectors.joining(","));
            PreparedStatement s = statements.get(placeholders);
            if (s == null) {
                s = sqlite.prepareStatement(into + placeholders + ")");
                statements.put(placeholders, s);
            }
            for (int i = 0; i < row.size(); i++) {
                SqliteValue v = row.get(i);
                switch (v.storageClass()) {
                    case NULL -> s.setNull(i + 1, Types.NULL);
                    case INTEGER -> s.setLong(i + 1, v.integer());
                    case REAL -> s.setDouble(i + 1, v.real());
                    case TEXT, BLOB -> s.setBytes(i + 1, v.bytes());
                }
            }
            s.executeUpdate();
        }

        @Override
        public void close() throws SQLException {
            for (PreparedStatement s : statements.values()) {
                s.close();
            }
        }
    }
}

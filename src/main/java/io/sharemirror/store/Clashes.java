package io.sharemirror.store;

import io.sharemirror.sync.Clash;
import io.sharemirror.sync.Key;
import io.sharemirror.sync.Row;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Says what a failed write of a row broke: for a UNIQUE constraint, which one and which other row holds the same
 * values, found by asking SQLite itself (so collations, expressions and partial indexes count as they do for the
 * constraint); for anything else, SQLite's own message.
 */
public final class Clashes {

    /** SQLite's extended result code for a UNIQUE constraint (SQLITE_CONSTRAINT_UNIQUE). */
    private static final int UNIQUE = 2067;

    private Clashes() {
    }

    static Clash of(RowIo rows, Key key, Row row, SQLException failure) throws SQLException {
        TableInfo t = rows.table(key.table());
        if (SqliteErrors.resultCode(failure) == UNIQUE) {
            Clash clash = heldElsewhere(rows, key, row);
            if (clash != null) {
                return clash;
            }
        }
        String message = SqliteErrors.sqliteMessage(failure);
        // "NOT NULL constraint failed: supplier.name", "CHECK constraint failed: length(code) = 4"
        return new Clash(key, message, "", null, columnsIn(t, message.substring(message.indexOf(':') + 1)));
    }

    /**
     * The first UNIQUE constraint of the table under which another row than {@code key} holds {@code row}'s values, with
     * that row; null when none does. A read: it tells before a write whether the write would clash.
     */
    static Clash heldElsewhere(RowIo rows, Key key, Row row) throws SQLException {
        TableInfo t = rows.table(key.table());
        for (UniqueIndex u : t.uniques()) {
            Clash clash = holder(rows, t, u, key, row);
            if (clash != null) {
                return clash;
            }
        }
        return null;
    }

    /** The table's columns that {@code sql} names, in the table's order. */
    private static List<String> columnsIn(TableInfo t, String sql) {
        Set<String> names = new HashSet<>();
        SqlTokens.of(sql).stream().filter(SqlTokens.Token::isName).forEach(n -> names.add(n.text().toLowerCase(Locale.ROOT)));
        return t.columns().stream().filter(c -> names.contains(c.toLowerCase(Locale.ROOT))).toList();
    }

    /** The row other than {@code key} that holds {@code row}'s values in {@code u}, or null. */
    private static Clash holder(RowIo rows, TableInfo t, UniqueIndex u, Key key, Row row) throws SQLException {
        List<String> columns = t.columns().stream().filter(row.columns()::contains).toList();
        List<Object> held = columns.stream().map(row::value).toList();
        String values = "WITH \"_sm_row\"(" + Sql.idents(columns) + ") AS (VALUES(" + RowValues.placeholders(held)
                + ")) ";
        StringBuilder same = new StringBuilder();
        for (String item : u.items()) {
            same.append('(').append(item).append(") IS (SELECT ").append(item).append(" FROM \"_sm_row\") AND ");
        }
        if (u.where() != null) {
            same.append('(').append(u.where()).append(") AND EXISTS (SELECT 1 FROM \"_sm_row\" WHERE ")
                    .append(u.where()).append(") AND ");
        }
        PreparedStatement find = rows.statement(values + "SELECT " + Sql.keyJson("", t) + " FROM " + Sql.ident(t.name())
                + " WHERE " + same + "NOT (" + Sql.matchesKey(t.keyColumns(), columns.size() + 1) + ") LIMIT 1");
        RowValues.bind(find, held);
        find.setString(columns.size() + 1, key.pk());
        Key other;
        try (ResultSet r = find.executeQuery()) {
            if (!r.next()) {
                return null;
            }
            other = new Key(t.name(), r.getString(1));
        }
        PreparedStatement show = rows.statement(values + "SELECT " + String.join(", ", u.items())
                + " FROM \"_sm_row\"");
        RowValues.bind(show, held);
        List<Object> itemValues = new ArrayList<>();
        try (ResultSet r = show.executeQuery()) {
            r.next();
            for (int i = 0; i < u.items().size(); i++) {
                itemValues.add(RowValues.read(r, i + 1));
            }
        }
        return unique(t, u, key, itemValues, other);
    }

    /**
     * The clash of writing the row at {@code key} whose values under {@code u} ({@code itemValues}, one per item)
     * the row at {@code other} holds, as people read it; every hub kind reports it so.
     */
    public static Clash unique(TableInfo t, UniqueIndex u, Key key, List<Object> itemValues, Key other) {
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < u.items().size(); i++) {
            shown.add(forPeople(u.items().get(i)) + " = " + Row.literal(itemValues.get(i)));
        }
        String items = String.join(", ", u.items().stream().map(Clashes::forPeople).toList());
        // A UNIQUE written in the table's definition has a name SQLite made up, which nobody knows it by.
        return new Clash(key, (u.name().startsWith("sqlite_autoindex_") ? "UNIQUE" : "UNIQUE index " + u.name()) + " ("
                + items + ")", String.join(", ", shown), other, columnsIn(t, String.join(", ", u.items())));
    }

    /** An index item as its table's author wrote it: {@code code}, not {@code "code" COLLATE "BINARY"}. */
    private static String forPeople(String item) {
        String plain = item.replaceFirst("(?i)\\s+COLLATE\\s+\"?BINARY\"?$", "");
        return plain.matches("\"[^\"]*\"") ? plain.substring(1, plain.length() - 1) : plain;
    }
}

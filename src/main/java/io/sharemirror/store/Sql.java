package io.sharemirror.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/** Quoting for every name and literal that comes from a schema or a config file. */
public final class Sql {

    private Sql() {
    }

    /** A quoted identifier: {@code my "odd" table} becomes {@code "my ""odd"" table"}. */
    public static String ident(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** A quoted string literal, for the few places a value must be inside DDL (trigger bodies). */
    public static String literal(String text) {
        return '\'' + text.replace("'", "''") + '\'';
    }

    public static String idents(List<String> names) {
        return names.stream().map(Sql::ident).collect(Collectors.joining(","));
    }

    /**
     * The key of a row as a JSON array, e.g. {@code json_array(NEW."a",NEW."b")}: the same text for every spelling of a
     * key that SQLite takes for the same one. So a text key under the NOCASE collation is written in lower case ('ACME'
     * and 'acme' are one row), and under RTRIM without trailing spaces; SQLite's lower() folds only ASCII, as NOCASE
     * does. JSON cannot hold a BLOB, so a BLOB key value is stored as {@code {"$hex":"..."}}; without that a BLOB key
     * would make the application's own write fail inside the trigger.
     */
    public static String keyJson(String prefix, TableInfo table) {
        return keyJson(prefix, table.keyColumns(), table.keyCollations());
    }

    /** {@link #keyJson(String, TableInfo)} for key columns under the given collations, in their order. */
    static String keyJson(String prefix, List<String> columns, List<String> collations) {
        StringBuilder json = new StringBuilder("json_array(");
        for (int i = 0; i < columns.size(); i++) {
            String value = prefix + ident(columns.get(i));
            String text = switch (collations.get(i).toUpperCase(java.util.Locale.ROOT)) {
                case "NOCASE" -> "lower(" + value + ")";
                case "RTRIM" -> "rtrim(" + value + ", ' ')";
                default -> value;
            };
            json.append(i == 0 ? "" : ",").append("CASE typeof(").append(value).append(") WHEN 'blob' THEN")
                    .append(" json_object('$hex',hex(").append(value).append(")) WHEN 'text' THEN ").append(text)
                    .append(" ELSE ").append(value).append(" END");
        }
        return json.append(')').toString();
    }

    /**
     * Matches the row whose key is the JSON array in parameter {@code parameter}; the inverse of {@link #keyJson}. Each
     * element must have the row's value and its storage class, and the array the key's length: keyJson never writes
     * anything else, and SQLite's affinity would otherwise let {@code ["1"]} or {@code [1,2,3]} name row 1 under a key
     * that no pending row has, so a crafted log entry could overwrite a local change unseen.
     */
    static String matchesKey(List<String> keyColumns, int parameter) {
        StringBuilder where = new StringBuilder("json_array_length(?").append(parameter).append(") = ")
                .append(keyColumns.size());
        for (int i = 0; i < keyColumns.size(); i++) {
            String column = ident(keyColumns.get(i));
            String element = "?" + parameter + ",'$[" + i + "]'";
            where.append(" AND ").append(column).append(" IS ").append(keyElement(parameter, i)).append(" AND typeof(")
                    .append(column).append(") = CASE json_type(").append(element).append(") WHEN 'object' THEN 'blob'"
                    + " ELSE json_type(").append(element).append(") END");
        }
        return where.toString();
    }

    /** The value of element {@code i} of the key JSON in parameter {@code parameter} (a BLOB for {"$hex": ...}). */
    static String keyElement(int parameter, int i) {
        String element = "?" + parameter + ",'$[" + i + "]'";
        return "CASE json_type(" + element + ") WHEN 'object' THEN unhex(json_extract(?" + parameter + ",'$[" + i
                + "].\"$hex\"')) ELSE json_extract(" + element + ") END";
    }

    /**
     * {@link #matchesKey(List, int)} for a table. An FTS table finds a row by rowid only through {@code rowid = ?} (an
     * {@code IS} makes it read every row), and a rowid is never NULL, so for it the equality comes first.
     */
    static String matchesKey(TableInfo t, int parameter) {
        String match = matchesKey(t.keyColumns(), parameter);
        return t.fts() == null ? match
                : ident(t.keyColumns().get(0)) + " = json_extract(?" + parameter + ",'$[0]') AND " + match;
    }

    /** {@code OLD."a" IS NOT NEW."a" OR ...}: the update changed the key. */
    static String keyChanged(List<String> keyColumns) {
        return keyColumns.stream().map(c -> "OLD." + ident(c) + " IS NOT NEW." + ident(c))
                .collect(Collectors.joining(" OR "));
    }

    static String placeholders(int count) {
        return String.join(",", Collections.nCopies(count, "?"));
    }

    /** The first column of every row {@code sql} reads, with {@code arg} as its one parameter. */
    static List<String> strings(Connection c, String sql, String arg) throws SQLException {
        List<String> all = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, arg);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    all.add(r.getString(1));
                }
            }
        }
        return all;
    }
}

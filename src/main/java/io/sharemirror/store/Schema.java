package io.sharemirror.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Reads the user tables of a database: ordinary tables and full-text tables that store their text (synced through the
 * virtual table); never views, other virtual tables, shadow tables, nor SQLite's or ShareMirror's own.
 */
public final class Schema {

    /** The module of an FTS3/4/5 table's CREATE VIRTUAL TABLE statement. */
    private static final Pattern FTS = Pattern.compile("\\bUSING\\s+fts[345]\\b", Pattern.CASE_INSENSITIVE);

    private Schema() {
    }

    /** Tables by name, in name order, that {@code wanted} accepts. */
    public static Map<String, TableInfo> read(Connection c, Predicate<String> wanted) throws SQLException {
        Map<String, TableInfo> tables = new TreeMap<>();
        for (String name : userTables(c)) {
            if (wanted.test(name)) {
                tables.put(name, describe(c, name, null));
            }
        }
        for (var fts : ftsTables(c).entrySet()) {
            if (wanted.test(fts.getKey())) {
                tables.put(fts.getKey(), describe(c, fts.getKey(), fts.getValue()));
            }
        }
        return tables;
    }

    /**
     * FTS3/4/5 tables that keep their own copy of the text, by name, with the shadow table that holds it. External
     * content ({@code content=other}) and contentless ({@code content=''}) ones have no such table: their text lives
     * elsewhere or nowhere, and their index is kept by the application's triggers on every copy.
     */
    static Map<String, TableInfo.FtsContent> ftsTables(Connection c) throws SQLException {
        Map<String, TableInfo.FtsContent> found = new TreeMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT v.name, s.name, (SELECT name FROM pragma_table_info(s.name)"
                + " WHERE pk = 1), m.sql FROM pragma_table_list v JOIN pragma_table_list s ON s.schema = 'main'"
                + " AND s.type = 'shadow' AND s.name = v.name || '_content' JOIN sqlite_master m ON m.name = v.name"
                + " WHERE v.schema = 'main' AND v.type = 'virtual' AND v.name NOT LIKE '\\_sm\\_%' ESCAPE '\\'");
             ResultSet r = s.executeQuery()) {
            while (r.next()) {
                if (FTS.matcher(r.getString(4)).find()) {
                    found.put(r.getString(1), new TableInfo.FtsContent(r.getString(2), r.getString(3)));
                }
            }
        }
        return found;
    }

    /** Every ordinary user table: not a view, virtual or shadow table, nor SQLite's or ShareMirror's own. */
    static List<String> userTables(Connection c) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table'"
                + " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE '\\_sm\\_%' ESCAPE '\\'");
             ResultSet r = s.executeQuery()) {
            while (r.next()) {
                names.add(r.getString(1));
            }
        }
        return names;
    }

    private static TableInfo describe(Connection c, String table, TableInfo.FtsContent fts) throws SQLException {
        Map<Integer, String> keyByPosition = new TreeMap<>();
        Map<String, String> typeByColumn = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT name, type, pk FROM pragma_table_xinfo(?) WHERE hidden = 0 ORDER BY cid")) {
            s.setString(1, table);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    typeByColumn.put(r.getString(1), r.getString(2));
                    if (r.getInt(3) > 0) {
                        keyByPosition.put(r.getInt(3), r.getString(1));
                    }
                }
            }
        }
        List<String> columns = new ArrayList<>(typeByColumn.keySet());
        List<String> key = new ArrayList<>(keyByPosition.values());
        if (key.isEmpty()) {
            // No declared key: the rowid is the identity, under a name no column shadows.
            String rowid = List.of("rowid", "_rowid_", "oid").stream()
                    .filter(n -> columns.stream().noneMatch(n::equalsIgnoreCase)).findFirst()
                    .orElseThrow(() -> new SQLException("table " + table + " has columns named rowid, _rowid_ and oid"
                            + " and no primary key, so its rows cannot be identified"));
            columns.add(0, rowid);
            // An FTS table's rowid is its documents' stored id, kept by VACUUM; an ordinary table's may be renumbered.
            return new TableInfo(table, columns, List.of(rowid), List.of("BINARY"), true, fts == null, uniques(c, table),
                    foreignKeys(c, table), fts);
        }
        boolean integerKey = key.size() == 1 && "INTEGER".equalsIgnoreCase(typeByColumn.get(key.get(0)));
        Map<String, String> collations = keyCollations(c, table);
        return new TableInfo(table, columns, key, key.stream().map(k -> collations.getOrDefault(k, "BINARY")).toList(),
                integerKey, false, uniques(c, table), foreignKeys(c, table), fts);
    }

    /**
     * The table's UNIQUE constraints besides its key: CREATE UNIQUE INDEX ones as written, UNIQUE column and table
     * constraints (which have no text of their own) as their columns under their collations.
     */
    private static List<UniqueIndex> uniques(Connection c, String table) throws SQLException {
        List<UniqueIndex> uniques = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT il.name, m.sql FROM pragma_index_list(?) il"
                + " LEFT JOIN sqlite_master m ON m.type = 'index' AND m.name = il.name"
                + " WHERE il.\"unique\" = 1 AND il.origin <> 'pk' ORDER BY il.name")) {
            s.setString(1, table);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    String name = r.getString(1);
                    uniques.add(r.getString(2) != null ? UniqueIndex.parse(name, r.getString(2))
                            : new UniqueIndex(name, constraintColumns(c, name), null));
                }
            }
        }
        return uniques;
    }

    private static List<ForeignKey> foreignKeys(Connection c, String table) throws SQLException {
        Map<Integer, List<String[]>> byId = new TreeMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT id, \"table\", \"from\", \"to\", on_delete"
                + " FROM pragma_foreign_key_list(?) ORDER BY id, seq")) {
            s.setString(1, table);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    byId.computeIfAbsent(r.getInt(1), id -> new ArrayList<>()).add(new String[] {r.getString(2),
                            r.getString(3), r.getString(4), r.getString(5)});
                }
            }
        }
        List<ForeignKey> keys = new ArrayList<>();
        for (List<String[]> columns : byId.values()) {
            List<String> to = columns.stream().map(c2 -> c2[2]).toList();
            keys.add(new ForeignKey(columns.stream().map(c2 -> c2[1]).toList(), columns.get(0)[0],
                    to.contains(null) ? List.of() : to, columns.get(0)[3]));
        }
        return keys;
    }

    private static List<String> constraintColumns(Connection c, String index) throws SQLException {
        List<String> items = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT name, coll FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno")) {
            s.setString(1, index);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    items.add(Sql.ident(r.getString(1)) + " COLLATE " + Sql.ident(r.getString(2)));
                }
            }
        }
        return items;
    }

    /** An SQL literal: a string, a signed number, a blob, NULL, TRUE or FALSE. */
    static final String LITERAL =
            "'(?:[^']|'')*'|[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?|[xX]'[0-9a-fA-F]*'|(?i:NULL|TRUE|FALSE)";

    /** A column's default as SQL text when it is a constant, else null (an expression is not copied anywhere). */
    static String constantDefault(Connection c, String table, String column) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT dflt_value FROM pragma_table_xinfo(?) WHERE name = ?")) {
            s.setString(1, table);
            s.setString(2, column);
            try (ResultSet r = s.executeQuery()) {
                String dflt = r.next() ? r.getString(1) : null;
                return dflt != null && dflt.matches(LITERAL) ? dflt : null;
            }
        }
    }

    /** The collation of each column of the primary key's index; an INTEGER PRIMARY KEY has none (it is the rowid). */
    private static Map<String, String> keyCollations(Connection c, String table) throws SQLException {
        Map<String, String> collations = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT name, coll FROM pragma_index_xinfo((SELECT name FROM"
                + " pragma_index_list(?) WHERE origin = 'pk')) WHERE key = 1")) {
            s.setString(1, table);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    collations.put(r.getString(1), r.getString(2));
                }
            }
        }
        return collations;
    }
}

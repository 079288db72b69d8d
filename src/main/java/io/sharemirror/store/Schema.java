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
final class Schema {

    /** The module of an FTS3/4/5 table's CREATE VIRTUAL TABLE statement. */
    private static final Pattern FTS = Pattern.compile("\\bUSING\\s+fts[345]\\b", Pattern.CASE_INSENSITIVE);

    private Schema() {
    }

    /** Tables by name, in name order, that {@code wanted} accepts. */
    static Map<String, TableInfo> read(Connection c, Predicate<String> wanted) throws SQLException {
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
            return new TableInfo(table, columns, List.of(rowid), true, fts);
        }
        boolean integerKey = key.size() == 1 && "INTEGER".equalsIgnoreCase(typeByColumn.get(key.get(0)));
        return new TableInfo(table, columns, key, integerKey);
    }
}

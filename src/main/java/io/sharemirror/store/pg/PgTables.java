package io.sharemirror.store.pg;

import io.sharemirror.store.Schema;
import io.sharemirror.store.TableInfo;
import io.sharemirror.store.UniqueIndex;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The mirrored tables of a PostgreSQL hub. What a table is comes from its SQLite definition in {@code _sm_schema},
 * read by SQLite itself: its CREATE TABLE and CREATE INDEX statements are run in an in-memory SQLite and described
 * there by {@link Schema#read}, the one parser the file hub uses too. The PostgreSQL type of each column comes from
 * {@code _sm_columns}, the only truth readers use.
 */
public final class PgTables {

    private PgTables() {
    }

    /** The tables {@code wanted} accepts, by name. */
    public static Map<String, PgTable> read(Connection hub, Predicate<String> wanted) throws SQLException {
        Map<String, Map<String, PgType>> types = columnTypes(hub);
        Map<String, PgTable> tables = new TreeMap<>();
        try (Connection sqlite = DriverManager.getConnection("jdbc:sqlite::memory:")) {
            define(hub, sqlite);
            for (TableInfo info : Schema.read(sqlite, wanted).values()) {
                tables.put(info.name(), new PgTable(info, typesOf(info, types.getOrDefault(info.name(), Map.of())),
                        uniques(sqlite, info)));
            }
        }
        return tables;
    }

    /** Runs every table's and index's SQLite definition from the hub in {@code sqlite}: tables first. */
    private static void define(Connection hub, Connection sqlite) throws SQLException {
        try (Statement s = hub.createStatement(); ResultSet r = s.executeQuery("SELECT name, sql FROM _sm_schema"
                + " WHERE type IN ('table', 'index') ORDER BY type = 'index', name");
             Statement create = sqlite.createStatement()) {
            while (r.next()) {
                try {
                    create.execute(r.getString(2));
                } catch (SQLException e) {
                    throw new SQLException("the hub's definition of " + r.getString(1) + " does not run in SQLite: "
                            + e.getMessage(), "XX000", e);
                }
            }
        }
    }

    /** PostgreSQL's type of each column, by table and PostgreSQL column name. */
    private static Map<String, Map<String, PgType>> columnTypes(Connection hub) throws SQLException {
        Map<String, Map<String, PgType>> types = new HashMap<>();
        try (Statement s = hub.createStatement();
             ResultSet r = s.executeQuery("SELECT tbl, col, pgtype FROM _sm_columns")) {
            while (r.next()) {
                types.computeIfAbsent(r.getString(1), t -> new HashMap<>()).put(r.getString(2),
                        PgType.valueOf(r.getString(3)));
            }
        }
        return types;
    }

    private static Map<String, PgType> typesOf(TableInfo info, Map<String, PgType> byPgColumn) throws SQLException {
        Map<String, PgType> types = new LinkedHashMap<>();
        for (String column : info.columns()) {
            String pg = info.keyless() && column.equals(info.keyColumns().get(0)) ? PgTable.ROWID : column;
            PgType type = byPgColumn.get(pg);
            if (type == null) {
                throw new SQLException("the hub's _sm_columns has no type for " + info.name() + "." + pg, "XX000");
            }
            types.put(column, type);
        }
        return types;
    }

    /** Each UNIQUE constraint's columns under the collations SQLite compares them with. */
    private static List<PgTable.UniqueColumns> uniques(Connection sqlite, TableInfo info) throws SQLException {
        List<PgTable.UniqueColumns> uniques = new ArrayList<>();
        try (PreparedStatement s = sqlite.prepareStatement(
                "SELECT name, coll FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno")) {
            for (UniqueIndex u : info.uniques()) {
                s.setString(1, u.name());
                List<String> columns = new ArrayList<>();
                List<String> collations = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        columns.add(r.getString(1));
                        collations.add(r.getString(2));
                    }
                }
                uniques.add(new PgTable.UniqueColumns(u, columns, collations));
            }
        }
        return uniques;
    }
}

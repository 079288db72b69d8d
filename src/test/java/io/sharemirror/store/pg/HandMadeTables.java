package io.sharemirror.store.pg;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * Hub tables made by hand for the core's tests, as the schema side will make them: the SQLite definition into
 * {@code _sm_schema}, the column types into {@code _sm_columns}, a PostgreSQL CREATE TABLE written by the test, then
 * {@link PgCatalog#installTable}.
 */
final class HandMadeTables {

    private HandMadeTables() {
    }

    /** @param types by PostgreSQL column name ({@code _sm_rowid} for a table without a key) */
    static PgTable create(Connection hub, String name, String sqliteCreate, String pgCreate, Map<String, PgType> types)
            throws SQLException {
        schemaRow(hub, "table", name, name, sqliteCreate);
        try (PreparedStatement s = hub.prepareStatement("INSERT INTO _sm_columns(tbl, col, pgtype) VALUES (?, ?, ?)")) {
            for (var type : types.entrySet()) {
                s.setString(1, name);
                s.setString(2, type.getKey());
                s.setString(3, type.getValue().name());
                s.executeUpdate();
            }
        }
        try (Statement s = hub.createStatement()) {
            s.execute(pgCreate);
            s.execute("UPDATE _sm_meta SET cookie = cookie + 1");
        }
        PgTable table = PgTables.read(hub, name::equals).get(name);
        PgCatalog.installTable(hub, table);
        return table;
    }

    /** A unique index of SQLite's definition, kept in {@code _sm_schema} as the schema side keeps it. */
    static void index(Connection hub, String name, String table, String sqliteCreate) throws SQLException {
        schemaRow(hub, "index", name, table, sqliteCreate);
    }

    /** {@code items(id INTEGER PRIMARY KEY, code TEXT UNIQUE, qty INTEGER)}, as the hub tests use it. */
    static PgTable items(Connection hub) throws SQLException {
        return create(hub, "items", "CREATE TABLE items(id INTEGER PRIMARY KEY, code TEXT UNIQUE, qty INTEGER)",
                "CREATE TABLE items(id bigint, code text, qty bigint)",
                Map.of("id", PgType.BIGINT, "code", PgType.TEXT, "qty", PgType.BIGINT));
    }

    private static void schemaRow(Connection hub, String type, String name, String table, String sql)
            throws SQLException {
        try (PreparedStatement s = hub.prepareStatement("INSERT INTO _sm_schema(type, name, tbl, sql)"
                + " VALUES (?, ?, ?, ?)")) {
            s.setString(1, type);
            s.setString(2, name);
            s.setString(3, table);
            s.setString(4, sql);
            s.executeUpdate();
        }
    }
}

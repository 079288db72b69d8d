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
        try (PreparedStatement s = hub.prepareStatement("INSERT INTO _sm_schema(type, name, tbl, sql)"
                + " VALUES ('table', ?, ?, ?)")) {
            s.setString(1, name);
            s.setString(2, name);
            s.setString(3, sqliteCreate);
            s.executeUpdate();
        }
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
        try (PreparedStatement s = hub.prepareStatement("INSERT INTO _sm_schema(type, name, tbl, sql)"
                + " VALUES ('index', ?, ?, ?)")) {
            s.setString(1, name);
            s.setString(2, table);
            s.setString(3, sqliteCreate);
            s.executeUpdate();
        }
    }
}

package io.sharemirror.store.pg;

import io.sharemirror.store.TableInfo;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The mirrored tables of a PostgreSQL hub: {@code _sm_schema}'s read by SQLite, with {@code _sm_columns}' types.
 *
 * <p>MERGE: a stand-in for the core's {@code PgTables} (branch pgcore), replaced by it whole; the core's may build its
 * in-memory SQLite with {@link PgSchemaModel}.
 */
public final class PgTables {

    private PgTables() {
    }

    /** Every mirrored table by name. */
    public static Map<String, PgTable> read(Connection pg) throws SQLException {
        Map<String, TableInfo> infos;
        try (PgSchemaModel model = PgSchemaModel.read(pg)) {
            infos = model.tables();
        }
        Map<String, Map<String, PgType>> types = new HashMap<>();
        try (Statement s = pg.createStatement();
             ResultSet r = s.executeQuery("SELECT tbl, col, pgtype FROM _sm_columns")) {
            while (r.next()) {
                types.computeIfAbsent(r.getString(1), t -> new HashMap<>())
                        .put(r.getString(2), PgType.valueOf(r.getString(3)));
            }
        }
        Map<String, PgTable> tables = new TreeMap<>();
        infos.forEach((name, info) -> tables.put(name, new PgTable(info, types.getOrDefault(name, Map.of()))));
        return tables;
    }
}

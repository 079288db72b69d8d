package io.sharemirror.store.pg;

import io.sharemirror.store.TableInfo;
import io.sharemirror.store.UniqueIndex;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The mirrored tables of a PostgreSQL hub: {@code _sm_schema}'s read by SQLite, with {@code _sm_columns}' types.
 *
 * <p>MERGE: a stand-in with the signature of the core's {@code PgTables} (branch pgcore), replaced by it whole.
 */
public final class PgTables {

    private PgTables() {
    }

    /** The tables {@code wanted} accepts, by name. */
    public static Map<String, PgTable> read(Connection hub, Predicate<String> wanted) throws SQLException {
        Map<String, Map<String, PgType>> types = new HashMap<>();
        try (Statement s = hub.createStatement();
             ResultSet r = s.executeQuery("SELECT tbl, col, pgtype FROM _sm_columns")) {
            while (r.next()) {
                types.computeIfAbsent(r.getString(1), t -> new HashMap<>())
                        .put(r.getString(2), PgType.valueOf(r.getString(3)));
            }
        }
        Map<String, PgTable> tables = new TreeMap<>();
        try (PgSchemaModel model = PgSchemaModel.read(hub)) {
            for (TableInfo info : model.tables().values()) {
                if (wanted.test(info.name())) {
                    Map<String, PgType> byColumn = new HashMap<>();
                    Map<String, PgType> byPgColumn = types.getOrDefault(info.name(), Map.of());
                    PgTable untyped = new PgTable(info, Map.of(), List.of());
                    info.columns().forEach(c -> byColumn.put(c, byPgColumn.get(untyped.column(c))));
                    tables.put(info.name(), new PgTable(info, byColumn, uniques(model.sqlite(), info)));
                }
            }
        }
        return tables;
    }

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

package io.sharemirror.store.pg;

import io.sharemirror.store.Schema;
import io.sharemirror.store.SchemaObjects;
import io.sharemirror.store.TableInfo;
import io.sharemirror.sync.SchemaObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An SQLite database's application tables with their rows, its other objects (as SQLite text in {@code _sm_schema}) and
 * its schema number, onto a PostgreSQL hub, and the check that the hub holds exactly them: {@code move-hub}'s copy.
 * Each column's type is chosen from the values present ({@link PgTableDdl}); each value travels exactly
 * ({@link SqliteExact}, {@link WholeTable}). Runs in the caller's transaction on PostgreSQL, as an agent writes, so the
 * capture of direct writers logs none of it. A table phase 1 cannot carry is refused ({@link PgTableRefused}) before
 * anything is committed. Tables are read whole into memory, one at a time.
 */
final class PgTablesCopy {

    /** How many tables and rows. */
    record Figures(int tables, long rows) {
    }

    private PgTablesCopy() {
    }

    static Figures copy(Connection sqlite, Connection pg) throws SQLException {
        long rows = 0;
        Map<String, TableInfo> tables = Schema.read(sqlite, n -> true);
        try (Statement s = pg.createStatement()) {
            s.execute("SELECT set_config('sharemirror.node', 'move-hub', true)"); // until the transaction ends
        }
        for (TableInfo t : tables.values()) {
            List<List<SqliteValue>> values = SqliteExact.rows(sqlite, t);
            Map<String, List<SqliteValue>> present = new LinkedHashMap<>();
            for (int i = 0; i < t.columns().size(); i++) {
                present.put(t.columns().get(i), SqliteExact.column(values, i));
            }
            WholeTable.write(pg, PgTableDdl.of(sqlite, t.name(), present).create(pg), values);
            rows += values.size();
        }
        try (PreparedStatement s = pg.prepareStatement("INSERT INTO _sm_schema(type, name, tbl, sql)"
                + " VALUES(?, ?, ?, ?)")) {
            for (SchemaObject d : SchemaObjects.read(sqlite, n -> true).values()) {
                if (!d.isTable()) {
                    s.setString(1, d.type());
                    s.setString(2, d.name());
                    s.setString(3, d.table());
                    s.setString(4, d.sql());
                    s.executeUpdate();
                }
            }
        }
        try (Statement s = sqlite.createStatement(); var r = s.executeQuery("PRAGMA user_version");
             Statement p = pg.createStatement()) {
            p.execute("UPDATE _sm_meta SET user_version = " + r.getLong(1));
        }
        return new Figures(tables.size(), rows);
    }

    /**
     * Reads every table back from the hub and compares its rows, value by value, with the file's.
     *
     * @throws SQLException naming the first table whose rows differ
     */
    static Figures verify(Connection sqlite, Connection pg) throws SQLException {
        long rows = 0;
        Map<String, TableInfo> tables = Schema.read(sqlite, n -> true);
        Map<String, PgTable> onHub = PgTables.read(pg, tables::containsKey);
        for (TableInfo t : tables.values()) {
            PgTable hub = onHub.get(t.name());
            if (hub == null) {
                throw new SQLException("table " + t.name() + " is missing on the PostgreSQL hub");
            }
            Map<List<SqliteValue>, Integer> unmatched = new HashMap<>();
            List<List<SqliteValue>> values = SqliteExact.rows(sqlite, t);
            values.forEach(row -> unmatched.merge(row, 1, Integer::sum));
            WholeTable.read(pg, hub, row -> {
                if (unmatched.merge(row, -1, Integer::sum) < 0) {
                    throw new SQLException("table " + t.name() + " on the PostgreSQL hub holds a row the file does"
                            + " not: " + row);
                }
            });
            unmatched.values().removeIf(n -> n == 0);
            if (!unmatched.isEmpty()) {
                throw new SQLException("table " + t.name() + " on the PostgreSQL hub lacks " + unmatched.size()
                        + " of the file's rows, e.g. " + unmatched.keySet().iterator().next());
            }
            rows += values.size();
        }
        return new Figures(tables.size(), rows);
    }
}

package io.sharemirror.store.pg;

import io.sharemirror.store.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Every row of a hub table at once, each value exact through {@link PgValues}: what a rebuild copies and a snapshot
 * writes. Rows come in {@link io.sharemirror.store.TableInfo#columns()} order.
 */
final class WholeTable {

    /** Rows read in batches of this many, so a large table never sits in memory whole. */
    private static final int FETCH = 1_000;

    /** Hears each row. */
    interface Rows {
        void row(List<SqliteValue> values) throws SQLException;
    }

    private WholeTable() {
    }

    /** Reads every row; inside a transaction the driver fetches them in batches. */
    static void read(Connection pg, PgTable t, Rows rows) throws SQLException {
        List<String> columns = t.info().columns();
        try (PreparedStatement s = pg.prepareStatement("SELECT " + Sql.idents(columns.stream().map(t::column)
                .toList()) + " FROM " + Sql.ident(t.name()))) {
            s.setFetchSize(FETCH);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    List<SqliteValue> row = new ArrayList<>(columns.size());
                    for (int i = 0; i < columns.size(); i++) {
                        row.add(PgValues.read(r, i + 1, t.type(columns.get(i))));
                    }
                    rows.row(row);
                }
            }
        }
    }

    /** Inserts rows; a value a column's type cannot carry is refused ({@link PgValueRefused}). */
    static void write(Connection pg, PgTable t, Iterable<List<SqliteValue>> rows) throws SQLException {
        List<String> columns = t.info().columns();
        try (PreparedStatement s = pg.prepareStatement("INSERT INTO " + Sql.ident(t.name()) + "("
                + Sql.idents(columns.stream().map(t::column).toList()) + ") VALUES("
                + String.join(",", Collections.nCopies(columns.size(), "?")) + ")")) {
            int batched = 0;
            for (List<SqliteValue> row : rows) {
                for (int i = 0; i < columns.size(); i++) {
                    PgValues.bind(s, i + 1, t.name() + "." + columns.get(i), t.type(columns.get(i)), row.get(i));
                }
                s.addBatch();
                if (++batched % FETCH == 0) {
                    s.executeBatch();
                }
            }
            s.executeBatch();
        }
    }
}

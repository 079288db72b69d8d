package io.sharemirror.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** One value read with one statement: a PRAGMA, a count, a column of a one-row table. */
final class SingleValue {

    private SingleValue() {
    }

    /** The first column of the first row, as text; null when there is no row. */
    static String of(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            return r.next() ? r.getString(1) : null;
        }
    }
}

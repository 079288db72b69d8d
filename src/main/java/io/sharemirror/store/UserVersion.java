package io.sharemirror.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The application's own schema number, {@code PRAGMA user_version}: a 32-bit integer in the database file's header that
 * applications counting their migrations read at start-up and set with each one. No table holds it and no trigger
 * sees it change, so the schema check carries it (ARCHITECTURE.md#schema-changes).
 */
public final class UserVersion {

    private UserVersion() {
    }

    static long of(Connection c) throws SQLException {
        return Long.parseLong(SingleValue.of(c, "PRAGMA user_version"));
    }

    /** In the caller's transaction: SQLite writes the header when it commits. */
    public static void set(Connection c, long number) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA user_version = " + number);
        }
    }
}

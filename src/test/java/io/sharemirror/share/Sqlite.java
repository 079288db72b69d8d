package io.sharemirror.share;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** SQLite as the share tests drive it from Java: statements that never wait for a lock, and how they fail. */
final class Sqlite {

    // Primary result codes, as sqlite-jdbc's getErrorCode() reports them
    static final int BUSY = 5;
    static final int IOERR = 10;
    static final int CORRUPT = 11;
    static final int FULL = 13;
    static final int CANTOPEN = 14;

    private Sqlite() {
    }

    /** Runs {@code sql} on a new connection that fails at once on a lock (sqlite-jdbc would wait 3 s). */
    static void executeNow(Path db, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = 0");
            s.execute(sql);
        }
    }

    /** Asserts that {@link #executeNow} fails and returns SQLite's primary error code. */
    static int errorOf(Path db, String sql) {
        return assertThrows(SQLException.class, () -> executeNow(db, sql)).getErrorCode();
    }
}

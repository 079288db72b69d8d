package io.sharemirror.store.pg;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One transaction on the hub's connection at a chosen isolation level, committed when the work returns and rolled back
 * when it fails; the connection is left in the commit mode it had (the core's hub keeps auto-commit off).
 */
final class PgTransaction {

    /** SQL's isolation levels as SET TRANSACTION names them. */
    static final String SNAPSHOT = "REPEATABLE READ, READ ONLY";
    static final String READ_COMMITTED = "READ COMMITTED";

    /** The work of one transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run() throws SQLException;
    }

    private PgTransaction() {
    }

    static <T> T run(Connection pg, String isolation, Work<T> work) throws SQLException {
        boolean autoCommit = pg.getAutoCommit();
        pg.setAutoCommit(false);
        try {
            try (Statement s = pg.createStatement()) {
                s.execute("SET TRANSACTION ISOLATION LEVEL " + isolation);
            }
            T result = work.run();
            pg.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                pg.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback); // the connection is likely gone: the first error says why
            }
            throw e;
        } finally {
            pg.setAutoCommit(autoCommit);
        }
    }
}

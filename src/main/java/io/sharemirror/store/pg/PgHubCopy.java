package io.sharemirror.store.pg;

import io.sharemirror.store.HubCopy;
import io.sharemirror.sync.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Consumer;
import org.sqlite.SQLiteException;

/**
 * A file hub copied into a PostgreSQL database for {@code move-hub} (ARCHITECTURE.md#moving-a-hub): ShareMirror's own
 * objects ({@link PgCatalog}), the application's tables with their rows, and the log with its numbers
 * ({@link PgLogCopy}), all in one PostgreSQL transaction that {@link #commit()} ends.
 *
 * <p>Phase 1 of the merge: the tables are not copied yet. That part belongs with {@code PgTableDdl} (branch
 * {@code pgschema}); until it is here, a file with application tables is refused before anything is written.
 */
public final class PgHubCopy implements HubCopy {

    private final Connection pg;
    private final String where;

    /** Takes over {@code pg}, an open connection to the new hub's database (PgConnector), and closes it. */
    public PgHubCopy(Connection pg, String where) {
        this.pg = pg;
        this.where = where;
    }

    @Override
    public Report copy(Connection file, Consumer<String> progress) throws SQLException {
        return onPg("copying the hub into " + where, () -> {
            pg.setAutoCommit(false);
            PgCatalog.install(pg);
            int tables = applicationTables(file);
            if (tables > 0) {
                throw new SQLException("copying the application's tables into PostgreSQL is not in this build yet ("
                        + tables + " to copy)", "0A000");
            }
            PgLogCopy.Log log = PgLogCopy.copy(file, pg);
            progress.accept("copied " + log.entries() + " log entries into " + where + " (numbers up to " + log.head()
                    + " kept; the new hub numbers on after them)");
            return new Report(tables, 0, log.entries(), log.head());
        });
    }

    @Override
    public Report verify(Connection file, Consumer<String> progress) throws SQLException {
        return onPg("checking the copy in " + where, () -> {
            PgLogCopy.Log log = PgLogCopy.verify(file, pg);
            progress.accept("checked " + log.entries() + " log entries in " + where);
            return new Report(applicationTables(file), 0, log.entries(), log.head());
        });
    }

    @Override
    public void commit() {
        try {
            pg.commit();
        } catch (SQLException e) {
            throw PgErrors.classify("committing the copy in " + where, e);
        }
    }

    @Override
    public void close() {
        try {
            if (!pg.getAutoCommit()) {
                pg.rollback();
            }
        } catch (SQLException e) {
            // closing drops the transaction anyway
        }
        try {
            pg.close();
        } catch (SQLException e) {
            // nothing is left to release
        }
    }

    private static int applicationTables(Connection file) throws SQLException {
        try (Statement s = file.createStatement();
             var r = s.executeQuery("SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                     + " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE '\\_sm\\_%' ESCAPE '\\'")) {
            r.next();
            return r.getInt(1);
        }
    }

    /** PostgreSQL's failures classified as the new hub's; the file's ({@link SQLiteException}) go to the caller. */
    private <T> T onPg(String what, Work<T> work) throws SQLException {
        try {
            return work.run();
        } catch (SQLiteException e) {
            throw e;
        } catch (SQLException e) {
            throw PgErrors.classify(what, e);
        }
    }

    @FunctionalInterface
    private interface Work<T> {
        T run() throws SQLException;
    }
}

package io.sharemirror.store.pg;

import io.sharemirror.store.HubCopy;
import io.sharemirror.sync.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Consumer;
import org.sqlite.SQLiteException;

/**
 * A file hub copied into a PostgreSQL database for {@code move-hub} (ARCHITECTURE.md#moving-a-hub): ShareMirror's own
 * objects ({@link PgCatalog}), the application's tables with their rows and other objects ({@link PgTablesCopy}), and
 * the log with its numbers ({@link PgLogCopy}), all in one PostgreSQL transaction that {@link #commit()} ends.
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
            PgTablesCopy.Figures tables = PgTablesCopy.copy(file, pg);
            progress.accept("copied " + tables.tables() + " tables with " + tables.rows() + " rows into " + where);
            PgLogCopy.Log log = PgLogCopy.copy(file, pg);
            progress.accept("copied " + log.entries() + " log entries (numbers up to " + log.head() + " kept; the new"
                    + " hub numbers on after them)");
            return new Report(tables.tables(), tables.rows(), log.entries(), log.head());
        });
    }

    @Override
    public Report verify(Connection file, Consumer<String> progress) throws SQLException {
        return onPg("checking the copy in " + where, () -> {
            PgTablesCopy.Figures tables = PgTablesCopy.verify(file, pg);
            PgLogCopy.Log log = PgLogCopy.verify(file, pg);
            progress.accept("read back and compared " + tables.rows() + " rows of " + tables.tables() + " tables and "
                    + log.entries() + " log entries: the same as the file's");
            return new Report(tables.tables(), tables.rows(), log.entries(), log.head());
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

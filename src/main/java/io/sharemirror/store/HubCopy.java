package io.sharemirror.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Consumer;

/**
 * A file hub copied into a hub of another kind, for {@link HubMove}: what it needs of the new hub's side. The file is
 * read through the connection {@link HubMove} holds the file's write lock on, so it cannot change under the copy.
 * Everything written goes into one transaction on the new hub, left open until {@link #commit()}; closing without it
 * leaves the new hub as it was.
 *
 * <p>The copy's rule for the log (ARCHITECTURE.md#moving-a-hub): every {@code _sm_log} entry keeps its number, and the
 * new hub numbers on after the file's highest (its AUTOINCREMENT mark, which pruning never lowers), so a replica's
 * cursor means the same on both hubs; what pruning removed is recorded as removed.
 *
 * <p>Failures of the new hub are {@link io.sharemirror.sync.StoreException}s; an {@link SQLException} is the file's.
 */
public interface HubCopy extends AutoCloseable {

    /** What was copied, or read back: equal when the copy is whole. */
    record Report(int tables, long rows, long logEntries, long logHead) {
    }

    /** Copies the application's tables with their rows and the log; {@code progress} hears a line per step. */
    Report copy(Connection fileHub, Consumer<String> progress) throws SQLException;

    /**
     * Reads every row and log entry back from the new hub, in the copy's transaction, and compares each with the
     * file's.
     *
     * @throws io.sharemirror.sync.StoreException naming the first difference
     */
    Report verify(Connection fileHub, Consumer<String> progress) throws SQLException;

    /** Makes the copy durable and visible on the new hub. */
    void commit();

    /** Rolls back whatever was not committed, and lets go of the new hub. */
    @Override
    void close();
}

package io.sharemirror.store;

import io.sharemirror.sync.Hub;
import io.sharemirror.sync.LocalChange;
import io.sharemirror.sync.PushTransaction;
import io.sharemirror.sync.Retry;
import io.sharemirror.sync.StoreException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The hub over one kept-open connection in auto-commit mode: reads use short explicit read
 * transactions, pushes an explicit {@code BEGIN IMMEDIATE ... COMMIT} (DESIGN.md §6).
 */
final class SqliteHub extends HubReads implements Hub {

    private final Retry retry;

    SqliteHub(RowIo rows, Retry retry, String location) {
        super(rows, location);
        this.retry = retry;
    }

    RowIo rows() {
        return rows;
    }

    @Override
    public PushTransaction beginPush() {
        try {
            execute("BEGIN IMMEDIATE");
        } catch (SQLException e) {
            throw SqliteErrors.classify("taking the hub's write lock on " + location, e);
        }
        return new Push();
    }

    /**
     * {@code PRAGMA data_version} on this kept-open connection. At the start of every read transaction SQLite reads the
     * file change counter in the database header (offset 24, bumped by every commit in rollback-journal mode) to learn
     * whether its page cache is still valid, and this number moves when a commit by another connection, in any
     * process, invalidated it. Its cost when nothing changed is what read-write mode's idle check costs: strace shows
     * 4 fcntl lock calls, a stat of the -journal, one 16-byte pread at offset 24 and an fstat; no page is read
     * (ReadOnlyMirrorTest prints the time, about 15 us on a local disk). The alternatives read the counter no better:
     * sqlite-jdbc is built without sqlite_dbpage, dbstat reads every page, schema_version moves only on schema changes,
     * and opening the file ourselves is ruled out (DESIGN.md §6).
     */
    @Override
    public long version() {
        try (Statement s = rows.connection().createStatement(); var r = s.executeQuery("PRAGMA data_version")) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            throw SqliteErrors.classify("checking " + location + " for changes", e);
        }
    }

    /** Outside a push each read is one read transaction, so the log and the rows it names are one snapshot. */
    @Override
    <T> T run(SqlWork<T> work) throws SQLException {
        try {
            execute("BEGIN");
            try {
                return work.run();
            } finally {
                execute("COMMIT");
            }
        } catch (SQLException e) {
            rollbackQuietly();
            throw e;
        }
    }

    private void execute(String sql) throws SQLException {
        try (Statement s = rows.connection().createStatement()) {
            s.execute(sql);
        }
    }

    private void rollbackQuietly() {
        try {
            execute("ROLLBACK");
        } catch (SQLException ignored) {
            // no transaction was open, or the connection is gone; the caller reports the first error
        }
    }

    /** The open write transaction; the agent's own writes are not logged by the hub triggers. */
    private final class Push extends HubReads implements PushTransaction {

        private boolean done;

        Push() {
            super(SqliteHub.this.rows, SqliteHub.this.location);
            try {
                execute("UPDATE _sm_ctx SET applying = 1");
            } catch (SQLException e) {
                close();
                throw SqliteErrors.classify("starting a push on " + location, e);
            }
        }

        @Override
        public List<LocalChange> write(List<LocalChange> changes, String node, long cursor) {
            return within("writing " + changes.size() + " rows to the hub", () -> {
                PreparedStatement log = rows.statement(
                        "INSERT INTO _sm_log(tbl, pk, op, origin, ts) VALUES(?, ?, ?, ?, ?)");
                List<LocalChange> written = new ArrayList<>(changes.size());
                for (LocalChange c : changes) {
                    if (rows.table(c.key().table()) == null) {
                        continue; // reported by the schema check; the row waits for the table to return
                    }
                    written.add(c);
                    if (c.row() == null) {
                        rows.delete(c.key());
                    } else {
                        rows.upsert(c.key(), c.row());
                        if (c.replaced() != 0) {
                            // The hub's row was deleted here before the new one took its key: others must see both.
                            log(log, c, node, "D", c.replaced());
                        }
                    }
                    log(log, c, node, c.row() == null ? "D" : c.inserted() ? "I" : "U", c.ts());
                }
                PreparedStatement seen = rows.statement("INSERT INTO _sm_nodes(node, last_seq, last_seen)"
                        + " VALUES(?, ?, ?) ON CONFLICT(node) DO UPDATE SET last_seq = excluded.last_seq,"
                        + " last_seen = excluded.last_seen");
                seen.setString(1, node);
                seen.setLong(2, cursor);
                seen.setLong(3, System.currentTimeMillis());
                seen.executeUpdate();
                return written;
            });
        }

        private void log(PreparedStatement log, LocalChange c, String node, String op, long ts) throws SQLException {
            log.setString(1, c.key().table());
            log.setString(2, c.key().pk());
            log.setString(3, op);
            log.setString(4, node);
            log.setLong(5, ts);
            log.executeUpdate();
        }

        @Override
        public int prune(Instant olderThan, Instant activeSince) {
            return within("pruning the hub's log", () -> {
                PreparedStatement s = rows.statement("DELETE FROM _sm_log WHERE ts < ? AND seq < (SELECT max(seq)"
                        + " FROM _sm_log) AND seq <= (SELECT coalesce(min(last_seq), 0) FROM _sm_nodes"
                        + " WHERE last_seen >= ?)");
                s.setLong(1, olderThan.toEpochMilli());
                s.setLong(2, activeSince.toEpochMilli());
                return s.executeUpdate();
            });
        }

        @Override
        public void commit() {
            try {
                execute("UPDATE _sm_ctx SET applying = 0");
            } catch (SQLException e) {
                throw SqliteErrors.classify("finishing the push on " + location, e);
            }
            // COMMIT can be BUSY while a reader holds a shared lock; the transaction stays open, so retry it.
            // If it stays busy, roll back explicitly and fail the cycle without another round of push retries,
            // which would multiply the attempts (and the time the share's write lock is held).
            try {
                retry.onBusy(() -> {
                    try {
                        execute("COMMIT");
                    } catch (SQLException e) {
                        throw SqliteErrors.classify("committing the push to " + location, e);
                    }
                });
            } catch (StoreException e) {
                close();
                if (e.kind() != StoreException.Kind.BUSY) {
                    throw e;
                }
                throw new StoreException(StoreException.Kind.FAILED, "the hub " + location + " stayed locked by a"
                        + " reader through every COMMIT attempt; the push was rolled back", "another program keeps"
                        + " the database open in a long read; the writes stay queued and go with the next cycle", e);
            }
            done = true;
        }

        @Override
        public void close() {
            if (!done) {
                done = true;
                rollbackQuietly();
            }
        }

        /** Inside the push, reads see the open write transaction. */
        @Override
        <T> T run(SqlWork<T> work) throws SQLException {
            return work.run();
        }
    }

    Map<String, TableInfo> tables() {
        return rows.tables();
    }
}

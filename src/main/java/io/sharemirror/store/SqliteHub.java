package io.sharemirror.store;

import io.sharemirror.sync.Hub;
import io.sharemirror.sync.HubProbe;
import io.sharemirror.sync.Key;
import io.sharemirror.sync.LocalChange;
import io.sharemirror.sync.PushTransaction;
import io.sharemirror.sync.RemoteChange;
import io.sharemirror.sync.Retry;
import io.sharemirror.sync.StoreException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The hub over one kept-open connection in auto-commit mode: reads use short explicit read
 * transactions, pushes an explicit {@code BEGIN IMMEDIATE ... COMMIT} (DESIGN.md §6).
 */
final class SqliteHub implements Hub {

    private final RowIo rows;
    private final Retry retry;
    private final String location;

    SqliteHub(RowIo rows, Retry retry, String location) {
        this.rows = rows;
        this.retry = retry;
        this.location = location;
    }

    RowIo rows() {
        return rows;
    }

    @Override
    public HubProbe probe() {
        return inRead("checking the hub for changes", this::probeNow);
    }

    @Override
    public List<RemoteChange> changes(long after, long upTo, String exceptOrigin) {
        return inRead("reading changes from the hub", () -> changesNow(after, upTo, exceptOrigin));
    }

    @Override
    public long nextKey(String table) {
        return inRead("reading the hub's largest key", () -> rows.nextKey(table));
    }

    @Override
    public OptionalLong pushed(Key key, String origin, long after) {
        return inRead("reading the hub's log", () -> pushedNow(key, origin, after));
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

    private HubProbe probeNow() throws SQLException {
        try (Statement s = rows.connection().createStatement();
             ResultSet r = s.executeQuery("SELECT (SELECT coalesce(max(seq), 0) FROM _sm_log),"
                     + " (SELECT schema_version FROM pragma_schema_version)")) {
            r.next();
            return new HubProbe(r.getLong(1), r.getLong(2));
        }
    }

    private List<RemoteChange> changesNow(long after, long upTo, String exceptOrigin) throws SQLException {
        // The newest entry per key decides; a key whose newest entry is our own has nothing new for us. The keys are
        // those logged in (after, upTo], but their newest entry is taken from the whole log in this snapshot: the row
        // read below is the current one, and its change time must come with it (it raises the replica's clock), even
        // when a push landed after the caller's probe or past the window.
        PreparedStatement s = rows.statement("SELECT l.tbl, l.pk, l.seq, l.ts, l.origin FROM _sm_log l JOIN"
                + " (SELECT max(seq) AS seq FROM _sm_log WHERE seq > ?1 GROUP BY tbl, pk HAVING min(seq) <= ?2) n"
                + " ON l.seq = n.seq WHERE l.origin IS NULL OR l.origin <> ?3 ORDER BY l.seq");
        s.setLong(1, after);
        s.setLong(2, upTo);
        s.setString(3, exceptOrigin);
        List<RemoteChange> changes = new ArrayList<>();
        List<Object[]> entries = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                entries.add(new Object[] {r.getString(1), r.getString(2), r.getLong(3), r.getLong(4), r.getString(5)});
            }
        }
        for (Object[] e : entries) {
            Key key = new Key((String) e[0], (String) e[1]);
            String origin = e[4] == null ? "" : (String) e[4];
            changes.add(new RemoteChange(key, (Long) e[2], (Long) e[3], origin, rows.read(key)));
        }
        return changes;
    }

    private OptionalLong pushedNow(Key key, String origin, long after) throws SQLException {
        PreparedStatement s = rows.statement("SELECT ts FROM _sm_log WHERE seq > ? AND origin = ? AND tbl = ? AND pk = ?"
                + " ORDER BY seq DESC LIMIT 1");
        s.setLong(1, after);
        s.setString(2, origin);
        s.setString(3, key.table());
        s.setString(4, key.pk());
        try (ResultSet r = s.executeQuery()) {
            return r.next() ? OptionalLong.of(r.getLong(1)) : OptionalLong.empty();
        }
    }

    /** Runs a read in one read transaction, so the log and the rows it names are one snapshot. */
    private <T> T inRead(String what, SqlWork<T> work) {
        try {
            execute("BEGIN");
            try {
                return work.run();
            } finally {
                execute("COMMIT");
            }
        } catch (SQLException e) {
            rollbackQuietly();
            throw SqliteErrors.classify(what + " (" + location + ")", e);
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

    @FunctionalInterface
    interface SqlWork<T> {
        T run() throws SQLException;
    }

    /** The open write transaction; the agent's own writes are not logged by the hub triggers. */
    private final class Push implements PushTransaction {

        private boolean done;

        Push() {
            try {
                execute("UPDATE _sm_ctx SET applying = 1");
            } catch (SQLException e) {
                close();
                throw SqliteErrors.classify("starting a push on " + location, e);
            }
        }

        @Override
        public HubProbe probe() {
            return inTransaction("checking the hub inside the push", SqliteHub.this::probeNow);
        }

        @Override
        public List<RemoteChange> changes(long after, long upTo, String exceptOrigin) {
            return inTransaction("reading changes inside the push", () -> changesNow(after, upTo, exceptOrigin));
        }

        @Override
        public long nextKey(String table) {
            return inTransaction("reading the hub's largest key", () -> rows.nextKey(table));
        }

        @Override
        public OptionalLong pushed(Key key, String origin, long after) {
            return inTransaction("reading the hub's log", () -> pushedNow(key, origin, after));
        }

        @Override
        public List<LocalChange> write(List<LocalChange> changes, String node, long cursor) {
            return inTransaction("writing " + changes.size() + " rows to the hub", () -> {
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
                    }
                    log.setString(1, c.key().table());
                    log.setString(2, c.key().pk());
                    log.setString(3, c.row() == null ? "D" : c.inserted() ? "I" : "U");
                    log.setString(4, node);
                    log.setLong(5, c.ts());
                    log.executeUpdate();
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

        private <T> T inTransaction(String what, SqlWork<T> work) {
            try {
                return work.run();
            } catch (SQLException e) {
                throw SqliteErrors.classify(what + " (" + location + ")", e);
            }
        }
    }

    Map<String, TableInfo> tables() {
        return rows.tables();
    }
}

package io.sharemirror.store;

import io.sharemirror.sync.Clash;
import io.sharemirror.sync.CloneProgress;
import io.sharemirror.sync.Hub;
import io.sharemirror.sync.HubSchema;
import io.sharemirror.sync.Key;
import io.sharemirror.sync.LocalChange;
import io.sharemirror.sync.PushTransaction;
import io.sharemirror.sync.Pushed;
import io.sharemirror.sync.Retry;
import io.sharemirror.sync.Row;
import io.sharemirror.sync.StoreException;
import io.sharemirror.sync.TableSnapshot;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The hub over one kept-open connection in auto-commit mode: reads use short explicit read
 * transactions, pushes an explicit {@code BEGIN IMMEDIATE ... COMMIT} (ARCHITECTURE.md#share-rules).
 */
final class SqliteHub extends HubReads implements Hub {

    private final Retry retry;
    private final ServerClock serverClock;
    private final BackupApi backup;
    private final Predicate<String> mirrored;
    private final String database;

    SqliteHub(RowIo rows, Retry retry, String location, ServerClock serverClock, BackupApi backup,
              Predicate<String> mirrored, String database) {
        super(rows, location);
        this.retry = retry;
        this.serverClock = serverClock;
        this.backup = backup;
        this.mirrored = mirrored;
        this.database = database;
    }

    RowIo rows() {
        return rows;
    }

    @Override
    public PushTransaction beginPush() {
        try {
            execute("BEGIN IMMEDIATE");
        } catch (SQLException e) {
            throw SqliteErrors.classifyHub("taking the hub's write lock on " + location, e);
        }
        return new Push();
    }

    /**
     * The tiny write that reads the file server's clock when no push did for a while (see {@link ServerClock}): one
     * hub transaction that sets {@code _sm_ctx.applying} as a push does, and back. The page must really change for
     * SQLite to journal it (it skips overwriting a row with the same bytes); the commit leaves the row as it was, and
     * no log entry is made, so other agents' pulls find nothing to do.
     */
    @Override
    public void readServerClock() {
        try {
            execute("BEGIN IMMEDIATE");
            serverClock.around(() -> {
                execute("UPDATE _sm_ctx SET applying = 1");
                return null;
            });
            execute("UPDATE _sm_ctx SET applying = 0");
            execute("COMMIT");
        } catch (SQLException e) {
            RowIo.rollbackQuietly(rows.connection());
            throw SqliteErrors.classifyHub("reading the file server's clock on " + location, e);
        }
    }

    /**
     * {@code PRAGMA data_version} on this kept-open connection. At the start of every read transaction SQLite reads the
     * file change counter in the database header (offset 24, bumped by every commit in rollback-journal mode) to learn
     * whether its page cache is still valid, and this number moves when a commit by another connection, in any
     * process, invalidated it. Its cost when nothing changed is what read-write mode's idle check costs: strace shows
     * 4 fcntl lock calls, a stat of the -journal, one 16-byte pread at offset 24 and an fstat; no page is read
     * (ReadOnlyMirrorTest prints the time, about 15 us on a local disk). The alternatives read the counter no better:
     * sqlite-jdbc is built without sqlite_dbpage, dbstat reads every page, schema_version moves only on schema changes,
     * and opening the file ourselves is ruled out (ARCHITECTURE.md#share-rules).
     */
    @Override
    public long version() {
        try (Statement s = rows.connection().createStatement(); var r = s.executeQuery("PRAGMA data_version")) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            throw SqliteErrors.classifyHub("checking " + location + " for changes", e);
        }
    }

    /** A file hub copies itself with the backup API: the file, its log and all, byte for byte. */
    @Override
    public long snapshotInto(Path target, CloneProgress progress) {
        try {
            return backup.snapshot(rows.connection(), location, target, progress);
        } catch (SQLException e) {
            throw SqliteErrors.classify("cloning " + location + " into " + target, e);
        } catch (IOException e) {
            throw SqliteErrors.classify("cloning " + location + " into " + target, e);
        }
    }

    @Override
    public HubSchema schema() {
        return new SqliteHubSchema(this, mirrored, database, retry);
    }

    /** Outside a push each read is one read transaction, so the log and the rows it names are one snapshot. */
    @Override
    <T> T run(SqlWork<T> work) throws SQLException {
        try {
            execute("BEGIN");
            T result = work.run();
            execute("COMMIT");
            return result;
        } catch (SQLException | RuntimeException e) {
            // Not COMMIT: after an I/O error SQLite may have ended the transaction itself, and "cannot commit - no
            // transaction is active" would hide the error that tells what happened.
            RowIo.rollbackQuietly(rows.connection());
            throw e;
        }
    }

    private void execute(String sql) throws SQLException {
        try (Statement s = rows.connection().createStatement()) {
            s.execute(sql);
        }
    }

    /**
     * Reads back, past this connection's page cache, which of the pushed versions are not on the hub as written: their
     * log entry by {@code node} after {@code after} is gone, or their row holds other values. Costs a read of the pages
     * the push wrote. A row changed since, by someone else or by a later push of the same node (another process on the
     * same replica), holds their newer write: not damage.
     */
    @Override
    public List<String> notLanded(List<LocalChange> pushed, String node, long after) {
        dropCache("reading back the push to " + location);
        return within("reading back the push to " + location, () -> {
            Map<Key, Long> logged = new HashMap<>();
            Set<Key> changedSince = new HashSet<>();
            PreparedStatement s = rows.statement("SELECT tbl, pk, ts, origin IS ? FROM _sm_log WHERE seq > ?");
            s.setString(1, node);
            s.setLong(2, after);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    Key key = new Key(r.getString(1), KeyText.read(r, 2));
                    if (r.getBoolean(4)) {
                        logged.put(key, r.getLong(3));
                    } else {
                        changedSince.add(key);
                    }
                }
            }
            List<String> wrong = new ArrayList<>();
            for (LocalChange c : pushed) {
                Long ts = logged.get(c.key());
                if (ts == null) {
                    wrong.add(c.key().table() + " " + c.key().pk() + ": its log entry is gone");
                } else if (ts <= c.ts() && !changedSince.contains(c.key()) && !landed(c.row(), rows.read(c.key()))) {
                    wrong.add(c.key().table() + " " + c.key().pk() + ": the hub holds another version");
                }
            }
            return wrong;
        });
    }

    @Override
    public Map<Long, String> logEntries(Set<Long> seqs, boolean fromFile) {
        if (seqs.isEmpty()) {
            return Map.of();
        }
        if (fromFile) {
            dropCache("reading the hub's log");
        }
        return within("reading the hub's log", () -> {
            PreparedStatement s = rows.statement("SELECT tbl, pk, op, origin FROM _sm_log WHERE seq = ?");
            Map<Long, String> entries = new HashMap<>();
            for (long seq : seqs) {
                s.setLong(1, seq);
                try (ResultSet r = s.executeQuery()) {
                    if (r.next()) {
                        entries.put(seq, r.getString(3) + " " + r.getString(1) + " " + r.getString(2) + " by "
                                + r.getString(4));
                    }
                }
            }
            return entries;
        });
    }

    /**
     * Drops every page this connection has cached, so that what follows reads the file. SQLite trusts its cache while
     * the file's change counter is unchanged, and two commits that the share's lying locks let overlap both write the
     * same counter value.
     */
    private void dropCache(String what) {
        try {
            execute("PRAGMA shrink_memory");
        } catch (SQLException e) {
            throw SqliteErrors.classifyHub(what + " on " + location, e);
        }
    }

    @Override
    public TableSnapshot tableSnapshot(String table, long after, Map<Key, Long> applied) {
        return within("comparing tables whose capture had stopped with the hub",
                () -> tableSnapshotNow(table, after, applied));
    }

    @Override
    public void reportDamage(String node, String what) {
        retry.onBusy(() -> {
            try {
                execute("BEGIN IMMEDIATE");
                try (PreparedStatement s = rows.connection().prepareStatement(
                        "INSERT INTO _sm_damage(at, node, what) VALUES(?, ?, ?)")) {
                    s.setLong(1, serverClock.now().toEpochMilli());
                    s.setString(2, node);
                    s.setString(3, what);
                    s.executeUpdate();
                }
                execute("COMMIT");
            } catch (SQLException e) {
                RowIo.rollbackQuietly(rows.connection());
                throw SqliteErrors.classifyHub("reporting the damage on " + location, e);
            }
        });
    }

    /** Whether the hub's row carries the pushed values, in the columns both have (null: the row is deleted). */
    private static boolean landed(Row pushed, Row onHub) {
        return pushed == null || onHub == null ? pushed == onHub : onHub.agreesWith(pushed);
    }

    /**
     * The open write transaction; the agent's own writes are not logged by the hub triggers, and the application's
     * deriving triggers on the tables it writes are suspended until just before COMMIT: what they derived on the
     * replica is pushed as rows too.
     */
    private final class Push extends HubReads implements PushTransaction {

        private boolean done;
        private final TriggerSuspension triggers = new TriggerSuspension(SqliteHub.this.rows.connection());

        Push() {
            super(SqliteHub.this.rows, SqliteHub.this.location);
            try {
                serverClock.around(() -> { // every push reads the file server's clock on the way
                    execute("UPDATE _sm_ctx SET applying = 1");
                    return null;
                });
            } catch (SQLException e) {
                close();
                throw SqliteErrors.classifyHub("starting a push on " + location, e);
            }
        }

        @Override
        public Pushed write(List<LocalChange> changes, String node, long cursor) {
            return within("writing " + changes.size() + " rows to the hub", () -> {
                triggers.suspend(changes.stream().map(c -> c.key().table()).collect(Collectors.toSet()));
                Map<Key, LocalChange> mirrored = new LinkedHashMap<>();
                Map<Key, Row> rowsByKey = new LinkedHashMap<>();
                for (LocalChange c : changes) {
                    if (rows.table(c.key().table()) != null) { // else reported by the schema check; it waits
                        mirrored.put(c.key(), c);
                        rowsByKey.put(c.key(), c.row());
                    }
                }
                WholeBatch batch = new WholeBatch(rows, rowsByKey);
                List<Clash> clashes = batch.write();
                PreparedStatement log = rows.statement(
                        "INSERT INTO _sm_log(tbl, pk, op, origin, ts, cols) VALUES(?, " + KeyText.PARAMETER
                                + ", ?, ?, ?, ?)");
                List<LocalChange> written = new ArrayList<>(changes.size());
                for (LocalChange c : mirrored.values()) {
                    if (!batch.placed().contains(c.key())) {
                        continue;
                    }
                    written.add(c);
                    if (c.row() != null && c.replaced() != 0) {
                        // The hub's row was deleted here before the new one took its key: others must see both.
                        log(log, c, node, "D", c.replaced(), null);
                    }
                    log(log, c, node, c.row() == null ? "D" : c.inserted() ? "I" : "U", c.ts(), c.editedColumns());
                }
                PreparedStatement seen = rows.statement("INSERT INTO _sm_nodes(node, last_seq, last_seen)"
                        + " VALUES(?, ?, ?) ON CONFLICT(node) DO UPDATE SET last_seq = excluded.last_seq,"
                        + " last_seen = excluded.last_seen");
                seen.setString(1, node);
                seen.setLong(2, cursor);
                seen.setLong(3, serverClock.now().toEpochMilli());
                seen.executeUpdate();
                return new Pushed(written, clashes);
            });
        }

        /** One log entry; {@code columns}: those an edit changed, null for the whole row. */
        private void log(PreparedStatement log, LocalChange c, String node, String op, long ts, Set<String> columns)
                throws SQLException {
            log.setString(1, c.key().table());
            KeyText.bind(log, 2, c.key().pk());
            log.setString(3, op);
            log.setString(4, node);
            log.setLong(5, ts);
            log.setString(6, ChangedColumns.json(columns));
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
                triggers.resume();
                execute("UPDATE _sm_ctx SET applying = 0");
            } catch (SQLException e) {
                throw SqliteErrors.classifyHub("finishing the push on " + location, e);
            }
            // COMMIT can be BUSY while a reader holds a shared lock; the transaction stays open, so retry it.
            // If it stays busy, roll back explicitly and fail the cycle without another round of push retries,
            // which would multiply the attempts (and the time the share's write lock is held).
            try {
                retry.onBusy(() -> {
                    try {
                        execute("COMMIT");
                    } catch (SQLException e) {
                        throw SqliteErrors.classifyHub("committing the push to " + location, e);
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
                RowIo.rollbackQuietly(rows.connection());
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

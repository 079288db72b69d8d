package io.sharemirror.store;

import io.sharemirror.sync.Clash;
import io.sharemirror.sync.Follower;
import io.sharemirror.sync.Journal;
import io.sharemirror.sync.Key;
import io.sharemirror.sync.LocalChange;
import io.sharemirror.sync.OwnPush;
import io.sharemirror.sync.Plan;
import io.sharemirror.sync.Replica;
import io.sharemirror.sync.Row;
import io.sharemirror.sync.SchemaMark;
import io.sharemirror.sync.StoreException;
import io.sharemirror.sync.Waiting;
import io.sharemirror.sync.WayOutPlanner;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The local replica: one writer connection for the agent's transactions, a pool for reads, and a
 * separate connection whose {@code PRAGMA data_version} tells when anyone else wrote.
 *
 * <p>Just over 400 lines because it implements the whole replica port (22 methods), each a short read or one local
 * transaction; its own notes in {@code _sm_state} are in {@link ReplicaState}. Narrowing the port would part the reads
 * and the writes.
 */
final class SqliteReplica implements Replica, AutoCloseable {

    private final RowIo writer;
    private final ReadPool readers;
    private final Connection watcher;
    private final String location;
    private final String node;
    private final AheadStamps aheadStamps;
    private final EagerLockWait lockWait;
    private final ReplicaState state = new ReplicaState(this);
    /** Set when SQLite called the file damaged; the store then checks it and, if so, replaces the replica. */
    private volatile boolean damaged;

    SqliteReplica(RowIo writer, ReadPool readers, Connection watcher, String location, AheadStamps aheadStamps) {
        this.writer = writer;
        this.aheadStamps = aheadStamps;
        this.readers = readers;
        this.watcher = watcher;
        this.location = location;
        this.node = stateColumn("node").toString();
        try {
            this.lockWait = EagerLockWait.install(writer.connection());
        } catch (SQLException e) {
            throw failed("setting how the agent waits for the lock of " + location, e);
        }
    }

    RowIo rows() {
        return writer;
    }

    /** The replica's own notes that are not rows: Clear Cache's block, the clock offset, the hub it last matched. */
    ReplicaState state() {
        return state;
    }

    ReadPool readers() {
        return readers;
    }

    @Override
    public String node() {
        return node;
    }

    @Override
    public long cursor() {
        return ((Number) stateColumn("cursor")).longValue();
    }

    @Override
    public Map<Key, Long> appliedPastCursor() {
        return read("reading the changes applied past the cursor", PulledPastCursor::all);
    }

    @Override
    public SchemaMark knownSchema() {
        // Before its first record no hub's number equals it: the next check is whole, and records it.
        Object number = stateColumn("agreed_user_version");
        return new SchemaMark(((Number) stateColumn("schema_version")).longValue(),
                number == null ? Long.MIN_VALUE : ((Number) number).longValue());
    }

    @Override
    public long pendingCount() {
        return scalar("counting pending writes", "SELECT count(*) FROM _sm_pending");
    }

    @Override
    public long newestPendingStamp() {
        return scalar("reading the newest pending write", "SELECT coalesce(max(ts), 0) FROM _sm_pending");
    }

    private long scalar(String what, String sql) {
        return read(what, c -> {
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
                r.next();
                return r.getLong(1);
            }
        });
    }

    /** Pending keys of one table. */
    long pendingCount(String table) {
        return read("counting pending writes", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM _sm_pending WHERE tbl = ?")) {
                s.setString(1, table);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    return r.getLong(1);
                }
            }
        });
    }

    @Override
    public long dataVersion() {
        return watch("PRAGMA data_version");
    }

    /**
     * The replica's schema cookie and schema number, read where {@link #dataVersion} is: they move with any DDL, and
     * any {@code PRAGMA user_version}, by any program.
     */
    SchemaMark schemaMark() {
        return new SchemaMark(watch("PRAGMA schema_version"), watch("PRAGMA user_version"));
    }

    private long watch(String pragma) {
        synchronized (watcher) {
            try (Statement s = watcher.createStatement(); ResultSet r = s.executeQuery(pragma)) {
                r.next();
                return r.getLong(1);
            } catch (SQLException e) {
                throw failed("watching " + location, e);
            }
        }
    }

    @Override
    public List<LocalChange> pending(int limit) {
        return read("reading pending writes", c -> PendingQueue.oldest(c, writer.tables(), limit));
    }

    /**
     * With {@code synchronous=NORMAL} (the agent's and the JDBC driver's setting) a WAL commit is durable only from the
     * next checkpoint on. One commit with {@code FULL} syncs the whole WAL file, and with it every earlier commit of
     * every connection; to sync at all it must write, so it ticks the replica's clock (a clock may always move on).
     */
    @Override
    public synchronized void makeDurable() {
        try (Statement s = writer.connection().createStatement()) {
            s.execute("PRAGMA synchronous = FULL");
            try {
                write("making the replica's commits durable", () -> writer.statement(
                        "UPDATE _sm_state SET clock = clock + 1").executeUpdate());
            } finally {
                s.execute("PRAGMA synchronous = NORMAL");
            }
        } catch (SQLException e) {
            throw SqliteErrors.classify("making " + location + " durable", e);
        }
    }

    @Override
    public synchronized BriefWaits briefWaits() {
        Duration usual = lockWait.limit(ConnectionFactory.HUB_BUSY_WAIT);
        return () -> lockWait.limit(usual);
    }

    @Override
    public Set<String> tables() {
        return writer.tables().keySet();
    }

    @Override
    public Map<Key, LocalChange> pendingFor(Collection<Key> keys) {
        return read("reading pending writes", c -> PendingQueue.of(c, writer.tables(), keys));
    }

    @Override
    public Map<Key, Row> rows(Collection<Key> keys) {
        return read("reading rows", c -> {
            RowIo rows = new RowIo(c, writer.tables());
            try {
                return rows.readAll(keys);
            } finally {
                rows.forgetStatements();
            }
        });
    }

    @Override
    public long nextKey(String table) {
        return read("reading the replica's largest key", c -> {
            RowIo rows = new RowIo(c, writer.tables());
            try {
                return rows.nextKey(table);
            } finally {
                rows.forgetStatements();
            }
        });
    }

    @Override
    public synchronized void apply(Plan plan, long newCursor, Journal journal) {
        writeRows("applying " + plan.applied() + " changes from the hub", () -> {
            new PlanApplier(writer).apply(plan, journal, System.currentTimeMillis());
            aheadStamps.remember(writer, plan.aheadStamps());
            PreparedStatement s = writer.statement(
                    "UPDATE _sm_state SET cursor = max(cursor, ?), clock = max(clock, ?)");
            s.setLong(1, newCursor);
            s.setLong(2, plan.newestStamp());
            s.executeUpdate();
            PulledPastCursor.remember(writer, plan.pulled());
            return null;
        });
    }

    @Override
    public List<Waiting> waiting() {
        return read("reading the changes that wait", WaitingRows::all);
    }

    @Override
    public synchronized void waitingToPush(List<Clash> clashes) {
        write("noting the writes that could not be pushed", () -> {
            new WaitingRows(writer).holdOurs(clashes, System.currentTimeMillis());
            return null;
        });
    }

    @Override
    public synchronized void clearPushed(List<LocalChange> pushed, long newCursor) {
        write("clearing " + pushed.size() + " pushed writes", () -> {
            PendingQueue queue = new PendingQueue(writer);
            new WaitingRows(writer).releaseOurs(pushed.stream().map(LocalChange::key).toList());
            for (LocalChange c : pushed) {
                if (!queue.forget(c.key(), c.ver())) { // changed again during the push: see LocalChange#afterOwnPush
                    LocalChange now = queue.get(c.key());
                    if (now != null) {
                        now = now.afterOwnPush(new OwnPush(c.ts(), c.row() == null));
                        queue.mark(c.key(), now.known(), now.replaced());
                    }
                }
            }
            PreparedStatement cursor = writer.statement("UPDATE _sm_state SET cursor = max(cursor, ?)");
            cursor.setLong(1, newCursor);
            cursor.executeUpdate();
            PulledPastCursor.forgetPassed(writer);
            return null;
        });
    }

    @Override
    public List<Follower> followers(Key parent, boolean hubsRow) {
        return read("finding the rows that point at a row being moved", c -> {
            RowIo rows = new RowIo(c, writer.tables());
            try {
                return Followers.of(c, rows, parent, hubsRow);
            } finally {
                rows.forgetStatements();
            }
        });
    }

    /** One column of the replica's one-row {@code _sm_state}. */
    Object stateColumn(String column) {
        return read("reading replica state", c -> {
            try (Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT " + Sql.ident(column) + " FROM _sm_state")) {
                if (!r.next()) {
                    throw new SQLException("the replica's _sm_state row is missing", null, SqliteErrors.CORRUPT);
                }
                return r.getObject(1);
            }
        });
    }

    /** One read on a pooled connection; a failure is classified, and damage noted. */
    <T> T read(String what, ConnectionWork<T> work) {
        try (Connection c = readers.borrow()) {
            return work.run(c);
        } catch (SQLException e) {
            throw failed(what + " (" + location + ")", e);
        }
    }

    private StoreException failed(String what, SQLException e) {
        StoreException classified = SqliteErrors.classify(what, e);
        if (classified.kind() != StoreException.Kind.CORRUPT) {
            return classified;
        }
        damaged = true;
        return new StoreException(classified.kind(), classified.getMessage(), DAMAGED_HINT, e);
    }

    static final String DAMAGED_HINT = "the replica is damaged; on its next sync ShareMirror moves it aside (it is kept,"
            + " with any writes it holds) and makes a fresh copy of the hub";

    /** Whether an operation found the file damaged since the last call. */
    boolean foundDamage() {
        boolean found = damaged;
        damaged = false;
        return found;
    }

    /** One local write transaction on the writer, with capture suppressed: these are not local edits. */
    <T> T write(String what, HubReads.SqlWork<T> work) {
        return transaction(what, false, false, work);
    }

    /**
     * {@link #write} for rows of the application's tables that come from the hub: the application's deriving triggers
     * are suspended meanwhile ({@link TriggerSuspension}), since what they derived elsewhere comes as rows too.
     */
    <T> T writeRows(String what, HubReads.SqlWork<T> work) {
        return transaction(what, false, true, work);
    }

    /**
     * Writes an archived version back as a new local edit. Capture stays on, exactly as for an application's
     * write, so the restored version is pushed and wins by being the newest. A null row restores a delete.
     */
    @Override
    public void restore(Key key, String rowJson, List<String> columns) {
        transaction("restoring a version of a row of " + key.table(), true, false, () -> {
            if (writer.table(key.table()) == null) {
                throw new SQLException("table " + key.table() + " is no longer mirrored", null, SqliteErrors.CONSTRAINT);
            }
            if (rowJson == null) {
                writer.delete(key);
            } else {
                Row row = Row.fromJson(rowJson);
                writer.upsert(key, columns.isEmpty() || writer.read(key) == null ? row : row.only(columns));
            }
            return null;
        });
    }

    @Override
    public synchronized long stampNow() {
        return write("stamping a change made for a person", () -> {
            writer.statement(ReplicaCapture.TICK).executeUpdate();
            try (ResultSet r = writer.statement("SELECT clock FROM _sm_state").executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        });
    }

    /** Captured like an application's write: the application's triggers run too. */
    @Override
    public void rewrite(WayOutPlanner.Rewrite rewrite) {
        transaction("writing the values typed for a row of " + rewrite.key().table(), true, false, () -> {
            TypedRow.write(writer, rewrite);
            return null;
        });
    }

    private synchronized <T> T transaction(String what, boolean captured, boolean suspend, HubReads.SqlWork<T> work) {
        Connection c = writer.connection();
        TriggerSuspension triggers = new TriggerSuspension(c);
        try (Statement s = c.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            try {
                if (!captured) {
                    s.execute("UPDATE _sm_state SET applying = 1");
                }
                if (suspend) {
                    triggers.suspend(writer.tables().keySet());
                }
                T result = work.run();
                triggers.resume();
                if (!captured) {
                    s.execute("UPDATE _sm_state SET applying = 0");
                }
                s.execute("COMMIT");
                return result;
            } catch (SQLException | RuntimeException e) {
                writer.forgetStatements(); // see RowIo#forgetStatements: a failed statement may be dead
                RowIo.rollbackQuietly(c); // a failed ROLLBACK must not hide the error (a full disk) behind its own
                throw e;
            }
        } catch (SQLException e) {
            throw failed(what + " (" + location + ")", e);
        }
    }

    @FunctionalInterface
    interface ConnectionWork<T> {
        T run(Connection c) throws SQLException;
    }

    @Override
    public void close() {
        writer.close();
        readers.close();
        RowIo.closeQuietly(watcher);
    }
}

package io.sharemirror.store;

import io.sharemirror.sync.Follower;
import io.sharemirror.sync.Journal;
import io.sharemirror.sync.Key;
import io.sharemirror.sync.LocalChange;
import io.sharemirror.sync.LocalChange.Known;
import io.sharemirror.sync.MirrorMode;
import io.sharemirror.sync.OwnPush;
import io.sharemirror.sync.Plan;
import io.sharemirror.sync.PlanOutdatedException;
import io.sharemirror.sync.Replica;
import io.sharemirror.sync.Row;
import io.sharemirror.sync.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The local replica: one writer connection for the agent's transactions, a pool for reads, and a
 * separate connection whose {@code PRAGMA data_version} tells when anyone else wrote.
 */
final class SqliteReplica implements Replica, AutoCloseable {

    private final RowIo writer;
    private final ReadPool readers;
    private final Connection watcher;
    private final String location;
    private final String node;
    /** Set when SQLite called the file damaged; the store then checks it and, if so, replaces the replica. */
    private volatile boolean damaged;

    SqliteReplica(RowIo writer, ReadPool readers, Connection watcher, String location) {
        this.writer = writer;
        this.readers = readers;
        this.watcher = watcher;
        this.location = location;
        this.node = state("node").toString();
    }

    RowIo rows() {
        return writer;
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
        return ((Number) state("cursor")).longValue();
    }

    @Override
    public long knownSchemaVersion() {
        return ((Number) state("schema_version")).longValue();
    }

    @Override
    public long pendingCount() {
        return read("counting pending writes", c -> {
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM _sm_pending")) {
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
        synchronized (watcher) {
            try (Statement s = watcher.createStatement(); ResultSet r = s.executeQuery("PRAGMA data_version")) {
                r.next();
                return r.getLong(1);
            } catch (SQLException e) {
                throw failed("watching " + location, e);
            }
        }
    }

    @Override
    public List<LocalChange> pending(int limit) {
        return read("reading pending writes", c -> pendingIn(c, writer.tables(), limit));
    }

    /** Up to {@code limit} pending keys with their current rows, read from {@code c} in one read transaction. */
    static List<LocalChange> pendingIn(Connection c, Map<String, TableInfo> tables, int limit) throws SQLException {
        RowIo rows = new RowIo(c, tables);
        try (Statement s = c.createStatement()) {
            s.execute("BEGIN");
            try {
                List<LocalChange> pending = new ArrayList<>();
                try (PreparedStatement q = c.prepareStatement(
                        "SELECT tbl, pk, " + QUEUED + " FROM _sm_pending ORDER BY ts LIMIT ?")) {
                    q.setInt(1, limit);
                    try (ResultSet r = q.executeQuery()) {
                        while (r.next()) {
                            pending.add(queued(new Key(r.getString(1), r.getString(2)), r, 3));
                        }
                    }
                }
                List<LocalChange> withRows = new ArrayList<>(pending.size());
                for (LocalChange p : pending) {
                    withRows.add(withRow(p, rows));
                }
                return withRows;
            } finally {
                s.execute("COMMIT");
                rows.forgetStatements();
            }
        }
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
    public Set<String> tables() {
        return writer.tables().keySet();
    }

    @Override
    public Map<Key, LocalChange> pendingFor(Collection<Key> keys) {
        return read("reading pending writes", c -> {
            RowIo rows = new RowIo(c, writer.tables());
            try (Statement s = c.createStatement()) {
                s.execute("BEGIN");
                try (PreparedStatement q = c.prepareStatement("SELECT " + QUEUED + " FROM _sm_pending WHERE tbl = ? AND pk = ?")) {
                    Map<Key, LocalChange> pending = new HashMap<>();
                    for (Key key : keys) {
                        q.setString(1, key.table());
                        q.setString(2, key.pk());
                        try (ResultSet r = q.executeQuery()) {
                            if (r.next()) {
                                pending.put(key, withRow(queued(key, r, 1), rows));
                            }
                        }
                    }
                    return pending;
                } finally {
                    s.execute("COMMIT");
                    rows.forgetStatements();
                }
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
        write("applying " + plan.applied() + " changes from the hub", () -> {
            for (Map.Entry<Key, Long> expected : plan.expected().entrySet()) {
                if (pendingVersion(expected.getKey()) != expected.getValue()) {
                    throw new PlanOutdatedException("a row of " + expected.getKey().table() + " changed here while its"
                            + " changes from the hub were being applied");
                }
            }
            plan.archive().forEach(journal::archive); // durable before the winners replace the losers
            for (Plan.Step step : plan.steps()) {
                apply(step);
            }
            PreparedStatement s = writer.statement(
                    "UPDATE _sm_state SET cursor = max(cursor, ?), clock = max(clock, ?)");
            s.setLong(1, newCursor);
            s.setLong(2, plan.newestStamp());
            s.executeUpdate();
            return null;
        });
    }

    private void apply(Plan.Step step) throws SQLException {
        Key key = step.key();
        if (step instanceof Plan.TakeRow take) {
            if (take.row() == null) {
                writer.delete(key);
            } else {
                writer.upsert(key, take.row());
            }
        } else if (step instanceof Plan.Forget) {
            PreparedStatement s = writer.statement("DELETE FROM _sm_pending WHERE tbl = ? AND pk = ?");
            s.setString(1, key.table());
            s.setString(2, key.pk());
            s.executeUpdate();
        } else if (step instanceof Plan.Mark mark) {
            mark(key, mark.known(), mark.replaced());
        } else if (step instanceof Plan.Move move) {
            if (writer.read(new Key(key.table(), "[" + move.to() + "]")) != null) {
                throw new PlanOutdatedException("a row was made here on the free key " + move.to() + " of "
                        + key.table() + " while a colliding row was being moved there");
            }
            Key moved = writer.rekey(key, move.to());
            requeue(moved, move.ts());
        } else if (step instanceof Plan.Repoint repoint) {
            repoint(repoint);
        }
    }

    @Override
    public synchronized void clearPushed(List<LocalChange> pushed, long newCursor) {
        write("clearing " + pushed.size() + " pushed writes", () -> {
            PreparedStatement clear = writer.statement("DELETE FROM _sm_pending WHERE tbl = ? AND pk = ? AND ver = ?");
            for (LocalChange c : pushed) {
                clear.setString(1, c.key().table());
                clear.setString(2, c.key().pk());
                clear.setLong(3, c.ver());
                if (clear.executeUpdate() == 0) { // changed again during the push
                    stillPending(c.key(), new OwnPush(c.ts(), c.row() == null));
                }
            }
            PreparedStatement cursor = writer.statement("UPDATE _sm_state SET cursor = max(cursor, ?)");
            cursor.setLong(1, newCursor);
            cursor.executeUpdate();
            return null;
        });
    }

    /** Records what the hub holds at a key changed again while our push of it ran: {@link LocalChange#afterOwnPush}. */
    private void stillPending(Key key, OwnPush push) throws SQLException {
        PreparedStatement s = writer.statement("SELECT " + QUEUED + " FROM _sm_pending WHERE tbl = ? AND pk = ?");
        s.setString(1, key.table());
        s.setString(2, key.pk());
        LocalChange now;
        try (ResultSet r = s.executeQuery()) {
            if (!r.next()) {
                return;
            }
            now = withRow(queued(key, r, 1), writer).afterOwnPush(push);
        }
        mark(key, now.known(), now.replaced());
    }

    /** Sets or clears the flag that makes capture triggers refuse every write (used while re-cloning). */
    synchronized void block(boolean blocked) {
        write(blocked ? "blocking writes" : "unblocking writes", () -> {
            PreparedStatement s = writer.statement("UPDATE _sm_state SET blocked = ?");
            s.setInt(1, blocked ? 1 : 0);
            s.executeUpdate();
            return null;
        });
    }

    boolean blocked() {
        return ((Number) state("blocked")).intValue() == 1;
    }

    MirrorMode madeFor() {
        return read("reading what the replica was made for", Instrumentation::replicaMode);
    }

    /** The hub's rowid canary as this replica last matched it ({@link RowidGuard}), or null when not known yet. */
    Long matchedRowids() {
        Object value = state("rowids");
        return value == null ? null : ((Number) value).longValue();
    }

    void matchedRowids(long canary) {
        write("recording the hub's rowid canary", () -> {
            PreparedStatement s = writer.statement("UPDATE _sm_state SET rowids = ?");
            s.setLong(1, canary);
            s.executeUpdate();
            return null;
        });
    }

    void updateSchemaVersion(long version) {
        write("recording the hub schema", () -> {
            PreparedStatement s = writer.statement("UPDATE _sm_state SET schema_version = ?");
            s.setLong(1, version);
            s.executeUpdate();
            return null;
        });
    }

    /** The queue's columns {@link #queued} reads, in its order. */
    private static final String QUEUED = "ts, ver, ins, replaced, deleted";

    /** A pending change read from the queue's columns at {@code column} on, without its row. */
    private static LocalChange queued(Key key, ResultSet r, int column) throws SQLException {
        return new LocalChange(key, r.getLong(column), r.getLong(column + 1), Known.values()[r.getInt(column + 2)],
                false, null, r.getLong(column + 3), r.getLong(column + 4));
    }

    private static LocalChange withRow(LocalChange p, RowIo rows) throws SQLException {
        var table = rows.table(p.key().table());
        Row row = rows.read(p.key());
        return new LocalChange(p.key(), p.ts(), p.ver(), p.known(), table != null && table.integerKey(), row,
                p.replaced(), p.deleted());
    }

    /** The version of the key's pending change, 0 when none is pending. */
    private long pendingVersion(Key key) throws SQLException {
        PreparedStatement s = writer.statement("SELECT ver FROM _sm_pending WHERE tbl = ? AND pk = ?");
        s.setString(1, key.table());
        s.setString(2, key.pk());
        try (ResultSet r = s.executeQuery()) {
            return r.next() ? r.getLong(1) : 0;
        }
    }

    /** Records what the hub knows of a pending key's row; {@code replaced} 0 is none. */
    private void mark(Key key, Known known, long replaced) throws SQLException {
        PreparedStatement s = writer.statement(
                "UPDATE _sm_pending SET ins = ?, replaced = nullif(?, 0) WHERE tbl = ? AND pk = ?");
        s.setInt(1, known.ordinal());
        s.setLong(2, replaced);
        s.setString(3, key.table());
        s.setString(4, key.pk());
        s.executeUpdate();
    }

    @Override
    public List<Follower> followers(Key parent) {
        return read("finding the rows that point at a row being moved", c -> {
            RowIo rows = new RowIo(c, writer.tables());
            try {
                return followersIn(c, rows, parent);
            } finally {
                rows.forgetStatements();
            }
        });
    }

    /**
     * Rows made here ({@code ins = 1}, {@link Known#NEW}) whose single-column foreign key holds the parent's integer key.
     * Only those: a row that came from the hub and points at this key means the hub's row, which keeps the key.
     */
    private static List<Follower> followersIn(Connection c, RowIo rows, Key parent) throws SQLException {
        TableInfo table = rows.table(parent.table());
        List<Follower> followers = new ArrayList<>();
        if (table == null || table.keyColumns().size() != 1) {
            return followers;
        }
        for (TableInfo child : rows.tables().values()) {
            for (String column : referencing(c, child, table)) {
                try (PreparedStatement find = c.prepareStatement("SELECT p.pk, p.ver FROM " + Sql.ident(child.name())
                        + " JOIN _sm_pending p ON p.tbl = ? AND p.pk = " + Sql.keyJson("", child)
                        + " WHERE " + Sql.ident(column) + " = json_extract(?, '$[0]') AND p.ins = 1")) {
                    find.setString(1, child.name());
                    find.setString(2, parent.pk());
                    try (ResultSet r = find.executeQuery()) {
                        while (r.next()) {
                            followers.add(new Follower(new Key(child.name(), r.getString(1)), r.getLong(2), column,
                                    child.keyColumns().indexOf(column)));
                        }
                    }
                }
            }
        }
        return followers;
    }

    /** Points a follower at its parent's new key; its pending change follows when the column is part of its key. */
    private void repoint(Plan.Repoint step) throws SQLException {
        TableInfo child = writer.table(step.key().table());
        PreparedStatement move = writer.statement("UPDATE " + Sql.ident(child.name()) + " SET "
                + Sql.ident(step.column()) + " = ? WHERE " + Sql.matchesKey(child.keyColumns(), 2));
        move.setLong(1, step.to());
        move.setString(2, step.key().pk());
        move.executeUpdate();
        if (step.keyIndex() >= 0) {
            PreparedStatement rename = writer.statement("UPDATE _sm_pending SET pk = json_set(pk, ?, ?)"
                    + " WHERE tbl = ? AND pk = ?");
            rename.setString(1, "$[" + step.keyIndex() + "]");
            rename.setLong(2, step.to());
            rename.setString(3, child.name());
            rename.setString(4, step.key().pk());
            rename.executeUpdate();
        }
    }

    /** The columns of {@code child} that are a single-column foreign key to {@code parent}'s key. */
    private static List<String> referencing(Connection c, TableInfo child, TableInfo parent) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT \"from\", \"to\" FROM pragma_foreign_key_list(?)"
                + " WHERE \"table\" = ? COLLATE NOCASE"
                + " AND id IN (SELECT id FROM pragma_foreign_key_list(?) GROUP BY id HAVING count(*) = 1)")) {
            s.setString(1, child.name());
            s.setString(2, parent.name());
            s.setString(3, child.name());
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    String to = r.getString(2);
                    if (to == null || to.equalsIgnoreCase(parent.keyColumns().get(0))) {
                        columns.add(r.getString(1));
                    }
                }
            }
        }
        return columns;
    }

    /** The moved row is still a local insert, now under its new key. */
    private void requeue(Key moved, long ts) throws SQLException {
        PreparedStatement s = writer.statement("INSERT INTO _sm_pending(tbl, pk, ts, ver, ins) VALUES(?, ?, ?, 1, 1)"
                + " ON CONFLICT(tbl, pk) DO UPDATE SET ts = excluded.ts, ver = ver + 1, ins = 1, replaced = NULL");
        s.setString(1, moved.table());
        s.setString(2, moved.pk());
        s.setLong(3, ts);
        s.executeUpdate();
    }

    private Object state(String column) {
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

    private <T> T read(String what, ConnectionWork<T> work) {
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
        return transaction(what, false, work);
    }

    /**
     * Writes an archived version back as a new local edit. Capture stays on, exactly as for an application's
     * write, so the restored version is pushed and wins by being the newest. A null row restores a delete.
     */
    @Override
    public void restore(Key key, String rowJson) {
        transaction("restoring a version of a row of " + key.table(), true, () -> {
            if (writer.table(key.table()) == null) {
                throw new SQLException("table " + key.table() + " is no longer mirrored", null, SqliteErrors.CONSTRAINT);
            }
            if (rowJson == null) {
                writer.delete(key);
            } else {
                writer.upsert(key, rowFromJson(rowJson));
            }
            return null;
        });
    }

    /** Row.toJson read back by SQLite's own JSON parser; {"$hex": ...} objects become BLOBs again. */
    private Row rowFromJson(String json) throws SQLException {
        PreparedStatement s = writer.statement("SELECT key, CASE WHEN type = 'object'"
                + " THEN unhex(json_extract(value, '$.\"$hex\"')) ELSE atom END FROM json_each(?)");
        s.setString(1, json);
        List<String> columns = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                columns.add(r.getString(1));
                values.add(r.getObject(2));
            }
        }
        return new Row(columns, values);
    }

    private synchronized <T> T transaction(String what, boolean captured, HubReads.SqlWork<T> work) {
        Connection c = writer.connection();
        try (Statement s = c.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            try {
                if (!captured) {
                    s.execute("UPDATE _sm_state SET applying = 1");
                }
                T result = work.run();
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
    private interface ConnectionWork<T> {
        T run(Connection c) throws SQLException;
    }

    @Override
    public void close() {
        writer.close();
        readers.close();
        RowIo.closeQuietly(watcher);
    }
}

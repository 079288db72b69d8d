package io.sharemirror.store;

import io.sharemirror.sync.ApplyResult;
import io.sharemirror.sync.Key;
import io.sharemirror.sync.LocalChange;
import io.sharemirror.sync.LocalChange.Known;
import io.sharemirror.sync.MirrorMode;
import io.sharemirror.sync.OwnPush;
import io.sharemirror.sync.ReferenceClock;
import io.sharemirror.sync.RemoteChange;
import io.sharemirror.sync.Replica;
import io.sharemirror.sync.Resolution;
import io.sharemirror.sync.Resolver;
import io.sharemirror.sync.Row;
import io.sharemirror.sync.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
    private final AheadStamps aheadStamps;
    private final EagerLockWait lockWait;
    /** Set when SQLite called the file damaged; the store then checks it and, if so, replaces the replica. */
    private volatile boolean damaged;

    SqliteReplica(RowIo writer, ReadPool readers, Connection watcher, String location, AheadStamps aheadStamps) {
        this.writer = writer;
        this.aheadStamps = aheadStamps;
        this.readers = readers;
        this.watcher = watcher;
        this.location = location;
        this.node = state("node").toString();
        try {
            this.lockWait = EagerLockWait.install(writer.connection());
        } catch (SQLException e) {
            throw failed("setting how the agent waits for the lock of " + location, e);
        }
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
        return watch("PRAGMA data_version");
    }

    /** The replica's schema cookie, read where {@link #dataVersion} is: moves with any DDL by any program. */
    long schemaCookie() {
        return watch("PRAGMA schema_version");
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
                        "SELECT tbl, pk, ts, ver, ins, replaced FROM _sm_pending ORDER BY ts LIMIT ?")) {
                    q.setInt(1, limit);
                    try (ResultSet r = q.executeQuery()) {
                        while (r.next()) {
                            pending.add(new LocalChange(new Key(r.getString(1), r.getString(2)), r.getLong(3),
                                    r.getLong(4), known(r.getInt(5)), false, null, r.getLong(6)));
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
    public synchronized BriefWaits briefWaits() {
        Duration usual = lockWait.limit(ConnectionFactory.HUB_BUSY_WAIT);
        return () -> lockWait.limit(usual);
    }

    @Override
    public synchronized ApplyResult apply(List<RemoteChange> changes, long newCursor, Resolver resolver) {
        return writeRows("applying " + changes.size() + " changes from the hub", () -> {
            int applied = 0;
            int conflicts = 0;
            int rekeyed = 0;
            for (RemoteChange change : changes) {
                if (writer.table(change.key().table()) == null) {
                    continue; // a table this replica does not mirror
                }
                if (change.ownPush() != null) {
                    settlePushed(change.key(), change.ownPush());
                }
                if (change.origin().equals(node)) {
                    continue; // our own push is the newest change: nothing new to apply
                }
                LocalChange local = pendingFor(change.key());
                if (local == null) {
                    applyRemote(change);
                    applied++;
                    continue;
                }
                conflicts++;
                Resolution decision = resolver.resolve(change, local);
                if (decision instanceof Resolution.KeepLocal) {
                    if (change.row() == null && local.known() == Known.ON_HUB) {
                        // Ours outlived their delete: the hub holds nothing at the key until we push the row back.
                        hubHoldsNothing(change.key(), local.row() == null ? Known.NEW : Known.REVIVED);
                    }
                    continue;
                }
                if (decision instanceof Resolution.Rekey rekey) {
                    long to = Math.max(rekey.atLeast(), writer.nextKey(change.key().table()));
                    Key moved = writer.rekey(change.key(), to);
                    requeue(local, moved);
                    moveReferences(change.key(), to);
                    rekeyed++;
                }
                dropPending(change.key());
                applyRemote(change);
                applied++;
            }
            PreparedStatement s = writer.statement(
                    "UPDATE _sm_state SET cursor = max(cursor, ?), clock = max(clock, ?)");
            s.setLong(1, newCursor);
            s.setLong(2, aheadStamps.raise(writer, changes, node));
            s.executeUpdate();
            return new ApplyResult(applied, conflicts, rekeyed);
        });
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
                    stillPendingAfter(c.key(), new OwnPush(c.ts(), c.row() == null));
                }
            }
            PreparedStatement cursor = writer.statement("UPDATE _sm_state SET cursor = max(cursor, ?)");
            cursor.setLong(1, newCursor);
            cursor.executeUpdate();
            return null;
        });
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

    /** The offset of the file server's clock the capture triggers stamp with, as last measured; empty if never. */
    Optional<ReferenceClock.Reading> clockOffset() {
        return read("reading the replica's clock offset", c -> {
            try (Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT clock_offset, clock_error FROM _sm_state")) {
                r.next();
                long error = r.getLong(2);
                return r.wasNull() ? Optional.empty() : Optional.of(new ReferenceClock.Reading(r.getLong(1), error, false));
            }
        });
    }

    void storeClockOffset(long offsetMs, long errorMs) {
        write("recording the file server's clock", () -> {
            PreparedStatement s = writer.statement("UPDATE _sm_state SET clock_offset = ?, clock_error = ?");
            s.setLong(1, offsetMs);
            s.setLong(2, errorMs);
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

    /** The hub's schema as last matched: its cookie and its {@link SchemaDigest}. */
    void updateSchemaVersion(long version, String digest) {
        write("recording the hub schema", () -> {
            PreparedStatement s = writer.statement("UPDATE _sm_state SET schema_version = ?, schema_digest = ?");
            s.setLong(1, version);
            s.setString(2, digest);
            s.executeUpdate();
            return null;
        });
    }

    /** The {@link SchemaDigest} of the hub's schema as last matched, or null before the first match. */
    String knownSchemaDigest() {
        return (String) state("schema_digest");
    }

    private LocalChange pendingFor(Key key) throws SQLException {
        PreparedStatement s = writer.statement(
                "SELECT ts, ver, ins, replaced FROM _sm_pending WHERE tbl = ? AND pk = ?");
        s.setString(1, key.table());
        s.setString(2, key.pk());
        try (ResultSet r = s.executeQuery()) {
            if (!r.next()) {
                return null;
            }
            return withRow(new LocalChange(key, r.getLong(1), r.getLong(2), known(r.getInt(3)), false, null,
                    r.getLong(4)), writer);
        }
    }

    private static LocalChange withRow(LocalChange p, RowIo rows) throws SQLException {
        var table = rows.table(p.key().table());
        Row row = rows.read(p.key());
        return new LocalChange(p.key(), p.ts(), p.ver(), p.known(), table != null && table.integerKey(), row,
                p.replaced());
    }

    private void applyRemote(RemoteChange change) throws SQLException {
        if (change.row() == null) {
            writer.delete(change.key());
        } else {
            writer.upsert(change.key(), change.row());
        }
    }

    /**
     * Our own push of this key is on the hub, and the cursor is about to pass it. Normally its pending row was cleared
     * after the commit; after a crash in between it was not, and the log says what the clearing would have done: the
     * pending version with the same stamp is that version, and a newer local change stays pending as the clearing
     * would leave it. Done here, before the cursor moves past the entry and before anything else of the key is
     * resolved, the recovery does not depend on when the next push happens.
     */
    private void settlePushed(Key key, OwnPush push) throws SQLException {
        PreparedStatement clear = writer.statement("DELETE FROM _sm_pending WHERE tbl = ? AND pk = ? AND ts = ?");
        clear.setString(1, key.table());
        clear.setString(2, key.pk());
        clear.setLong(3, push.ts());
        if (clear.executeUpdate() == 0) {
            stillPendingAfter(key, push); // changed again since
        }
    }

    /**
     * Records, for a key that stays pending after our push of it, what the hub holds there now. Our pushed row: the key
     * is no longer a local insert, unless we deleted that row since and a row is here again, which is then a new row
     * replacing it (SQLite reuses the largest rowid). Our pushed delete: nothing, so whatever happens to the key here
     * now makes it anew (see {@link #hubHoldsNothing}). Either
     * way a delete that a new row of ours replaced before the push is on the hub now.
     */
    private void stillPendingAfter(Key key, OwnPush push) throws SQLException {
        if (push.deleted()) {
            hubHoldsNothing(key, Known.NEW);
            return;
        }
        PreparedStatement mark = writer.statement("UPDATE _sm_pending SET"
                + " ins = CASE WHEN deleted > ?1 AND ?2 THEN 1 ELSE 0 END,"
                + " replaced = CASE WHEN deleted > ?1 AND ?2 THEN deleted END WHERE tbl = ?3 AND pk = ?4");
        mark.setLong(1, push.ts());
        mark.setBoolean(2, writer.read(key) != null);
        mark.setString(3, key.table());
        mark.setString(4, key.pk());
        mark.executeUpdate();
    }

    /**
     * The hub holds no row at a key that stays pending here: a new row that someone else makes on that key meanwhile
     * is another row, not an edit of ours. Ours is {@code NEW} after our pushed delete, or {@code REVIVED} when our
     * change outlived their delete (pushed back, it is the same row again).
     */
    private void hubHoldsNothing(Key key, Known ours) throws SQLException {
        PreparedStatement mark = writer.statement(
                "UPDATE _sm_pending SET ins = ?, replaced = NULL WHERE tbl = ? AND pk = ?");
        mark.setInt(1, ours.ordinal());
        mark.setString(2, key.table());
        mark.setString(3, key.pk());
        mark.executeUpdate();
    }

    /** The queue's {@code ins} column: {@link Known}'s ordinal. */
    private static Known known(int ins) {
        return Known.values()[ins];
    }

    private void dropPending(Key key) throws SQLException {
        PreparedStatement s = writer.statement("DELETE FROM _sm_pending WHERE tbl = ? AND pk = ?");
        s.setString(1, key.table());
        s.setString(2, key.pk());
        s.executeUpdate();
    }

    /**
     * Points local rows that referenced a re-keyed row at its new key, so a row created here together with its
     * children (an artist and its albums) stays together; without this the children would silently belong to
     * the other side's row that now has the old key. Only pending rows are touched: a row that references the
     * old key and is not pending came from the hub and means the hub's row.
     */
    private void moveReferences(Key old, long to) throws SQLException {
        TableInfo parent = writer.table(old.table());
        if (parent.keyColumns().size() != 1) {
            return;
        }
        long from;
        PreparedStatement value = writer.statement("SELECT json_extract(?, '$[0]')");
        value.setString(1, old.pk());
        try (ResultSet r = value.executeQuery()) {
            r.next();
            from = r.getLong(1);
        }
        for (TableInfo child : writer.tables().values()) {
            for (String column : referencing(child, parent)) {
                List<String> keys = new ArrayList<>();
                PreparedStatement find = writer.statement("SELECT " + Sql.keyJson("", child.keyColumns()) + " FROM "
                        + Sql.ident(child.name()) + " WHERE " + Sql.ident(column) + " = ? AND "
                        + Sql.keyJson("", child.keyColumns()) + " IN (SELECT pk FROM _sm_pending WHERE tbl = ?)");
                find.setLong(1, from);
                find.setString(2, child.name());
                try (ResultSet r = find.executeQuery()) {
                    while (r.next()) {
                        keys.add(r.getString(1));
                    }
                }
                int keyIndex = child.keyColumns().indexOf(column);
                for (String pk : keys) {
                    PreparedStatement move = writer.statement("UPDATE " + Sql.ident(child.name()) + " SET "
                            + Sql.ident(column) + " = ? WHERE " + Sql.matchesKey(child.keyColumns(), 2));
                    move.setLong(1, to);
                    move.setString(2, pk);
                    move.executeUpdate();
                    if (keyIndex >= 0) {
                        // The reference is part of the child's key: its pending entry moves with it.
                        PreparedStatement rename = writer.statement("UPDATE _sm_pending SET pk = json_set(pk, ?, ?)"
                                + " WHERE tbl = ? AND pk = ?");
                        rename.setString(1, "$[" + keyIndex + "]");
                        rename.setLong(2, to);
                        rename.setString(3, child.name());
                        rename.setString(4, pk);
                        rename.executeUpdate();
                    }
                }
            }
        }
    }

    /** The columns of {@code child} that are a single-column foreign key to {@code parent}'s key. */
    private List<String> referencing(TableInfo child, TableInfo parent) throws SQLException {
        List<String> columns = new ArrayList<>();
        PreparedStatement s = writer.statement("SELECT \"from\", \"to\" FROM pragma_foreign_key_list(?)"
                + " WHERE \"table\" = ? COLLATE NOCASE"
                + " AND id IN (SELECT id FROM pragma_foreign_key_list(?) GROUP BY id HAVING count(*) = 1)");
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
        return columns;
    }

    /** The moved row is still a local insert, now under its new key. */
    private void requeue(LocalChange local, Key moved) throws SQLException {
        PreparedStatement s = writer.statement("INSERT INTO _sm_pending(tbl, pk, ts, ver, ins) VALUES(?, ?, ?, 1, 1)"
                + " ON CONFLICT(tbl, pk) DO UPDATE SET ts = excluded.ts, ver = ver + 1, ins = 1, replaced = NULL");
        s.setString(1, moved.table());
        s.setString(2, moved.pk());
        s.setLong(3, local.ts());
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
    public void restore(Key key, String rowJson) {
        transaction("restoring a version of a row of " + key.table(), true, false, () -> {
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

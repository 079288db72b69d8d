package io.sharemirror.store;

import io.sharemirror.sync.ArchivedConflict;
import io.sharemirror.sync.ConflictRecord;
import io.sharemirror.sync.CycleRecord;
import io.sharemirror.sync.Journal;
import io.sharemirror.sync.Renumbering;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.tinylog.Logger;

/**
 * {@code state.db} in the cache folder: sync history, the conflict archive, the rows renumbered here and settings
 * changed from the UI. It belongs to this machine and survives Clear Cache.
 */
public final class StateStore implements Journal, AutoCloseable {

    /** History rows (and renumbered rows) kept per database; older ones are dropped as new ones arrive. */
    static final int HISTORY_KEPT = 5_000;

    private static final List<String> SCHEMA = List.of(
            "CREATE TABLE IF NOT EXISTS history(id INTEGER PRIMARY KEY, db TEXT NOT NULL, started INTEGER NOT NULL,"
                    + " duration_ms INTEGER NOT NULL, pushed INTEGER NOT NULL, pulled INTEGER NOT NULL,"
                    + " conflicts INTEGER NOT NULL, outcome TEXT NOT NULL, error TEXT, hint TEXT, pending INTEGER)",
            "CREATE INDEX IF NOT EXISTS history_by_db ON history(db, id)",
            "CREATE TABLE IF NOT EXISTS conflicts(id INTEGER PRIMARY KEY, db TEXT NOT NULL, tbl TEXT NOT NULL,"
                    + " pk TEXT NOT NULL, at INTEGER NOT NULL, winner TEXT NOT NULL, reason TEXT NOT NULL,"
                    + " local_row TEXT, local_ts INTEGER, local_node TEXT,"
                    + " remote_row TEXT, remote_ts INTEGER, remote_origin TEXT, restored_at INTEGER,"
                    // A cycle that archived and then failed archives the same pair again: keep one.
                    + " UNIQUE(db, tbl, pk, local_ts, remote_ts, winner))",
            "CREATE TABLE IF NOT EXISTS settings(db TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,"
                    + " PRIMARY KEY(db, key))",
            "CREATE TABLE IF NOT EXISTS renumbered(id INTEGER PRIMARY KEY, db TEXT NOT NULL, tbl TEXT NOT NULL,"
                    + " old_pk INTEGER NOT NULL, new_pk INTEGER NOT NULL, at INTEGER NOT NULL,"
                    + " UNIQUE(db, tbl, old_pk, new_pk))");

    private final Connection connection;
    private final String setAside;

    /**
     * Opens the state file, creating it if needed. A damaged one is moved aside, kept, and a new one started: the
     * agent keeps syncing, and {@link #setAside()} says where the old history and conflict archive are.
     */
    public StateStore(ConnectionFactory factory, Path file) {
        Connection opened;
        String damage = null;
        try {
            try {
                opened = open(factory, file);
            } catch (SQLException e) {
                if (!SqliteErrors.isDamage(e)) {
                    throw e;
                }
                Path kept = Quarantine.move(file);
                damage = "the state file " + file + " was damaged (" + Quarantine.checkResult(e.getMessage()) + ");"
                        + " it is kept as " + kept + ", and a new one was started: the sync history, the conflict"
                        + " archive and settings made in the tray start afresh (the old ones are in the kept file)";
                Logger.error(damage);
                opened = open(factory, file);
            }
        } catch (SQLException e) {
            throw SqliteErrors.classify("opening the state file " + file, e);
        } catch (IOException e) {
            throw SqliteErrors.classify("moving the damaged state file " + file + " aside", e);
        }
        connection = opened;
        setAside = damage;
    }

    /** Opens and checks the state file, and brings a file written by an earlier build up to date. */
    private static Connection open(ConnectionFactory factory, Path file) throws SQLException {
        Connection c = factory.open(file, ConnectionFactory.Kind.LOCAL);
        try {
            String check = SingleValue.of(c, "PRAGMA quick_check");
            if (!"ok".equals(check)) {
                throw new SQLException("fails its integrity check: " + check, null, SqliteErrors.CORRUPT);
            }
            // The archive may hold the only copy of a losing version, whose winner the replica makes durable before
            // it is pushed: every commit here is made durable too, or a power cut could take the loser alone.
            Instrumentation.execute(c, List.of("PRAGMA synchronous = FULL"));
            Instrumentation.execute(c, SCHEMA);
            // Columns that state files written by earlier builds lack.
            addColumnIfMissing(c, "history", "pending", "INTEGER");
            addColumnIfMissing(c, "conflicts", "restored_at", "INTEGER");
            addColumnIfMissing(c, "conflicts", "reviewed_at", "INTEGER");
            addColumnIfMissing(c, "conflicts", "columns", "TEXT");
            return c;
        } catch (SQLException | RuntimeException e) {
            RowIo.closeQuietly(c);
            throw e;
        }
    }

    /** Why the state file found at start was set aside and where it is kept; empty when it was fine. */
    public Optional<String> setAside() {
        return Optional.ofNullable(setAside);
    }

    @Override
    public synchronized void recordCycle(CycleRecord c) {
        update("recording a sync cycle", "INSERT INTO history(db, started, duration_ms, pushed, pulled, conflicts,"
                        + " pending, outcome, error, hint) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                c.database(), c.started().toEpochMilli(), c.duration().toMillis(), c.pushed(), c.pulled(),
                c.conflicts(), c.pending(), c.outcome().name(), c.error(), c.hint());
        update("pruning history", "DELETE FROM history WHERE db = ? AND id <= (SELECT id FROM history WHERE db = ?"
                + " ORDER BY id DESC LIMIT 1 OFFSET ?)", c.database(), c.database(), HISTORY_KEPT);
    }

    @Override
    public synchronized void archive(ConflictRecord c) {
        update("archiving a conflict", "INSERT INTO conflicts(db, tbl, pk, at, winner, reason, local_row, local_ts,"
                        + " local_node, remote_row, remote_ts, remote_origin, columns)"
                        + " VALUES(?, ?, " + KeyText.PARAMETER + ", ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT DO NOTHING",
                c.database(), c.key().table(), KeyText.value(c.key().pk()), c.at().toEpochMilli(), c.winner(),
                c.reason(), c.local() == null ? null : c.local().toJson(), c.localTs(), c.localNode(),
                c.remote() == null ? null : c.remote().toJson(), c.remoteTs(), c.remoteOrigin(),
                c.columns().isEmpty() ? null : ChangedColumns.json(c.columns()));
    }

    @Override
    public synchronized void renumbered(Renumbering r) {
        update("recording a renumbered row", "INSERT INTO renumbered(db, tbl, old_pk, new_pk, at) VALUES(?, ?, ?, ?, ?)"
                + " ON CONFLICT DO NOTHING", r.database(), r.table(), r.from(), r.to(), r.at().toEpochMilli());
        update("pruning renumbered rows", "DELETE FROM renumbered WHERE db = ? AND id <= (SELECT id FROM renumbered"
                + " WHERE db = ? ORDER BY id DESC LIMIT 1 OFFSET ?)", r.database(), r.database(), HISTORY_KEPT);
    }

    /** Rows made here that were moved to another key, of a database (all databases when null), newest first. */
    public synchronized List<Renumbering> renumberings(String database, int limit) {
        return query("reading renumbered rows", "SELECT db, tbl, old_pk, new_pk, at FROM renumbered"
                + " WHERE ?1 IS NULL OR db = ?1 ORDER BY id DESC LIMIT ?2", r -> new Renumbering(r.getString(1),
                r.getString(2), r.getLong(3), r.getLong(4), Instant.ofEpochMilli(r.getLong(5))), database, limit);
    }

    /** The newest history rows of a database (all databases when null), newest first. */
    public synchronized List<CycleRecord> history(String database, int limit) {
        return query("reading history", "SELECT db, started, duration_ms, pushed, pulled, conflicts,"
                + " coalesce(pending, -1), outcome, error, hint FROM history WHERE ?1 IS NULL OR db = ?1"
                + " ORDER BY id DESC LIMIT ?2", r -> new CycleRecord(r.getString(1), Instant.ofEpochMilli(r.getLong(2)),
                Duration.ofMillis(r.getLong(3)), r.getInt(4), r.getInt(5), r.getInt(6), r.getLong(7),
                CycleRecord.Outcome.valueOf(r.getString(8)), r.getString(9), r.getString(10)), database, limit);
    }

    /** The last cycle that moved data or found nothing to do. */
    public synchronized Optional<Instant> lastSuccess(String database) {
        return query("reading history", "SELECT max(started + duration_ms) FROM history WHERE db = ?"
                + " AND outcome IN ('IDLE', 'SYNCED')", r -> r.getObject(1) == null ? null
                : Instant.ofEpochMilli(r.getLong(1)), database).stream().filter(i -> i != null).findFirst();
    }

    /** Archived conflicts of a database (all databases when null), newest first. */
    public synchronized List<ArchivedConflict> conflicts(String database, int limit) {
        return query("reading conflicts", CONFLICT_COLUMNS + " WHERE ?1 IS NULL OR db = ?1 ORDER BY id DESC LIMIT ?2",
                StateStore::conflict, database, limit);
    }

    public synchronized Optional<ArchivedConflict> conflict(long id) {
        return query("reading a conflict", CONFLICT_COLUMNS + " WHERE id = ?", StateStore::conflict, id).stream()
                .findFirst();
    }

    /** Notes that the losing version was written back, so the dashboard can say so. */
    public synchronized void markRestored(long id, Instant at) {
        update("marking a conflict restored", "UPDATE conflicts SET restored_at = ? WHERE id = ?", at.toEpochMilli(), id);
    }

    /** Conflicts nobody has looked at yet: the tray and the dashboard show the count until they are marked reviewed. */
    public synchronized long unreviewedConflicts() {
        return query("counting conflicts to review", "SELECT count(*) FROM conflicts WHERE reviewed_at IS NULL",
                r -> r.getLong(1)).get(0);
    }

    /** Marks every conflict archived so far as looked at. */
    public synchronized void markConflictsReviewed(Instant at) {
        update("marking conflicts reviewed", "UPDATE conflicts SET reviewed_at = ? WHERE reviewed_at IS NULL",
                at.toEpochMilli());
    }

    private static final String CONFLICT_COLUMNS = "SELECT id, db, tbl, pk, at, winner, reason, local_row, remote_row,"
            + " restored_at, reviewed_at, columns FROM conflicts";

    private static ArchivedConflict conflict(ResultSet r) throws SQLException {
        return new ArchivedConflict(r.getLong(1), r.getString(2), r.getString(3), KeyText.read(r, 4),
                Instant.ofEpochMilli(r.getLong(5)), r.getString(6), r.getString(7), r.getString(8), r.getString(9),
                instant(r, 10), instant(r, 11), columns(r.getString(12)));
    }

    /** The columns of a column merge's conflict; none (the whole row) for NULL or anything unreadable. */
    private static List<String> columns(String json) {
        Set<String> columns = ChangedColumns.parse(json);
        return columns == null ? List.of() : List.copyOf(columns);
    }

    private static Instant instant(ResultSet r, int column) throws SQLException {
        return r.getObject(column) == null ? null : Instant.ofEpochMilli(r.getLong(column));
    }

    /** The SQLite library's version, as the debug information shows it. */
    public synchronized String sqliteVersion() {
        return query("reading the SQLite version", "SELECT sqlite_version()", r -> r.getString(1)).get(0);
    }

    public synchronized Optional<String> setting(String database, String key) {
        return query("reading a setting", "SELECT value FROM settings WHERE db = ? AND key = ?",
                r -> r.getString(1), database, key).stream().findFirst();
    }

    public synchronized void setting(String database, String key, String value) {
        update("saving a setting", "INSERT INTO settings(db, key, value) VALUES(?, ?, ?)"
                + " ON CONFLICT(db, key) DO UPDATE SET value = excluded.value", database, key, value);
    }

    public synchronized void forgetSetting(String database, String key) {
        update("forgetting a setting", "DELETE FROM settings WHERE db = ? AND key = ?", database, key);
    }

    private static void addColumnIfMissing(Connection c, String table, String column, String type) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM pragma_table_info(?) WHERE name = ?")) {
            s.setString(1, table);
            s.setString(2, column);
            try (ResultSet r = s.executeQuery()) {
                if (r.next()) {
                    return;
                }
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute("ALTER TABLE " + Sql.ident(table) + " ADD COLUMN " + Sql.ident(column) + " " + type);
        }
    }

    private void update(String what, String sql, Object... args) {
        try (PreparedStatement s = bind(sql, args)) {
            s.executeUpdate();
        } catch (SQLException e) {
            throw SqliteErrors.classify(what + " in state.db", e);
        }
    }

    private <T> List<T> query(String what, String sql, RowMapper<T> mapper, Object... args) {
        try (PreparedStatement s = bind(sql, args); ResultSet r = s.executeQuery()) {
            List<T> out = new ArrayList<>();
            while (r.next()) {
                out.add(mapper.map(r));
            }
            return out;
        } catch (SQLException e) {
            throw SqliteErrors.classify(what + " in state.db", e);
        }
    }

    private PreparedStatement bind(String sql, Object... args) throws SQLException {
        PreparedStatement s = connection.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            s.setObject(i + 1, args[i]);
        }
        return s;
    }

    @FunctionalInterface
    private interface RowMapper<T> {
        T map(ResultSet r) throws SQLException;
    }

    @Override
    public synchronized void close() {
        RowIo.closeQuietly(connection);
    }
}

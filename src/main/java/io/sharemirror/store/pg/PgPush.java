package io.sharemirror.store.pg;

import io.sharemirror.store.PushLog;
import io.sharemirror.store.Sql;
import io.sharemirror.store.WholeBatch;
import io.sharemirror.sync.Clash;
import io.sharemirror.sync.Key;
import io.sharemirror.sync.LocalChange;
import io.sharemirror.sync.PushTransaction;
import io.sharemirror.sync.Pushed;
import io.sharemirror.sync.Row;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A push to a PostgreSQL hub: one repeatable-read transaction that holds the push lock from its first statement, so
 * pushes serialize as on the file hub while direct writers go on. The lock is {@code LOCK TABLE _sm_nodes}, not an
 * advisory lock: a LOCK takes no snapshot, so the transaction's snapshot is taken after the wait and sees every push
 * that committed meanwhile (a SELECT of pg_advisory_xact_lock would take it before). {@code sharemirror.node} is set
 * for the transaction, so the capture triggers leave the push's writes to the log rows it writes itself, with the
 * node, the original stamps and the columns.
 */
final class PgPush extends PgHubReads implements PushTransaction {

    /** What a push marks its transaction with; the capture triggers only ask whether it is set. */
    static final String MARK = "push";

    private final PgHub hub;
    private boolean done;

    /** Takes the push lock (in {@code begin}'s round trip, with the schema cookie), the transaction open. */
    PgPush(PgHub hub, Work<Long> begin) throws SQLException {
        super(hub.connection, hub.tables, hub.location);
        this.hub = hub;
        try {
            tables.at(connection, begin.run());
        } catch (SQLException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The statement that begins a push: the lock, then the cookie, the server's clock and the mark. */
    static String beginSql() {
        return "LOCK TABLE _sm_nodes IN SHARE ROW EXCLUSIVE MODE; SELECT (SELECT cookie FROM _sm_meta), "
                + PgHub.SERVER_MS + ", set_config('sharemirror.node', " + Sql.literal(MARK) + ", true)";
    }

    @Override
    public Pushed write(List<LocalChange> changes, String node, long cursor) {
        return within("writing " + changes.size() + " rows to the hub", () -> {
            Map<String, PgTable> current = tables();
            Map<Key, LocalChange> mirrored = new LinkedHashMap<>();
            Map<Key, Row> batch = new LinkedHashMap<>();
            for (LocalChange c : changes) {
                if (current.containsKey(c.key().table())) { // else reported by the schema check; it waits
                    mirrored.put(c.key(), c);
                    batch.put(c.key(), c.row());
                }
            }
            Map<Key, Row> before = beforeImages(current, mirrored.values());
            Set<Key> placed = batch.keySet();
            List<Clash> clashes = List.of();
            if (!rows.writeAtOnce(current, batch)) {
                WholeBatch whole = new WholeBatch(rows.batchTarget(current::get), batch);
                clashes = whole.write();
                placed = whole.placed();
            }
            List<LocalChange> written = new ArrayList<>(changes.size());
            try (PreparedStatement log = connection.prepareStatement(PushLog.INSERT)) {
                for (LocalChange c : mirrored.values()) {
                    if (placed.contains(c.key())) {
                        written.add(c);
                        PushLog.entries(log, c, node, PreparedStatement::addBatch);
                    }
                }
                log.executeBatch();
            }
            keep(before, placed);
            try (PreparedStatement seen = connection.prepareStatement("INSERT INTO _sm_nodes(node, last_seq,"
                    + " last_seen) VALUES (?, ?, _sm_now_ms()) ON CONFLICT (node) DO UPDATE SET last_seq ="
                    + " EXCLUDED.last_seq, last_seen = EXCLUDED.last_seen")) {
                seen.setString(1, node);
                seen.setLong(2, cursor);
                seen.executeUpdate();
            }
            return new Pushed(written, clashes);
        });
    }

    /**
     * The hub's rows before the changes found after a migration rather than captured (stamped 0 or below), read before
     * the push writes them: see {@link io.sharemirror.store.BeforeImages}.
     */
    private Map<Key, Row> beforeImages(Map<String, PgTable> current, Iterable<LocalChange> changes)
            throws SQLException {
        Map<Key, Row> before = new LinkedHashMap<>();
        for (LocalChange c : changes) {
            if (c.ts() <= 0) {
                Row was = rows.read(current.get(c.key().table()), c.key());
                if (was != null) {
                    before.put(c.key(), was);
                }
            }
        }
        return before;
    }

    /** Each kept row under the entry this transaction just logged for its key. */
    private void keep(Map<Key, Row> before, Set<Key> placed) throws SQLException {
        if (before.isEmpty()) {
            return;
        }
        try (PreparedStatement s = connection.prepareStatement("INSERT INTO _sm_before(id, row) SELECT max(id), ?"
                + " FROM _sm_log WHERE txid = pg_current_xact_id() AND tbl = ? AND pk = ?")) {
            for (Map.Entry<Key, Row> b : before.entrySet()) {
                if (placed.contains(b.getKey())) {
                    s.setString(1, b.getValue().toJson());
                    s.setString(2, b.getKey().table());
                    s.setString(3, b.getKey().pk());
                    s.addBatch();
                }
            }
            s.executeBatch();
        }
    }

    /**
     * Deletes as the file hub does, and raises {@code _sm_meta.pruned} to the highest number deleted: numbers have
     * gaps (a commit that failed after numbering), so the oldest entry left cannot tell a probe what was pruned.
     */
    @Override
    public int prune(Instant olderThan, Instant activeSince) {
        return within("pruning the hub's log", () -> {
            try (PreparedStatement s = connection.prepareStatement("WITH gone AS (DELETE FROM _sm_log WHERE ts < ?"
                    + " AND seq < (SELECT max(seq) FROM _sm_log) AND seq <= (SELECT coalesce(min(last_seq), 0)"
                    + " FROM _sm_nodes WHERE last_seen >= ?) RETURNING seq), mark AS (UPDATE _sm_meta SET pruned ="
                    + " greatest(pruned, (SELECT max(seq) FROM gone)) WHERE EXISTS (SELECT 1 FROM gone))"
                    + " SELECT count(*) FROM gone")) {
                s.setLong(1, olderThan.toEpochMilli());
                s.setLong(2, activeSince.toEpochMilli());
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    return r.getInt(1);
                }
            }
        });
    }

    /** A failed COMMIT on PostgreSQL has rolled back already; nothing to retry. */
    @Override
    public void commit() {
        try {
            connection.commit();
            done = true;
        } catch (SQLException e) {
            close();
            throw PgErrors.classify("committing the push to " + location, e);
        }
    }

    @Override
    public void close() {
        if (!done) {
            done = true;
            PgHub.rollbackQuietly(connection);
        }
    }

    @Override
    long version() {
        return hub.version();
    }

    /** Inside the push, reads see the open transaction. */
    @Override
    <T> T run(Work<T> work) throws SQLException {
        return work.run();
    }

    /** For the statement {@link #beginSql} sent: its result, after the LOCK's. */
    static ResultSet resultAfterLock(Statement s) throws SQLException {
        while (!s.getMoreResults() && s.getUpdateCount() != -1) {
            // the LOCK's "result" is an update count; the SELECT's comes next
        }
        return s.getResultSet();
    }
}

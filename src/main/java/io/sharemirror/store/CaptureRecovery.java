package io.sharemirror.store;

import io.sharemirror.sync.Hub;
import io.sharemirror.sync.TableSnapshot;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the writes capture missed in a table {@link CaptureCheck} marked, and queues them as local changes. Run before
 * the cycle's pull applies anything, so the pull's conflict resolution sees them: a row of a marked table that differs
 * from the hub's (in the columns both have) and is not pending was written here, and a hub row the replica lacks was
 * deleted here. Stamped now, as the capture trigger would have, when capture missed it; stamped 0 when the hub's log
 * names the key since this replica's cursor, past what a pull cut short applied already (someone changed it there too,
 * and which change is newer cannot be told) or when the difference is a pushed schema change's own result: then any
 * other change of that row wins and this one goes to the conflict archive. Costs one read of the whole table on each
 * side, only after capture was repaired or a schema change made here was pushed. A table the hub does not have (or
 * has under another key) stays marked.
 */
final class CaptureRecovery {

    private CaptureRecovery() {
    }

    /**
     * Queues what the marked tables hold that the hub does not; returns the number of keys queued. Each table is
     * compared with one snapshot of the hub's ({@link Hub#tableSnapshot}).
     */
    static int recover(Hub hub, SqliteReplica replica) throws SQLException {
        int queued = 0;
        for (var marked : CaptureCheck.marked(replica.rows().connection()).entrySet()) {
            String table = marked.getKey();
            boolean missed = marked.getValue();
            TableInfo local = replica.rows().table(table);
            if (local == null) {
                replica.write("unmarking " + table, () -> unmark(replica.rows().connection(), table)); // gone here
                continue;
            }
            TableSnapshot onHub = hub.tableSnapshot(table, replica.cursor(), replica.appliedPastCursor());
            if (onHub == null || !onHub.table().keyColumns().equals(local.keyColumns())) {
                continue;
            }
            List<String> shared = local.columns().stream().filter(onHub.table().columns()::contains).toList();
            Map<String, List<Object>> hubRows = new HashMap<>();
            onHub.rows().forEach((key, row) -> hubRows.put(key.pk(), shared.stream().map(row::value).toList()));
            Map<String, List<Object>> localRows = SchemaRows.byKey(replica.rows().connection(), local, shared);
            Map<String, Boolean> changedThere = new HashMap<>();
            onHub.loggedSince().forEach((key, inserted) -> changedThere.put(key.pk(), inserted));
            Map<String, Boolean> differing = new HashMap<>(); // key to whether the hub has a row there
            for (String key : hubRows.keySet()) {
                if (!localRows.containsKey(key) && !changedThere.containsKey(key)) {
                    differing.put(key, true); // deleted here (a row made there since is the pull's to bring)
                }
            }
            for (var row : localRows.entrySet()) {
                List<Object> there = hubRows.get(row.getKey());
                if (there == null || !same(there, row.getValue())) {
                    differing.put(row.getKey(), there != null);
                }
            }
            queued += replica.write("queueing the writes capture missed in " + table, () -> {
                Connection c = replica.rows().connection();
                int n = 0;
                for (var d : differing.entrySet()) {
                    Boolean there = changedThere.get(d.getKey());
                    // A row the hub made since this replica's cursor is not the one here: this one is new, and the
                    // pull's resolution keeps both (re-keyed) or the newer one.
                    boolean known = d.getValue() && !Boolean.TRUE.equals(there);
                    n += queue(c, table, d.getKey(), known, missed && there == null);
                }
                wholeRows(c, table);
                unmark(c, table);
                return n;
            });
        }
        return queued;
    }

    /** Equal values of the same storage class (the driver hands out Integer or Long for the same INTEGER). */
    private static boolean same(List<Object> a, List<Object> b) {
        for (int i = 0; i < a.size(); i++) {
            Object x = a.get(i);
            Object y = b.get(i);
            boolean equal = x instanceof byte[] bx && y instanceof byte[] by ? Arrays.equals(bx, by)
                    : (x instanceof Integer || x instanceof Long) && (y instanceof Integer || y instanceof Long)
                    ? ((Number) x).longValue() == ((Number) y).longValue() : java.util.Objects.equals(x, y);
            if (!equal) {
                return false;
            }
        }
        return true;
    }

    /**
     * Queues a key that is not pending yet, stamped as the capture trigger would have stamped it then (the replica's
     * clock, in the file server's time, after a far-ahead stamp of the row), or 0.
     */
    private static int queue(Connection c, String table, String key, boolean onHub, boolean now) throws SQLException {
        if (now) {
            try (PreparedStatement tick = c.prepareStatement(ReplicaCapture.TICK)) {
                tick.executeUpdate();
            }
        }
        try (PreparedStatement add = c.prepareStatement("INSERT INTO _sm_pending(tbl, pk, ts, ver, ins)"
                + " VALUES(?1, " + KeyText.parameter(2) + ", CASE WHEN ?3 THEN "
                + AheadStamps.stamp("?1", KeyText.parameter(2)) + " ELSE 0 END, 1, ?4)"
                + " ON CONFLICT(tbl, pk) DO NOTHING")) {
            add.setString(1, table);
            KeyText.bind(add, 2, key);
            add.setBoolean(3, now);
            add.setInt(4, onHub ? 0 : 1);
            int added = add.executeUpdate();
            if (now && added > 0) {
                try (PreparedStatement advance = c.prepareStatement(AheadStamps.advance("?1", KeyText.parameter(2)))) {
                    advance.setString(1, table);
                    KeyText.bind(advance, 2, key);
                    advance.executeUpdate();
                }
            }
            return added;
        }
    }

    /**
     * The table's pending changes are whole rows from now on: what capture missed (or a migration changed) may be in
     * columns they do not name.
     */
    private static void wholeRows(Connection c, String table) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE _sm_pending SET cols = NULL WHERE tbl = ?")) {
            s.setString(1, table);
            s.executeUpdate();
        }
    }

    /** Pending writes and marks of a table follow it to its new name. */
    static void rename(Connection c, String from, String to) throws SQLException {
        for (String sql : List.of("UPDATE OR REPLACE _sm_pending SET tbl = ? WHERE tbl = ?",
                "UPDATE OR REPLACE _sm_uncaptured SET tbl = ? WHERE tbl = ?")) {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setString(1, to);
                s.setString(2, from);
                s.executeUpdate();
            }
        }
    }

    /**
     * Marks a table whose schema change made here was pushed, for comparison at the next push: what differs is the
     * migration's result (values it transformed, columns it filled), stamped 0 even if capture was missing too, so an
     * edit another desktop made meanwhile to the same row wins over it and the migration's version goes to the archive.
     */
    static Void mark(Connection c, String table) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO _sm_uncaptured(tbl, missed) VALUES(?, 0)"
                + " ON CONFLICT(tbl) DO UPDATE SET missed = 0")) {
            s.setString(1, table);
            s.executeUpdate();
        }
        return null;
    }

    static Void unmark(Connection c, String table) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM _sm_uncaptured WHERE tbl = ?")) {
            s.setString(1, table);
            s.executeUpdate();
        }
        return null;
    }
}

package io.sharemirror.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the writes capture missed in a table {@link CaptureCheck} marked, and queues them as local changes. Run inside
 * the push transaction, after the pull under the hub's write lock: the replica then holds every change the hub had,
 * so a row that differs from the hub's (in the columns both have) and is not pending was written here while capture
 * was missing, and a hub row the replica lacks was deleted here. Costs one read of the whole table on each side,
 * only after capture was repaired. A table the hub does not have (or has under another key) stays marked.
 */
final class CaptureRecovery {

    private CaptureRecovery() {
    }

    /** Queues what the marked tables hold that the hub does not; returns the number of keys queued. */
    static int recover(RowIo hub, SqliteReplica replica) throws SQLException {
        int queued = 0;
        for (String table : CaptureCheck.marked(replica.rows().connection())) {
            TableInfo local = replica.rows().table(table);
            TableInfo onHub = hub.table(table);
            if (local == null) {
                replica.write("unmarking " + table, () -> unmark(replica.rows().connection(), table)); // gone here
                continue;
            }
            if (onHub == null || !onHub.keyColumns().equals(local.keyColumns())) {
                continue;
            }
            List<String> shared = local.columns().stream().filter(onHub.columns()::contains).toList();
            Map<String, List<Object>> hubRows = rows(hub.connection(), local, shared);
            Map<String, List<Object>> localRows = rows(replica.rows().connection(), local, shared);
            List<String> made = new ArrayList<>();
            for (var row : localRows.entrySet()) {
                List<Object> there = hubRows.get(row.getKey());
                if (there == null || !same(there, row.getValue())) {
                    made.add(row.getKey());
                }
            }
            Set<String> deleted = new HashSet<>(hubRows.keySet());
            deleted.removeAll(localRows.keySet());
            queued += replica.write("queueing the writes capture missed in " + table, () -> {
                Connection c = replica.rows().connection();
                int n = queue(c, table, made, hubRows.keySet()) + queue(c, table, deleted, hubRows.keySet());
                unmark(c, table);
                return n;
            });
        }
        return queued;
    }

    private static Map<String, List<Object>> rows(Connection c, TableInfo t, List<String> columns) throws SQLException {
        Map<String, List<Object>> rows = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT " + Sql.keyJson("", t.keyColumns()) + ", "
                + Sql.idents(columns) + " FROM " + Sql.ident(t.name()));
             ResultSet r = s.executeQuery()) {
            while (r.next()) {
                List<Object> values = new ArrayList<>(columns.size());
                for (int i = 2; i <= columns.size() + 1; i++) {
                    values.add(r.getObject(i));
                }
                rows.put(r.getString(1), values);
            }
        }
        return rows;
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

    /** Queues keys that are not pending yet, stamped now by the replica's clock, as the capture trigger would. */
    private static int queue(Connection c, String table, Iterable<String> keys, Set<String> onHub) throws SQLException {
        int n = 0;
        try (PreparedStatement tick = c.prepareStatement("UPDATE _sm_state SET clock = max(clock + 1,"
                + " CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))");
             PreparedStatement add = c.prepareStatement("INSERT INTO _sm_pending(tbl, pk, ts, ver, ins)"
                     + " VALUES(?, ?, (SELECT clock FROM _sm_state), 1, ?) ON CONFLICT(tbl, pk) DO NOTHING")) {
            for (String key : keys) {
                tick.executeUpdate();
                add.setString(1, table);
                add.setString(2, key);
                add.setInt(3, onHub.contains(key) ? 0 : 1);
                n += add.executeUpdate();
            }
        }
        return n;
    }

    private static Void unmark(Connection c, String table) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM _sm_uncaptured WHERE tbl = ?")) {
            s.setString(1, table);
            s.executeUpdate();
        }
        return null;
    }
}

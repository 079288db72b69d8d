package io.sharemirror.store;

import io.sharemirror.sync.HubSchema;
import io.sharemirror.sync.LocalChange;
import io.sharemirror.sync.Row;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The hub's rows that a table's new definition, pushed from a replica, refuses: Django rebuilds a table to add a NOT
 * NULL column and keeps no DEFAULT, so the hub's rebuild cannot copy a single row. The replica that pushed the change
 * made those rows under it, so each is made again from the hub's values in the columns both definitions have and the
 * replica's in the others. Nothing is logged: every desktop that ran the same change holds the same rows, and what the
 * replica changed beyond that (a write capture missed after the rebuild) differs from the hub's values and is its to
 * push. A refused row the replica no longer has was deleted there, and that delete is logged. Only rows nobody changed
 * since the replica's cursor: the replica's row of another is another row, or made from values it has not seen.
 */
public final class RefusedHubRows {

    /** What remaking asks of the hub's log, whichever kind of hub holds it. */
    public interface Log {

        /** Whether the log names the key after {@code cursor}: someone changed the row since. */
        boolean changedSince(String table, String pk, long cursor) throws SQLException;

        /** Logs the row's delete by {@code node}, stamped 0, keeping the row as it was ({@link BeforeImages}). */
        void logDelete(LocalChange old, String node) throws SQLException;
    }

    private RefusedHubRows() {
    }

    /** {@link #remake(Connection, TableInfo, List, HubSchema.Pusher, Log)} on an SQLite hub, whose log is beside. */
    static List<LocalChange> remake(Connection hc, TableInfo t, List<LocalChange> refused, HubSchema.Pusher from)
            throws SQLException {
        return remake(hc, t, refused, from, new Log() {
            @Override
            public boolean changedSince(String table, String pk, long cursor) throws SQLException {
                return RefusedHubRows.changedSince(hc, table, pk, cursor);
            }

            @Override
            public void logDelete(LocalChange old, String node) throws SQLException {
                RefusedHubRows.logDelete(hc, old, node);
            }
        });
    }

    /**
     * Makes {@code refused} (rows of {@code t} under its old definition) again in {@code rows}, the SQLite database
     * that holds the table under its new definition; returns those still refused.
     */
    public static List<LocalChange> remake(Connection rows, TableInfo t, List<LocalChange> refused,
                                           HubSchema.Pusher from, Log log) throws SQLException {
        Map<String, Row> pushed = new HashMap<>();
        from.rows().getOrDefault(t.name(), Map.of()).forEach((key, row) -> pushed.put(key.pk(), row));
        List<LocalChange> left = new ArrayList<>();
        for (LocalChange old : refused) {
            Row there = pushed.get(old.key().pk());
            boolean made = !log.changedSince(old.key().table(), old.key().pk(), from.cursor()) && (there != null
                    ? insert(rows, t, old.row(), there) : deleted(log, old, from.node()));
            if (!made) {
                left.add(old);
            }
        }
        return left;
    }

    /** The row with the hub's values where it has the column, else the replica's; false when the table refuses it. */
    private static boolean insert(Connection hc, TableInfo t, Row hub, Row replica) throws SQLException {
        List<String> columns = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        for (String column : t.columns()) {
            Row from = hub.columns().contains(column) ? hub : replica.columns().contains(column) ? replica : null;
            if (from != null) {
                columns.add(column);
                values.add(from.value(column));
            }
        }
        try (PreparedStatement s = hc.prepareStatement("INSERT OR IGNORE INTO " + Sql.ident(t.name()) + "("
                + Sql.idents(columns) + ") VALUES(" + RowValues.placeholders(values) + ")")) {
            RowValues.bind(s, values);
            return s.executeUpdate() > 0;
        }
    }

    private static boolean changedSince(Connection hc, String table, String pk, long cursor) throws SQLException {
        try (PreparedStatement s = hc.prepareStatement("SELECT 1 FROM _sm_log WHERE seq > ? AND tbl = ? AND pk = "
                + KeyText.PARAMETER)) {
            s.setLong(1, cursor);
            s.setString(2, table);
            KeyText.bind(s, 3, pk);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    private static boolean deleted(Log log, LocalChange old, String node) throws SQLException {
        log.logDelete(old, node);
        return true;
    }

    /**
     * Stamped 0, as the replica stamps the changes it finds after pushing a schema change ({@link CaptureRecovery}):
     * any other change of the row wins over it. The row is kept as it was, for desktops that hold it untouched.
     */
    private static void logDelete(Connection hc, LocalChange old, String node) throws SQLException {
        try (PreparedStatement s = hc.prepareStatement("INSERT INTO _sm_log(tbl, pk, op, origin, ts)"
                + " VALUES(?, " + KeyText.PARAMETER + ", 'D', ?, 0)")) {
            s.setString(1, old.key().table());
            KeyText.bind(s, 2, old.key().pk());
            s.setString(3, node);
            s.executeUpdate();
        }
        BeforeImages.keep(hc, old.row());
    }
}

package io.sharemirror.store;

import io.sharemirror.sync.Row;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The hub's row as it was before a change found after a migration rather than captured (stamped 0 or below: a
 * migration's result, a write capture missed, or a delete of a row the new definition refused), kept in
 * {@code _sm_before} under that change's log entry. Another desktop that ran the same migration and compares its rows
 * with the hub's ({@link CaptureRecovery}) then tells its untouched copy of such a row (the same as the row before the
 * change) from a write of its own made while its capture had stopped. Pruned with the log.
 */
final class BeforeImages {

    static final String TABLE = "CREATE TABLE IF NOT EXISTS _sm_before(seq INTEGER PRIMARY KEY, row TEXT NOT NULL)";

    /** Log entries pruned take their rows along. */
    static final String PRUNE = "DELETE FROM _sm_before WHERE seq < (SELECT coalesce(min(seq), 0) FROM _sm_log)";

    private BeforeImages() {
    }

    /** Keeps {@code row} as the hub's row before the change the log entry just written names. */
    static void keep(Connection hc, Row row) throws SQLException {
        try (PreparedStatement s = hc.prepareStatement("INSERT INTO _sm_before(seq, row) VALUES(last_insert_rowid(), ?)")) {
            s.setString(1, row.toJson());
            s.executeUpdate();
        }
    }

    /**
     * The keys of {@code table} whose first change on the hub after {@code cursor} kept the row before it, each with
     * that row: the row as this desktop last pulled it (or as the migration that desktop pushed made it).
     */
    static Map<String, Row> firstSince(Connection hc, String table, long cursor) throws SQLException {
        Map<String, Row> rows = new HashMap<>();
        try (PreparedStatement s = hc.prepareStatement("SELECT l.pk, b.row FROM _sm_log l JOIN _sm_before b"
                + " ON b.seq = l.seq WHERE l.tbl = ?2 AND l.seq > ?1 AND NOT EXISTS (SELECT 1 FROM _sm_log e"
                + " WHERE e.tbl = l.tbl AND e.pk = l.pk AND e.seq > ?1 AND e.seq < l.seq)")) {
            s.setLong(1, cursor);
            s.setString(2, table);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.put(r.getString(1), Row.fromJson(r.getString(2)));
                }
            }
        }
        return rows;
    }
}

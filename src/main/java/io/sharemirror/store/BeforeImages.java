package io.sharemirror.store;

import io.sharemirror.sync.Row;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The hub's row as it was before a change found after a migration rather than captured (stamped 0 or below: a
 * migration's result, a write capture missed, or a delete of a row the new definition refused), kept in
 * {@code _sm_before} under that change's log entry. Another desktop that ran the same migration and compares its rows
 * with the hub's ({@link CaptureRecovery}, through {@link io.sharemirror.sync.TableSnapshot#before}) then tells its
 * untouched copy of such a row (the same as the row before the change) from a write of its own made while its capture
 * had stopped. Pruned with the log.
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
}

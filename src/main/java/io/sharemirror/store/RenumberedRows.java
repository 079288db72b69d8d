package io.sharemirror.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The replica's {@code _sm_renumbered}: rows made here that the agent moved to another integer key because a row made
 * elsewhere took theirs on the hub (Plan.Move), for applications that keep ids. Each entry is written in the move's own
 * transaction, so it is exactly as durable as the move. Entries older than {@link #KEPT} go when a new one comes (an
 * application may delete the ones it has handled); a fresh copy of the hub that replaces the replica (Clear Cache) gets
 * them first.
 */
final class RenumberedRows {

    static final String TABLE = "CREATE TABLE IF NOT EXISTS _sm_renumbered(tbl TEXT NOT NULL, old_pk INTEGER NOT NULL,"
            + " new_pk INTEGER NOT NULL, at INTEGER NOT NULL)";

    /** How long an entry is kept: long enough for an application that runs now and then to see it. */
    static final Duration KEPT = Duration.ofDays(90);

    private final RowIo rows;

    RenumberedRows(RowIo rows) {
        this.rows = rows;
    }

    /** Notes that the row made here as {@code table} {@code from} is now {@code to}, at {@code now} (ms). */
    void note(String table, long from, long to, long now) throws SQLException {
        PreparedStatement prune = rows.statement("DELETE FROM _sm_renumbered WHERE at < ?");
        prune.setLong(1, now - KEPT.toMillis());
        prune.executeUpdate();
        PreparedStatement s = rows.statement("INSERT INTO _sm_renumbered(tbl, old_pk, new_pk, at) VALUES(?, ?, ?, ?)");
        s.setString(1, table);
        s.setLong(2, from);
        s.setLong(3, to);
        s.setLong(4, now);
        s.executeUpdate();
    }

    /** Copies every entry of the replica open on {@code from} into the fresh replica open on {@code to}. */
    static void carry(Connection from, Connection to) throws SQLException {
        try (PreparedStatement read = from.prepareStatement("SELECT tbl, old_pk, new_pk, at FROM _sm_renumbered");
             PreparedStatement write = to.prepareStatement(
                     "INSERT INTO _sm_renumbered(tbl, old_pk, new_pk, at) VALUES(?, ?, ?, ?)");
             ResultSet r = read.executeQuery()) {
            while (r.next()) {
                write.setString(1, r.getString(1));
                write.setLong(2, r.getLong(2));
                write.setLong(3, r.getLong(3));
                write.setLong(4, r.getLong(4));
                write.executeUpdate();
            }
        }
    }
}

package io.sharemirror.store;

import io.sharemirror.sync.Key;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The replica's {@code _sm_pulled}: keys whose newest hub change a pull applied from past the cursor, with its log
 * sequence (Replica.appliedPastCursor). A pull applies a window in several local transactions and moves the cursor only
 * with the last; a cycle cut short in between (BUSY, a crash) leaves rows applied that the cursor does not cover, and
 * an application may change them before the window is read again. Written in the transaction that applies the rows,
 * forgotten once the cursor passes them.
 */
final class PulledPastCursor {

    static final String TABLE = "CREATE TABLE IF NOT EXISTS _sm_pulled(tbl TEXT NOT NULL, pk TEXT NOT NULL,"
            + " seq INTEGER NOT NULL, PRIMARY KEY(tbl, pk)) WITHOUT ROWID";

    private PulledPastCursor() {
    }

    /** Inside the pull's local transaction, after the cursor moved: notes the changes past it, forgets the rest. */
    static void remember(RowIo writer, Map<Key, Long> pulled) throws SQLException {
        PreparedStatement note = writer.statement("INSERT INTO _sm_pulled(tbl, pk, seq)"
                + " VALUES(?, " + KeyText.PARAMETER + ", ?)"
                + " ON CONFLICT(tbl, pk) DO UPDATE SET seq = max(seq, excluded.seq)");
        for (Map.Entry<Key, Long> change : pulled.entrySet()) {
            note.setString(1, change.getKey().table());
            KeyText.bind(note, 2, change.getKey().pk());
            note.setLong(3, change.getValue());
            note.executeUpdate();
        }
        forgetPassed(writer);
    }

    /** After the cursor moved: what it covers now is no longer past it. */
    static void forgetPassed(RowIo writer) throws SQLException {
        writer.statement("DELETE FROM _sm_pulled WHERE seq <= (SELECT cursor FROM _sm_state)").executeUpdate();
    }

    static Map<Key, Long> all(Connection c) throws SQLException {
        Map<Key, Long> all = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT tbl, pk, seq FROM _sm_pulled");
             ResultSet r = s.executeQuery()) {
            while (r.next()) {
                all.put(new Key(r.getString(1), KeyText.read(r, 2)), r.getLong(3));
            }
        }
        return all;
    }
}

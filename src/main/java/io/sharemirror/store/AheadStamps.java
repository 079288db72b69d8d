package io.sharemirror.store;

import io.sharemirror.status.ClockSkew;
import io.sharemirror.sync.ReferenceClock;
import io.sharemirror.sync.Key;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tinylog.Logger;

/**
 * Keeps another computer's wrong clock from dragging this replica's hybrid clock ahead. A pull raises the replica's
 * clock to the newest stamp it applies, but only up to {@code max_clock_ahead} past reference time: a stamp further
 * ahead (a program writing the hub directly with its clock ahead, an agent that could not measure its clock) is
 * remembered for its own row only, in {@code _sm_ahead}, until reference time passes it. The capture triggers stamp an
 * edit of such a row just after the remembered stamp, so an edit made here after seeing that version still wins over
 * it (causality), while edits of every other row keep stamps in reference time. The far-ahead version itself keeps its
 * stamp: every replica compares the same stamps, so all of them pick the same winner.
 */
final class AheadStamps {

    static final String TABLE = "CREATE TABLE IF NOT EXISTS _sm_ahead(tbl TEXT NOT NULL, pk TEXT NOT NULL,"
            + " ts INTEGER NOT NULL, PRIMARY KEY(tbl, pk)) WITHOUT ROWID";

    private final String database;
    private final ReferenceClock reference;

    AheadStamps(String database, ReferenceClock reference) {
        this.database = database;
        this.reference = reference;
    }

    /** The capture triggers' stamp for a change of one key: the replica's clock, or after a remembered stamp. */
    static String stamp(String tableLiteral, String keyExpression) {
        return "max((SELECT clock FROM _sm_state), coalesce((SELECT ts + 1 FROM _sm_ahead WHERE tbl = " + tableLiteral
                + " AND pk = " + keyExpression + "), 0))";
    }

    /** After stamping a key's change: the next change of it must be stamped later still. */
    static String advance(String tableLiteral, String keyExpression) {
        return "UPDATE _sm_ahead SET ts = ts + 1 WHERE tbl = " + tableLiteral + " AND pk = " + keyExpression + ";";
    }

    /**
     * Inside the pull's local transaction: remembers the far-ahead stamps of other nodes' changes the planner set aside
     * (Plan.aheadStamps), and forgets those that reference time has passed.
     */
    void remember(RowIo writer, Map<Key, Long> ahead) throws SQLException {
        long now = reference.now().toEpochMilli();
        PreparedStatement remember = writer.statement("INSERT INTO _sm_ahead(tbl, pk, ts)"
                + " VALUES(?, " + KeyText.PARAMETER + ", ?)"
                + " ON CONFLICT(tbl, pk) DO UPDATE SET ts = max(ts, excluded.ts)");
        for (Map.Entry<Key, Long> stamp : ahead.entrySet()) {
            remember.setString(1, stamp.getKey().table());
            KeyText.bind(remember, 2, stamp.getKey().pk());
            remember.setLong(3, stamp.getValue());
            remember.executeUpdate();
        }
        PreparedStatement forget = writer.statement("DELETE FROM _sm_ahead WHERE ts < ?");
        forget.setLong(1, now);
        forget.executeUpdate();
        if (!ahead.isEmpty()) {
            long furthest = ahead.values().stream().mapToLong(Long::longValue).max().getAsLong();
            Logger.warn("{}: {} pulled change{} stamped up to {} ahead of the file server's clock, more than"
                    + " max_clock_ahead ({} s): a clock elsewhere is wrong; this replica's clock stays, and edits made"
                    + " here to those rows are stamped after them", database, ahead.size(),
                    ahead.size() == 1 ? " is" : "s are", ClockSkew.span(Duration.ofMillis(furthest - now)),
                    reference.aheadLimit().toSeconds());
        }
    }

    /** A copy of the hub's log's far-ahead stamps, newest per key, read before the clone drops the log. */
    static List<Object[]> inLog(Connection copy, long limit) throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        try (PreparedStatement s = copy.prepareStatement(
                "SELECT tbl, pk, max(ts) FROM _sm_log WHERE ts > ? GROUP BY tbl, pk")) {
            s.setLong(1, limit);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.add(new Object[] {r.getString(1), KeyText.read(r, 2), r.getLong(3)});
                }
            }
        }
        return rows;
    }

    /** Remembers them in the new replica, as a pull would have. */
    static void remember(Connection replica, List<Object[]> rows) throws SQLException {
        try (PreparedStatement s = replica.prepareStatement("INSERT INTO _sm_ahead(tbl, pk, ts) VALUES(?, "
                + KeyText.PARAMETER + ", ?)")) {
            for (Object[] row : rows) {
                s.setString(1, (String) row[0]);
                KeyText.bind(s, 2, (String) row[1]);
                s.setLong(3, (Long) row[2]);
                s.executeUpdate();
            }
        }
    }
}

package io.sharemirror.store;

import io.sharemirror.json.Json;
import io.sharemirror.sync.Clash;
import io.sharemirror.sync.Key;
import io.sharemirror.sync.RemoteChange;
import io.sharemirror.sync.Waiting;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The replica's list of changes that wait because writing them breaks a constraint ({@link Waiting}),
 * {@code _sm_waiting}: kept in the replica, with the rows, so a restart or another program sees the same list.
 */
final class WaitingRows {

    static final String TABLE = "CREATE TABLE IF NOT EXISTS _sm_waiting(from_hub INTEGER NOT NULL, tbl TEXT NOT NULL,"
            + " pk TEXT NOT NULL, seq INTEGER NOT NULL, ts INTEGER NOT NULL, origin TEXT, broke TEXT NOT NULL,"
            + " vals TEXT NOT NULL, other_tbl TEXT, other_pk TEXT, since INTEGER NOT NULL, cols TEXT NOT NULL DEFAULT '[]',"
            + " PRIMARY KEY(from_hub, tbl, pk)) WITHOUT ROWID";

    private final RowIo rows;

    WaitingRows(RowIo rows) {
        this.rows = rows;
    }

    void holdFromHub(RemoteChange change, Clash clash, long now) throws SQLException {
        hold(true, change.key(), change.seq(), change.ts(), change.origin(), clash, now);
    }

    /** Our changes that a push could not write. */
    void holdOurs(List<Clash> clashes, long now) throws SQLException {
        for (Clash clash : clashes) {
            hold(false, clash.key(), 0, 0, null, clash, now);
        }
    }

    void releaseFromHub(Collection<Key> keys) throws SQLException {
        release(true, keys);
    }

    /** Our changes that reached the hub wait no more (costs one small read when none waits, the usual case). */
    void releaseOurs(Collection<Key> pushed) throws SQLException {
        PreparedStatement any = rows.statement("SELECT 1 FROM _sm_waiting WHERE from_hub = 0 LIMIT 1");
        try (ResultSet r = any.executeQuery()) {
            if (!r.next()) {
                return;
            }
        }
        release(false, pushed);
    }

    private void hold(boolean fromHub, Key key, long seq, long ts, String origin, Clash clash, long now)
            throws SQLException {
        PreparedStatement s = rows.statement("INSERT INTO _sm_waiting(from_hub, tbl, pk, seq, ts, origin, broke, vals,"
                + " other_tbl, other_pk, since, cols) VALUES(?, ?, " + KeyText.PARAMETER + ", ?, ?, ?, ?, ?, ?, "
                + KeyText.PARAMETER + ", ?, ?) ON CONFLICT DO UPDATE SET"
                + " seq = excluded.seq, ts = excluded.ts, origin = excluded.origin, broke = excluded.broke,"
                + " vals = excluded.vals, other_tbl = excluded.other_tbl, other_pk = excluded.other_pk,"
                + " cols = excluded.cols");
        s.setBoolean(1, fromHub);
        s.setString(2, key.table());
        KeyText.bind(s, 3, key.pk());
        s.setLong(4, seq);
        s.setLong(5, ts);
        s.setString(6, origin);
        s.setString(7, clash.constraint());
        s.setString(8, clash.values());
        s.setString(9, clash.other() == null ? null : clash.other().table());
        KeyText.bind(s, 10, clash.other() == null ? null : clash.other().pk());
        s.setLong(11, now);
        s.setString(12, Json.write(clash.columns()));
        s.executeUpdate();
    }

    private void release(boolean fromHub, Collection<Key> keys) throws SQLException {
        PreparedStatement s = rows.statement("DELETE FROM _sm_waiting WHERE from_hub = ? AND tbl = ? AND pk = "
                + KeyText.PARAMETER);
        for (Key key : keys) {
            s.setBoolean(1, fromHub);
            s.setString(2, key.table());
            KeyText.bind(s, 3, key.pk());
            s.executeUpdate();
        }
    }

    /** Everything that waits, oldest first. */
    static List<Waiting> all(Connection c) throws SQLException {
        List<Waiting> all = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT from_hub, tbl, pk, seq, ts, origin, broke, vals, other_tbl,"
                + " other_pk, since, cols FROM _sm_waiting ORDER BY since, tbl, pk");
             ResultSet r = s.executeQuery()) {
            while (r.next()) {
                Key key = new Key(r.getString(2), KeyText.read(r, 3));
                Key other = r.getString(9) == null ? null : new Key(r.getString(9), KeyText.read(r, 10));
                all.add(new Waiting(key, r.getBoolean(1), r.getLong(4), r.getLong(5), r.getString(6),
                        new Clash(key, r.getString(7), r.getString(8), other,
                                Json.readStrings(r.getString(12))),
                        Instant.ofEpochMilli(r.getLong(11))));
            }
        }
        return all;
    }
}

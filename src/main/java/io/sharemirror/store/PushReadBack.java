package io.sharemirror.store;

import io.sharemirror.sync.Key;
import io.sharemirror.sync.LocalChange;
import io.sharemirror.sync.Row;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What every hub kind says when it reads back a push ({@link io.sharemirror.sync.Hub#notLanded}): which pushed
 * versions are not on the hub as written. A row changed since, by someone else or by a later push of the same node,
 * holds their newer write: not damage.
 */
public final class PushReadBack {

    /** The hub's current row at a key, or null. */
    @FunctionalInterface
    public interface Rows {
        Row read(Key key) throws SQLException;
    }

    private PushReadBack() {
    }

    /**
     * @param logAfter the log's entries after the push's cursor, as (tbl, pk, ts, whether the pushing node wrote it)
     */
    public static List<String> notLanded(List<LocalChange> pushed, ResultSet logAfter, Rows hub) throws SQLException {
        Map<Key, Long> logged = new HashMap<>();
        Set<Key> changedSince = new HashSet<>();
        while (logAfter.next()) {
            Key key = new Key(logAfter.getString(1), KeyText.read(logAfter, 2));
            if (logAfter.getBoolean(4)) {
                logged.put(key, logAfter.getLong(3));
            } else {
                changedSince.add(key);
            }
        }
        List<String> wrong = new ArrayList<>();
        for (LocalChange c : pushed) {
            Long ts = logged.get(c.key());
            if (ts == null) {
                wrong.add(c.key().table() + " " + c.key().pk() + ": its log entry is gone");
            } else if (ts <= c.ts() && !changedSince.contains(c.key()) && !landed(c.row(), hub.read(c.key()))) {
                wrong.add(c.key().table() + " " + c.key().pk() + ": the hub holds another version");
            }
        }
        return wrong;
    }

    /** Whether the hub's row carries the pushed values, in the columns both have (null: the row is deleted). */
    private static boolean landed(Row pushed, Row onHub) {
        return pushed == null || onHub == null ? pushed == onHub : onHub.agreesWith(pushed);
    }
}

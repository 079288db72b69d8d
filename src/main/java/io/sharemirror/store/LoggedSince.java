package io.sharemirror.store;

import io.sharemirror.sync.HubSchema;
import io.sharemirror.sync.Key;
import io.sharemirror.sync.Row;
import io.sharemirror.sync.TableSnapshot;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * What one table's log says since a cursor, for {@link io.sharemirror.sync.Hub#tableSnapshot}, the same on every hub
 * kind: each key it names with whether one of its entries made a row, and the row kept before the key's first entry
 * ({@link BeforeImages}). Each hub kind selects the entries its own way.
 */
public final class LoggedSince {

    private LoggedSince() {
    }

    /**
     * @param log one table's entries after the cursor in sequence order, as (pk, seq, op, the row before it as JSON or
     *            NULL); entries up to a key's sequence in {@code applied} are passed over, as a pull does
     */
    public static TableSnapshot snapshot(HubSchema.Table table, Map<Key, Row> rows, ResultSet log,
                                         Map<Key, Long> applied) throws SQLException {
        Map<Key, Boolean> logged = new HashMap<>();
        Map<Key, Row> before = new HashMap<>();
        while (log.next()) {
            Key key = new Key(table.name(), KeyText.read(log, 1));
            if (log.getLong(2) > applied.getOrDefault(key, 0L)) {
                if (!logged.containsKey(key) && log.getString(4) != null) {
                    before.put(key, Row.fromJson(log.getString(4))); // the key's first entry kept the row before it
                }
                logged.merge(key, "I".equals(log.getString(3)), Boolean::logicalOr);
            }
        }
        return new TableSnapshot(table, rows, logged, before);
    }
}

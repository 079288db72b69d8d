package io.sharemirror.sync;

import java.util.Map;

/**
 * One of the hub's tables as one snapshot, with what its log says changed since a cursor ({@link Hub#tableSnapshot}):
 * what a replica compares its own copy with when only a comparison can tell what it wrote (its capture had stopped).
 *
 * @param table the table as the hub syncs it
 * @param rows every row, with all of {@code table}'s columns, by key
 * @param loggedSince each key of the table that the log names after the cursor, with whether one of those entries
 *     made a row there (an insert)
 */
public record TableSnapshot(HubSchema.Table table, Map<Key, Row> rows, Map<Key, Boolean> loggedSince) {

    public TableSnapshot {
        rows = Map.copyOf(rows);
        loggedSince = Map.copyOf(loggedSince);
    }
}

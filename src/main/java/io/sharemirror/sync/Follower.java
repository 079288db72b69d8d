package io.sharemirror.sync;

import java.util.ArrayList;
import java.util.List;

/**
 * A row made here since the last sync that points at another row by a single-column foreign key: when that row moves
 * to another key (two rows were made on one integer key), this one follows it.
 *
 * @param ver the version of its pending change
 * @param ts the time of its pending change
 * @param row the row as it is
 * @param keyIndex where the column is in the row's own key, or -1 when it is not part of it
 */
public record Follower(Key key, long ver, long ts, Row row, String column, int keyIndex) {

    /** The follower once it points at {@code to}, under {@code key}: pending there, a row made here. */
    LocalChange pointingAt(long to, Key key) {
        List<Object> values = new ArrayList<>(row.values());
        values.set(row.columns().indexOf(column), to);
        return new LocalChange(key, ts, ver, LocalChange.Known.NEW, false, new Row(row.columns(), values), 0, 0,
                null);
    }
}

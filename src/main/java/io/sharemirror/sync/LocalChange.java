package io.sharemirror.sync;

/**
 * A key waiting in the replica's pending queue, with the replica's current row.
 *
 * @param ver grows with every local change to the key; pending rows are cleared only if it is unchanged
 * @param known what the hub knows of the key's local row
 * @param integerKey the key is a rowid (INTEGER PRIMARY KEY or no declared key), so it may be re-keyed
 * @param row the replica's current row, or null when the key was deleted locally
 * @param replaced when the row the hub knows at this key was deleted here and a new row then made on the same key
 *     (SQLite reuses the largest rowid): the time of that delete; else 0
 */
public record LocalChange(Key key, long ts, long ver, Known known, boolean integerKey, Row row, long replaced) {

    /** What the hub knows of a pending key's local row (stored as 0, 1, 2 in the replica's queue). */
    public enum Known {
        /** The hub has this row: it came from there or was pushed (edits of it may be pending). */
        ON_HUB,
        /** Made here since the last sync: a row the hub does not know. */
        NEW,
        /** The hub's row, deleted there by someone whose delete lost to a newer change here: the hub holds nothing at
         * the key now, and pushing the row brings the same row back. */
        REVIVED
    }

    /** Whether the key's row was created locally since the last sync. */
    public boolean inserted() {
        return known == Known.NEW;
    }
}

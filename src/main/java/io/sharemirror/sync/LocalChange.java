package io.sharemirror.sync;

/**
 * A key waiting in the replica's pending queue, with the replica's current row.
 *
 * @param ver grows with every local change to the key; pending rows are cleared only if it is unchanged
 * @param inserted the key's row was created locally since the last sync: a row the hub does not know
 * @param integerKey the key is a rowid (INTEGER PRIMARY KEY or no declared key), so it may be re-keyed
 * @param row the replica's current row, or null when the key was deleted locally
 * @param replaced when the row the hub knows at this key was deleted here and a new row then made on the same key
 *     (SQLite reuses the largest rowid): the time of that delete; else 0
 */
public record LocalChange(Key key, long ts, long ver, boolean inserted, boolean integerKey, Row row, long replaced) {
}

package io.sharemirror.sync;

/**
 * A row made here since the last sync that points at another row by a single-column foreign key: when that row moves
 * to another key (two rows were made on one integer key), this one follows it.
 *
 * @param ver the version of its pending change
 * @param keyIndex where the column is in the row's own key, or -1 when it is not part of it
 */
public record Follower(Key key, long ver, String column, int keyIndex) {
}

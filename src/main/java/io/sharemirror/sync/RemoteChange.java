package io.sharemirror.sync;

/**
 * The newest change to a key on the hub by someone else.
 *
 * @param origin the node that wrote it, or "" for a direct writer
 * @param row the hub's current row, or null when the key no longer exists there
 */
public record RemoteChange(Key key, long seq, long ts, String origin, Row row) {
}

package io.sharemirror.sync;

/**
 * The hub's log head, schema cookie and oldest log entry, read in one small transaction: the idle check.
 * Log sequence numbers are contiguous (AUTOINCREMENT; only pruning deletes entries), so a replica whose cursor
 * is below {@code oldest - 1} has missed entries that were pruned. {@code version} is {@link Hub#version()} as of
 * the same snapshot: the hub-change poll compares later versions with it.
 */
public record HubProbe(long head, long schemaVersion, long oldest, long version) {

    public boolean prunedPast(long cursor) {
        return oldest > cursor + 1;
    }
}

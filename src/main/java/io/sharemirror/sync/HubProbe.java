package io.sharemirror.sync;

/**
 * The hub's log head, schema mark, oldest log entry and damage report, read in one small transaction: the idle
 * check. Log sequence numbers are contiguous (AUTOINCREMENT; only pruning deletes entries), so a replica whose cursor
 * is below {@code oldest - 1} has missed entries that were pruned.
 *
 * @param version {@link Hub#version()} as of the same snapshot: the hub-change poll compares later versions with it
 * @param damage what an agent that found committed changes gone from the hub reported there (its node id first), or
 *     null: {@link Hub#reportDamage}
 */
public record HubProbe(long head, SchemaMark schema, long oldest, long version, String damage) {

    public boolean prunedPast(long cursor) {
        return oldest > cursor + 1;
    }
}

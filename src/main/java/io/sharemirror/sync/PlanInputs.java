package io.sharemirror.sync;

import java.util.List;

/** What the planner asks while it plans, read when asked: rarely needed, so never read in advance. */
public interface PlanInputs {

    /**
     * An integer key above every key of the table on the hub and the replica, and at least {@code atLeast} (above the
     * keys the batch names, which the hub may no longer hold), never handed out twice.
     */
    long freeKey(String table, long atLeast);

    /** The rows made here that follow {@code parent} when it moves. */
    List<Follower> followers(Key parent, boolean hubsRow);

    /** The hub's current row at a key, or null when it has none. */
    Row hubRow(Key key);

    /** The replica's current row at a key, or null when it has none. */
    Row localRow(Key key);
}

package io.sharemirror.sync;

import java.util.List;

/** What the planner asks while it plans, read when asked: rarely needed, so never read in advance. */
public interface PlanInputs {

    /** An integer key above every key of the table on the hub and the replica, never handed out twice. */
    long freeKey(String table);

    /** The rows made here that follow {@code parent} when it moves. */
    List<Follower> followers(Key parent);

    /** The hub's current row at a key, or null when it has none. */
    Row hubRow(Key key);

    /** The replica's current row at a key, or null when it has none. */
    Row localRow(Key key);
}

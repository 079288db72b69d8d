package io.sharemirror.sync;

/**
 * What a person chose for a change that waits ({@link Waiting}), where no policy could decide. The third way, keeping
 * both rows with other values, is {@link WayOutPlanner#rewrite}.
 */
public enum WayOut {
    /** This computer's row keeps the values; the hub's row that holds them loses them, archived. */
    KEEP_MINE,
    /** The hub's row keeps the values; this computer's row that holds them loses them, archived. */
    KEEP_THEIRS,
    /**
     * The change that waits loses, archived: ours is dropped and the hub's version taken, or theirs is undone on the hub.
     * The way out of a rule no other row holds (NOT NULL, CHECK), besides editing the value.
     */
    DISCARD
}

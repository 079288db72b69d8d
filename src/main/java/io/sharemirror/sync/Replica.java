package io.sharemirror.sync;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The local copy. Every write it makes is one local transaction. */
public interface Replica {

    String node();

    /** The hub log sequence this replica has applied up to. */
    long cursor();

    /**
     * Keys whose newest change this replica applied from past its cursor, each with that change's log sequence. A pull
     * applies a window in several local transactions and moves the cursor with the last, and a key's newest change may
     * lie past the window: read again, those entries are the rows this replica knows, not new ones (see
     * {@link HubReader#changes}).
     */
    Map<Key, Long> appliedPastCursor();

    /** The hub's schema mark as the replica last matched it. */
    SchemaMark knownSchema();

    long pendingCount();

    /** The newest stamp among the pending changes, 0 when none: a local write is stamped above every earlier one. */
    long newestPendingStamp();

    /** Changes on the replica since the last check (PRAGMA data_version); cheap, for write-behind. */
    long dataVersion();

    /** Up to {@code limit} pending keys with their current rows, read in one snapshot. */
    List<LocalChange> pending(int limit);

    /**
     * Until the returned handle is closed, the replica's writes wait for its write lock only as long as the engine
     * waits for the hub's (about a second) and then fail as busy. For the time the engine holds the hub's write lock.
     */
    BriefWaits briefWaits();

    /** The span of {@link #briefWaits()}. */
    interface BriefWaits extends AutoCloseable {
        @Override
        void close();
    }

    /** Makes every local commit so far, by any program, survive a power cut. */
    void makeDurable();

    /** The tables the replica mirrors. */
    Set<String> tables();

    /** The pending changes of these keys with their current rows, read in one snapshot; keys not pending are absent. */
    Map<Key, LocalChange> pendingFor(Collection<Key> keys);

    /** The replica's current rows at these keys; a key with no row is left out. */
    Map<Key, Row> rows(Collection<Key> keys);

    /** A key above every rowid of an integer-keyed table in the replica. */
    long nextKey(String table);

    /**
     * The rows that follow {@code parent} when it moves (see {@link Follower}): those made here since the last sync,
     * and when it is the hub's row (our change of it outlived its delete there) every pending change of ours that
     * points at it.
     */
    List<Follower> followers(Key parent, boolean hubsRow);

    /**
     * Applies a plan in one local transaction and moves the cursor: first checks that every key's pending version is
     * the one the plan was made on (else {@link PlanOutdatedException}, nothing written), then archives the plan's
     * losing versions in {@code journal}, then writes, and remembers the plan's pulled changes past the cursor.
     */
    void apply(Plan plan, long newCursor, Journal journal);

    /** The changes that wait because writing them breaks a constraint (both ways), oldest first. */
    List<Waiting> waiting();

    /** Notes our rows a push could not write on the hub, and why (once they are pushed, {@link #clearPushed} ends it). */
    void waitingToPush(List<Clash> clashes);

    /**
     * A stamp for a change the agent makes here on a person's behalf: the replica's clock, advanced as capture advances
     * it for an application's write.
     */
    long stampNow();

    /**
     * Writes a row as a person typed it to get past a clash ({@link WayOutPlanner#rewrite}), captured like an
     * application's write, in one local transaction; its waiting change waits no more.
     *
     * @throws WayOutRefused when it breaks a constraint here too, or the columns typed are part of the key
     */
    void rewrite(WayOutPlanner.Rewrite rewrite);

    /**
     * Writes an archived version of a row back as a new local write (null restores a delete). With {@code columns}
     * (a column merge's conflict) only those are written back while the row is here: the rest of it was merged.
     */
    void restore(Key key, String rowJson, List<String> columns);

    /** Drops pending keys whose version is unchanged since they were read; moves the cursor. */
    void clearPushed(List<LocalChange> pushed, long newCursor);
}

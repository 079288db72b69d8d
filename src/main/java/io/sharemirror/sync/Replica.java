package io.sharemirror.sync;

import java.util.List;

/** The local copy. Every write it makes is one local transaction. */
public interface Replica {

    String node();

    /** The hub log sequence this replica has applied up to. */
    long cursor();

    /** The hub schema cookie the replica last matched. */
    long knownSchemaVersion();

    long pendingCount();

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

    /** Applies pulled changes, resolving each key that is also pending, and moves the cursor. */
    ApplyResult apply(List<RemoteChange> changes, long newCursor, Resolver resolver);

    /** Writes an archived version of a row back as a new local write (null restores a delete). */
    void restore(Key key, String rowJson);

    /** Drops pending keys whose version is unchanged since they were read; moves the cursor. */
    void clearPushed(List<LocalChange> pushed, long newCursor);
}

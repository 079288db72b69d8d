package io.sharemirror.sync;

import java.util.List;

/** Reads the hub, either on its own or inside a push transaction that holds the write lock. */
public interface HubReader {

    HubProbe probe();

    /** The newest change per key with {@code after < seq <= upTo} not written by {@code exceptOrigin}. */
    List<RemoteChange> changes(long after, long upTo, String exceptOrigin);

    /** A key above every rowid in the table on the hub, for moving a colliding local insert. */
    long nextKey(String table);
}

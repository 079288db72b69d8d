package io.sharemirror.sync;

import java.util.List;

/** Reads the hub, either on its own or inside a push transaction that holds the write lock. */
public interface HubReader {

    HubProbe probe();

    /**
     * For each key logged with {@code after < seq <= upTo}, its newest change. "Newest" looks past {@code upTo}: the
     * change's row is the hub's current one, and its time must match it. A newest change by {@code node}, the reader
     * itself, is not applied: like {@link RemoteChange#ownPush}, it confirms the reader's push.
     */
    List<RemoteChange> changes(long after, long upTo, String node);

    /** A key above every rowid in the table on the hub, for moving a colliding local insert. */
    long nextKey(String table);
}

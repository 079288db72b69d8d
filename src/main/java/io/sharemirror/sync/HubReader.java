package io.sharemirror.sync;

import java.util.List;
import java.util.Map;

/** Reads the hub, either on its own or inside a push transaction that holds the write lock. */
public interface HubReader {

    HubProbe probe();

    /**
     * For each key logged with {@code after < seq <= upTo}, its newest change. "Newest" looks past {@code upTo}: the
     * change's row is the hub's current one, and its time must match it. A newest change written by
     * {@code exceptOrigin} (our own push) comes with a null row: it is not applied, it confirms the push.
     */
    List<RemoteChange> changes(long after, long upTo, String exceptOrigin);

    /** A key above every rowid in the table on the hub, for moving a colliding local insert. */
    long nextKey(String table);

    /**
     * For each key that {@code origin} itself wrote to the log after position {@code after}, the time of its newest
     * such change. Normally there is none: a node's cursor moves past its own push. After a crash between a push's
     * commit and the clearing of its pending rows there are, and they tell which pending versions are on the hub
     * already.
     */
    default Map<Key, Long> pushedSince(String origin, long after) {
        return Map.of();
    }
}

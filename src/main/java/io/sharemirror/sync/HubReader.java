package io.sharemirror.sync;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Reads the hub, either on its own or inside a push transaction that holds the write lock. */
public interface HubReader {

    HubProbe probe();

    /**
     * For each key logged with {@code after < seq <= upTo}, its newest change. "Newest" looks past {@code upTo}: the
     * change's row is the hub's current one, and its time must match it. A newest change by {@code node}, the reader
     * itself, is not applied: like {@link RemoteChange#ownPush}, it confirms the reader's push.
     */
    List<RemoteChange> changes(long after, long upTo, String node);

    /** The hub's current rows at these keys; a key with no row is left out. */
    Map<Key, Row> rows(Collection<Key> keys);

    /**
     * The hub's row, other than the one at {@code key}, that holds {@code row}'s values under a UNIQUE constraint, as the
     * clash writing {@code row} at {@code key} would meet; null when none does. A read.
     */
    Clash heldElsewhere(Key key, Row row);

    /** A key above every rowid in the table on the hub, for moving a colliding local insert. */
    long nextKey(String table);
}

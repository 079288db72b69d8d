package io.sharemirror.sync;

import java.util.List;
import java.util.Optional;

/** Reads the hub, either on its own or inside a push transaction that holds the write lock. */
public interface HubReader {

    HubProbe probe();

    /**
     * For each key logged with {@code after < seq <= upTo}, its newest change. "Newest" looks past {@code upTo}: the
     * change's row is the hub's current one, and its time must match it. A newest change by {@code node}, the reader
     * itself, is not applied; it confirms its push (its row, null for a delete, is what the push left on the hub).
     */
    List<RemoteChange> changes(long after, long upTo, String node);

    /** A key above every rowid in the table on the hub, for moving a colliding local insert. */
    long nextKey(String table);

    /**
     * The newest change to {@code key} that {@code origin} itself wrote to the log after position {@code after}, if
     * any. Normally there is none: a node's cursor moves past its own push. After a crash between a push's commit and
     * the clearing of its pending rows there is, and it tells which pending versions are on the hub already.
     */
    default Optional<Pushed> pushed(Key key, String origin, long after) {
        return Optional.empty();
    }

    /** A change a node pushed: its time, and whether it deleted the key (so the node's row left the hub). */
    record Pushed(long ts, boolean deleted) {
    }
}

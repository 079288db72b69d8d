package io.sharemirror.sync;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The hub's read verbs, either on their own (each call one read snapshot) or inside a {@link PushTransaction}, which
 * holds the write lock so nothing moves between them. Part of the narrow hub port ({@link Hub}).
 */
public interface HubReader {

    /**
     * One snapshot of what a cycle decides on: the log's head and oldest entry, the schema cookie,
     * {@link Hub#version()} and any damage report. Fails with a {@link StoreException} (FAILED) when the hub is in a journal mode the share
     * cannot carry (WAL).
     */
    HubProbe probe();

    /**
     * Cursor semantics: a cursor is the sequence number of the last log entry a replica applied; log sequence numbers
     * only grow, and entries are deleted only by pruning ({@link PushTransaction#prune}). Returns, for each key logged
     * with {@code after < seq <= upTo}, its newest change. "Newest" looks past {@code upTo}: the change's row is the
     * hub's current one, and its time must match it. A newest change by {@code node}, the reader itself, is not
     * applied: like {@link RemoteChange#ownPush}, it confirms the reader's push. A key in {@code applied} is read as if
     * the cursor stood at its sequence there: the reader applied its changes up to it already
     * ({@link Replica#appliedPastCursor}), so a row made before it is the one the reader knows, not someone's new row.
     */
    List<RemoteChange> changes(long after, long upTo, String node, Map<Key, Long> applied);

    /**
     * Rows by key: the hub's current row at each key, in the same snapshot; a key with no row (never made, or deleted)
     * is left out, so an empty map means none of them exists.
     */
    Map<Key, Row> rows(Collection<Key> keys);

    /**
     * The hub's row, other than the one at {@code key}, that holds {@code row}'s values under a UNIQUE constraint, as the
     * clash writing {@code row} at {@code key} would meet; null when none does. A read.
     */
    Clash heldElsewhere(Key key, Row row);

    /** A key above every rowid in the table on the hub, for moving a colliding local insert. */
    long nextKey(String table);
}

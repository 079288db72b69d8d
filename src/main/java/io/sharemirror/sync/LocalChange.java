package io.sharemirror.sync;

import java.util.Set;

/**
 * A key waiting in the replica's pending queue, with the replica's current row.
 *
 * @param ver grows with every local change to the key; pending rows are cleared only if it is unchanged
 * @param known what the hub knows of the key's local row
 * @param integerKey the key is a rowid (INTEGER PRIMARY KEY or no declared key), so it may be re-keyed
 * @param row the replica's current row, or null when the key was deleted locally
 * @param replaced when the row the hub knows at this key was deleted here and a new row then made on the same key
 *     (SQLite reuses the largest rowid): the time of that delete; else 0
 * @param deleted the time of the latest local delete of the key's row, or 0: a row made here after it is a new row
 * @param columns the columns changed here since the last sync, or null for the whole row (an insert, a delete, a key
 *     change, a change captured by an older version, or one the agent made without saying which)
 */
public record LocalChange(Key key, long ts, long ver, Known known, boolean integerKey, Row row, long replaced,
                          long deleted, Set<String> columns) {

    public LocalChange {
        columns = columns == null ? null : Set.copyOf(columns);
    }

    /** What the hub knows of a pending key's local row (stored as 0, 1, 2 in the replica's queue). */
    public enum Known {
        /** The hub has this row: it came from there or was pushed (edits of it may be pending). */
        ON_HUB,
        /** Made here since the last sync: a row the hub does not know. */
        NEW,
        /**
         * The hub's row, deleted there by someone while it was changed here, and our change outlived the delete: the
         * hub holds nothing at the key now. Pushing our edited row brings the same row back; our own delete of it
         * stays a delete of that row, which meets anyone's revival of it by policy.
         */
        REVIVED
    }

    /**
     * This change as it stands once our own push of the key, made before this change, is on the hub. After our pushed
     * row the key is no longer a local insert, unless we deleted that row since and a row is here again, which is then
     * a new row replacing it (SQLite reuses the largest rowid). After our pushed delete the hub holds nothing, so
     * whatever happens to the key here makes it anew. Either way a delete that a new row of ours replaced before the
     * push is on the hub now.
     */
    public LocalChange afterOwnPush(OwnPush push) {
        boolean replacing = !push.deleted() && deleted > push.ts() && row != null;
        Known now = push.deleted() || replacing ? Known.NEW : Known.ON_HUB;
        return new LocalChange(key, ts, ver, now, integerKey, row, replacing ? deleted : 0, deleted, columns);
    }

    /**
     * The columns this change edits in the hub's row, when it is such an edit: the row the hub has, still here, with
     * the columns known. Null otherwise: the change is the whole row.
     */
    public Set<String> editedColumns() {
        return known == Known.ON_HUB && replaced == 0 && row != null ? columns : null;
    }

    /**
     * Whether a delete of this row here must reach the hub: the hub has a row at the key, this one or the one this
     * new row replaced (deleted here before the key was reused).
     */
    public boolean keyOnHub() {
        return known != Known.NEW || replaced != 0;
    }

    /** Whether the key's row was created locally since the last sync. */
    public boolean inserted() {
        return known == Known.NEW;
    }
}

package io.sharemirror.sync;

import io.sharemirror.sync.conflict.ConflictPolicy.Version;
import java.util.Map;

/**
 * The newest change to a key on the hub.
 *
 * @param origin the node that wrote it, or "" for a direct writer
 * @param row the hub's current row, or null when the key no longer exists there
 * @param created someone else made a row at this key after the reader's cursor (the log has their insert): the
 *     hub's row there, if any, is not one the reader knew
 * @param replaced when someone else deleted the row the reader knew at this key and then made a new row on it (the
 *     log shows a delete, then their insert): the time of that delete; else 0
 * @param ownPush the reader's own newest push of the key after its cursor, or null (see {@link OwnPush})
 * @param columns when every change others made to the key after the cursor was an edit that says which columns it
 *     changed: those columns, each with its newest change; else null, the whole row (an insert or a delete among
 *     them, or an entry written by an older version)
 */
public record RemoteChange(Key key, long seq, long ts, String origin, Row row, boolean created, long replaced,
                           OwnPush ownPush, Map<String, Version> columns) {

    public RemoteChange {
        columns = columns == null ? null : Map.copyOf(columns);
    }
}

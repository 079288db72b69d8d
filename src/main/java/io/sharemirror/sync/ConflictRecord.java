package io.sharemirror.sync;

import java.time.Instant;
import java.util.List;

/**
 * An archived conflict: both versions of a key, who won and why. A version whose row is null was a delete.
 *
 * @param winner "local", "hub", or "discarded" for an unpushed local write that was dropped (Clear Cache, a replica set aside)
 * @param columns for a conflict of a column merge (merge: column), the columns both sides changed, whose losing values
 *     are the conflict (the rest of each row was merged); empty when the whole row is
 */
public record ConflictRecord(String database, Key key, Instant at, String winner, String reason,
                             Row local, long localTs, String localNode,
                             Row remote, long remoteTs, String remoteOrigin, List<String> columns) {

    public ConflictRecord {
        columns = List.copyOf(columns);
    }

    /** A conflict over the whole row. */
    public ConflictRecord(String database, Key key, Instant at, String winner, String reason, Row local, long localTs,
                          String localNode, Row remote, long remoteTs, String remoteOrigin) {
        this(database, key, at, winner, reason, local, localTs, localNode, remote, remoteTs, remoteOrigin, List.of());
    }
}

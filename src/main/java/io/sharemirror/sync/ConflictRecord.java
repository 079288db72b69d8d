package io.sharemirror.sync;

import java.time.Instant;

/**
 * An archived conflict: both versions of a key, who won and why. A version whose row is null was a delete.
 *
 * @param winner "local", "hub", or "discarded" for an unpushed local write that was dropped (Clear Cache, a replica set aside)
 */
public record ConflictRecord(String database, Key key, Instant at, String winner, String reason,
                             Row local, long localTs, String localNode,
                             Row remote, long remoteTs, String remoteOrigin) {
}

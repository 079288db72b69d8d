package io.sharemirror.sync;

import java.time.Instant;

/**
 * An archived conflict: both versions of a key, who won and why. A version whose row is null was a delete.
 *
 * @param winner "local", "hub", or "discarded" when Clear Cache dropped an unpushed local write
 */
public record ConflictRecord(String database, Key key, Instant at, String winner, String reason,
                             Row local, long localTs, String localNode,
                             Row remote, long remoteTs, String remoteOrigin) {
}

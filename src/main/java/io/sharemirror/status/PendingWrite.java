package io.sharemirror.status;

import java.time.Instant;

/**
 * A local write waiting to be pushed, as the dashboard lists it.
 *
 * @param key the row's key values, as text ("42", or "7, 'north'" for a key of several columns)
 * @param since when the row last changed here (its newest write waits; older ones to it are folded in)
 */
public record PendingWrite(String table, String key, Change change, Instant since) {

    public enum Change { INSERT, UPDATE, DELETE }
}

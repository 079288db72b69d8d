package io.sharemirror.status;

/**
 * A database's sync state. Declared from least to most severe: when several databases are shown
 * as one (the tray icon), the most severe wins, so {@code OFFLINE > FAILED > WAITING > PENDING > OK}.
 */
public enum SyncState {
    /** Replica and hub agree; nothing waiting. */
    OK,
    /** Local writes wait to be pushed, or a cycle is running. */
    PENDING,
    /**
     * Some rows wait for a person: writing them breaks a constraint and no policy can decide (see the dashboard's
     * Waiting tab). Everything else syncs, so it is less severe than a failure; unlike pending writes it does not
     * clear by itself, so it is more severe than those.
     */
    WAITING,
    /** The last cycle failed for a reason other than the share being unreachable. */
    FAILED,
    /** The share cannot be reached; the replica keeps working and writes queue. */
    OFFLINE;

    public static SyncState worst(Iterable<SyncState> states) {
        SyncState worst = OK;
        for (SyncState s : states) {
            if (s.compareTo(worst) > 0) {
                worst = s;
            }
        }
        return worst;
    }
}

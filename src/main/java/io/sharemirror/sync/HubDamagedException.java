package io.sharemirror.sync;

/**
 * The hub itself is damaged: SQLite found it malformed, or changes committed to it are no longer there as written
 * (what a share whose locks do not exclude leaves behind, or a hub replaced by an older copy). Once confirmed, lost
 * changes are marked on the hub so that every agent stops syncing it ({@link Hub#reportDamage}); a file SQLite finds
 * malformed is not written at all (ARCHITECTURE.md#share-rules: stop writing to it), and every agent that reads it finds that itself.
 */
public final class HubDamagedException extends StoreException {

    /** For committed changes gone from the hub. */
    public static final String LOST_CHANGES_HINT = "the share's locking is broken, or the hub was replaced by an older"
            + " copy: another computer wrote it at the same moment although ShareMirror held its lock (two mounts of"
            + " one share, a server or client that ignores locks). The hub may be damaged: ShareMirror stopped syncing"
            + " it and keeps the local writes queued. Check it with `sqlite3 FILE 'PRAGMA integrity_check'`, have every"
            + " computer reach it through one share that locks, run `DELETE FROM _sm_damage` on it, then restart"
            + " ShareMirror";

    /** For a hub that another agent marked damaged. */
    public static final String REPORTED_HINT = "ShareMirror on another computer found this hub damaged and every"
            + " computer stopped syncing it; local writes stay queued. Check it with `sqlite3 FILE 'PRAGMA"
            + " integrity_check'`, repair or restore it, then run `DELETE FROM _sm_damage` on it and syncing resumes";

    private final boolean lostChanges;

    public HubDamagedException(String message, String hint, Throwable cause) {
        this(message, hint, cause, false);
    }

    private HubDamagedException(String message, String hint, Throwable cause, boolean lostChanges) {
        super(Kind.CORRUPT, message, hint, cause);
        this.lostChanges = lostChanges;
    }

    /** Changes committed to the hub are gone from it. */
    public static HubDamagedException lostChanges(String message) {
        return new HubDamagedException(message, LOST_CHANGES_HINT, null, true);
    }

    /** Whether the damage is committed changes gone, in a file SQLite still reads and writes: worth marking there. */
    public boolean lostChanges() {
        return lostChanges;
    }
}

package io.sharemirror.sync;

/** Clear Cache refused: local writes are not on the hub yet and were not to be discarded. */
public final class PendingWritesException extends StoreException {

    private final long pending;

    public PendingWritesException(String database, long pending) {
        super(Kind.FAILED, database + " has " + pending + " pending write" + (pending == 1 ? "" : "s")
                        + " that could not be pushed to the hub",
                "sync when the share is reachable, or clear with --discard-pending to archive them in state.db"
                        + " and drop them", null);
        this.pending = pending;
    }

    public long pending() {
        return pending;
    }
}

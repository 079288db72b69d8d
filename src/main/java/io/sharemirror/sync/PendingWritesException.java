package io.sharemirror.sync;

/** Clear Cache refused: local writes are not on the hub yet and were not to be discarded. */
public final class PendingWritesException extends StoreException {

    private final long pending;

    public PendingWritesException(String database, long pending) {
        super(Kind.FAILED, database + " has " + pending + " pending write" + (pending == 1 ? "" : "s")
                        + " that could not be pushed to the hub",
                "sync when the share is reachable, or tick the box to discard them (command line: --discard-pending),"
                        + " which archives them in the conflict archive and drops them", null);
        this.pending = pending;
    }

    public long pending() {
        return pending;
    }
}

package io.sharemirror.sync;

/** A storage failure, classified so the engine knows whether to retry, wait, or stop; carries a hint for people. */
public class StoreException extends RuntimeException {

    /** How the engine reacts. */
    public enum Kind {
        /** Someone else holds the lock: retry with backoff. */
        BUSY,
        /** The share or file cannot be reached: go offline, keep queueing, retry on the interval. */
        OFFLINE,
        /** The file is damaged or not a database: stop writing to it and tell the user. */
        CORRUPT,
        /** A row broke a constraint: not retried; reported with the row. */
        CONSTRAINT,
        /** Anything else, including a hub the engine refuses to touch: reported, retried on the interval. */
        FAILED
    }

    private final Kind kind;
    private final String hint;

    public StoreException(Kind kind, String message, String hint, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.hint = hint;
    }

    public Kind kind() {
        return kind;
    }

    /** What the user can do, or null. */
    public String hint() {
        return hint;
    }
}

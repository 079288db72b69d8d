package io.sharemirror.sync;

/** The database on the share. Implementations reconnect on the next call after a failure. */
public interface Hub extends HubReader {

    /** Takes the hub's write lock ({@code BEGIN IMMEDIATE}); the returned transaction must be closed. */
    PushTransaction beginPush();

    /**
     * A number that changes whenever anyone commits to the hub: the read-only mirror's idle check. Only values from
     * the same Hub object compare; a reconnected hub starts a new series.
     */
    long version();
}

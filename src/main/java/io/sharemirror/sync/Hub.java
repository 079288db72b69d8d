package io.sharemirror.sync;

/** The database on the share. Implementations reconnect on the next call after a failure. */
public interface Hub extends HubReader {

    /** Takes the hub's write lock ({@code BEGIN IMMEDIATE}); the returned transaction must be closed. */
    PushTransaction beginPush();
}

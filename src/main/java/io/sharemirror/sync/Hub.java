package io.sharemirror.sync;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** The database on the share. Implementations reconnect on the next call after a failure. */
public interface Hub extends HubReader {

    /** Takes the hub's write lock ({@code BEGIN IMMEDIATE}); the returned transaction must be closed. */
    PushTransaction beginPush();

    /**
     * A number that changes whenever anyone commits to the hub: the read-only mirror's idle check. Only values from
     * the same Hub object compare; a reconnected hub starts a new series.
     */
    long version();

    /**
     * Which of these versions, pushed by {@code node} after log entry {@code after}, are not on the hub as pushed (as
     * read from the file, not from a cache): one line each saying what is wrong. Empty when all landed.
     */
    List<String> notLanded(List<LocalChange> pushed, String node, long after);

    /**
     * The log entries at these positions, each as text that changes when the entry does; positions with no entry are
     * left out. {@code fromFile}: read past the connection's cache, which a commit that lying locks let overlap ours
     * can leave looking valid.
     */
    Map<Long, String> logEntries(Set<Long> seqs, boolean fromFile);

    /** Records on the hub that {@code node} found committed changes gone from it: every agent's probe sees it. */
    void reportDamage(String node, String what);
}

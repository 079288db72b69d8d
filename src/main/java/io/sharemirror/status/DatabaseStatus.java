package io.sharemirror.status;

import java.time.Instant;

/**
 * What is known about one database at one moment; immutable.
 *
 * @param mirrored false when the share path is opened directly (no replica)
 * @param placement why it is mirrored or opened directly, for people
 * @param hubPath the hub's file as configured, or a PostgreSQL hub's URL (which holds no password)
 * @param hubKind what the hub is, for people: {@code file share} or {@code PostgreSQL host:port/db}
 * @param lastSync end of the last successful cycle, or null if none yet
 * @param nextSync when the next scheduled cycle is due, or null when none is scheduled
 * @param conflicts conflicts resolved (and archived) since the agent started
 * @param error the last failure's message, or null
 * @param hint what the user can do about {@code error}, or null
 * @param clock this computer's clock against the file server's, as last measured, or null when not measured (a
 *     database opened directly or mirrored read-only stamps nothing and never measures)
 * @param waiting changes that wait for a person, both ways: writing them breaks a constraint and no policy decides
 * @param firstWaiting the oldest of those, for people ("supplier [10] (made here) breaks ..."), or null when none waits
 */
public record DatabaseStatus(
        String name,
        SyncState state,
        boolean mirrored,
        String placement,
        String hubPath,
        String hubKind,
        String replicaPath,
        long pendingWrites,
        boolean syncing,
        Instant lastSync,
        Instant nextSync,
        long conflicts,
        String error,
        String hint,
        ClockSkew clock,
        long waiting,
        String firstWaiting) {

    public static DatabaseStatus initial(String name, boolean mirrored, String placement, String hubPath,
                                         String hubKind, String replicaPath) {
        return new DatabaseStatus(name, mirrored ? SyncState.PENDING : SyncState.OK, mirrored, placement,
                hubPath, hubKind, replicaPath, 0, false, null, null, 0, null, null, null, 0, null);
    }

    public DatabaseStatus withSyncing(boolean running) {
        return with(stateFor(running, pendingWrites, waiting), pendingWrites, running, lastSync, nextSync, error, hint)
                .keepingFailure(this);
    }

    public DatabaseStatus succeeded(Instant at, long pending, Instant next) {
        return with(stateFor(false, pending, waiting), pending, false, at, next, null, null);
    }

    public DatabaseStatus failed(SyncState failure, long pending, Instant next, String message, String fix) {
        return with(failure, pending, false, lastSync, next, message, fix);
    }

    public DatabaseStatus withPending(long pending) {
        return with(stateFor(syncing, pending, waiting), pending, syncing, lastSync, nextSync, error, hint)
                .keepingFailure(this);
    }

    public DatabaseStatus withNextSync(Instant next) {
        return with(state, pendingWrites, syncing, lastSync, next, error, hint);
    }

    public DatabaseStatus withMoreConflicts(int resolved) {
        return new DatabaseStatus(name, state, mirrored, placement, hubPath, hubKind, replicaPath, pendingWrites,
                syncing, lastSync, nextSync, conflicts + resolved, error, hint, clock, waiting, firstWaiting);
    }

    public DatabaseStatus withClock(ClockSkew measured) {
        return new DatabaseStatus(name, state, mirrored, placement, hubPath, hubKind, replicaPath, pendingWrites,
                syncing, lastSync, nextSync, conflicts, error, hint, measured, waiting, firstWaiting);
    }

    /** How many changes wait for a person now, and the oldest, described (null when none). */
    public DatabaseStatus withWaiting(long count, String first) {
        return new DatabaseStatus(name, stateFor(syncing, pendingWrites, count), mirrored, placement, hubPath,
                hubKind, replicaPath, pendingWrites, syncing, lastSync, nextSync, conflicts, error, hint, clock, count,
                first).keepingFailure(this);
    }

    private DatabaseStatus with(SyncState s, long pending, boolean running, Instant last, Instant next, String message,
                                String fix) {
        return new DatabaseStatus(name, s, mirrored, placement, hubPath, hubKind, replicaPath, pending, running, last,
                next, conflicts, message, fix, clock, waiting, firstWaiting);
    }

    /** Rows waiting for a person outrank a queue that drains by itself, and a running cycle. */
    private static SyncState stateFor(boolean running, long pending, long waiting) {
        return waiting > 0 ? SyncState.WAITING : running || pending > 0 ? SyncState.PENDING : SyncState.OK;
    }

    /** A failure or offline state stays until a cycle succeeds, whatever else changes. */
    private DatabaseStatus keepingFailure(DatabaseStatus before) {
        if (before.state.compareTo(SyncState.FAILED) >= 0 && state.compareTo(before.state) < 0) {
            return with(before.state, pendingWrites, syncing, lastSync, nextSync, error, hint);
        }
        return this;
    }
}

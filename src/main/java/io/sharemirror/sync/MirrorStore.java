package io.sharemirror.sync;

import java.io.Closeable;

/**
 * Storage for one mirrored database, as a few parts the engine reaches one by one: the hub ({@link Hub}, the narrow
 * hub port), the replica's rows ({@link Replica}), the replica's file ({@link ReplicaFile}) and its capture
 * ({@link Capture}). Connections open on demand.
 */
public interface MirrorStore extends Closeable {

    /** Read-write (sync both ways), or read-only (the replica is a copy of the hub, refreshed as it changes). */
    MirrorMode mode();

    /** The hub connection, opened if needed; after an OFFLINE failure call {@link #disconnectHub()}. */
    Hub hub();

    /** Drops the hub connection so the next {@link #hub()} reconnects (after the share went away). */
    void disconnectHub();

    /** The replica, cloned from the hub first if it does not exist yet. */
    Replica replica();

    /** The replica's file: made, made again, set aside when untrusted. */
    ReplicaFile replicaFile();

    /** The replica's capture, repaired when a schema change stopped it. */
    Capture capture();

    /**
     * Brings the replica's and the hub's schemas together: what the hub's schema gained reaches the replica, a change
     * made on the replica is pushed, hub instrumentation is installed for new tables; the rest is reported.
     */
    SchemaChange syncSchema();

    /**
     * This computer's clock against the hub's file server: the time every stamp of this replica is taken in. Readings
     * come from pushes and {@link Hub#readServerClock()}.
     */
    ReferenceClock referenceClock();

    /** Held for a whole cycle so no other process syncs this database at the same time. */
    Closeable exclusive();

    @Override
    void close();
}

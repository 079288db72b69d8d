package io.sharemirror.sync;

import java.io.Closeable;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** Everything the engine needs from storage for one mirrored database; connections open on demand. */
public interface MirrorStore extends Closeable {

    /** Read-write (sync both ways), or read-only (the replica is a copy of the hub, refreshed as it changes). */
    MirrorMode mode();

    /** The hub connection, opened if needed; after an OFFLINE failure call {@link #disconnectHub()}. */
    Hub hub();

    /** The replica, cloned from the hub first if it does not exist yet. */
    Replica replica();

    /** Whether the replica file exists and is usable without touching the share. */
    boolean replicaExists();

    /** Adds hub tables and columns the replica lacks, installs hub instrumentation for them. */
    SchemaChange syncSchema();

    /** Held for a whole cycle so no other process syncs this database at the same time. */
    Closeable exclusive();

    /**
     * Replaces the replica's contents with a fresh clone of the hub while capture refuses every write, so
     * none can slip in. With pending writes it fails, unless {@code discardPending}: then they are handed to
     * {@code archive} first.
     */
    void recreateReplica(boolean discardPending, Consumer<List<LocalChange>> archive);

    /**
     * Replaces the replica with a fresh copy of the hub when it can no longer be trusted: damaged, not a replica, or
     * deleted or replaced by another program while it was open here. Its file is kept beside the new one, and the
     * writes it held that were never pushed are read from it, as far as they can be, for the engine to archive. Costs
     * a stat when the replica is fine, the usual case.
     *
     * @return what was replaced, or empty when the replica is fine or does not exist yet
     */
    default Optional<ReplacedReplica> replaceUntrustedReplica() {
        return Optional.empty();
    }

    /** This computer's clock against the hub's file server: the time every stamp of this replica is taken in. */
    ReferenceClock referenceClock();

    /**
     * Reads the file server's clock into {@link #referenceClock()} with a tiny write of the agent's own on the hub (a
     * push reads it anyway): for when none was read for a while. A read-only mirror writes nothing and stamps nothing.
     */
    void readServerClock();

    /** Drops the hub connection so the next call reconnects (after the share went away). */
    void disconnectHub();

    @Override
    void close();
}

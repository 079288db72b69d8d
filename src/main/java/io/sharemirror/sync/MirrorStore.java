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

    /**
     * When the replica's schema moved since the last look (any program's DDL), makes sure every mirrored table is
     * captured again, at once and without the share; the tables whose capture had stopped are marked until
     * {@link #recoverUncaptured} has queued the writes capture missed. Costs one local PRAGMA when nothing moved.
     *
     * @return whether the replica's schema moved, and the tables whose capture was repaired
     */
    CaptureRepair checkCapture();

    /**
     * Before a cycle's pull: queues what marked tables hold that the hub lacks as local writes, for the pull's conflict
     * resolution and the push; returns how many keys it queued.
     */
    int recoverUncaptured();

    /** Tables still marked: their writes since capture stopped are not yet compared with the hub. */
    java.util.List<String> uncaptured();

    /** Held for a whole cycle so no other process syncs this database at the same time. */
    Closeable exclusive();

    /**
     * Replaces the replica's contents with a fresh clone of the hub while capture refuses every write, so
     * none can slip in. With pending writes it fails, unless {@code discardPending}: then they are handed to
     * {@code archive} first. Rows the fresh clone lacks that are not pending (writes capture never saw) are handed to
     * {@code archiveUncaptured} before anything is dropped.
     */
    void recreateReplica(boolean discardPending, Consumer<List<LocalChange>> archive,
                         Consumer<List<LocalChange>> archiveUncaptured);

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

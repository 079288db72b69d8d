package io.sharemirror.sync;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** The replica as a file: whether it is there, and making it a fresh copy of the hub again. */
public interface ReplicaFile {

    /** Whether the replica file exists and is usable without touching the share. */
    boolean exists();

    /**
     * Replaces the replica's contents with a fresh clone of the hub while capture refuses every write, so
     * none can slip in. With pending writes it fails, unless {@code discardPending}: then they are handed to
     * {@code archive} first. Rows the fresh clone lacks that are not pending (writes capture never saw) are handed to
     * {@code archiveUncaptured} before anything is dropped.
     */
    void recreate(boolean discardPending, Consumer<List<LocalChange>> archive,
                  Consumer<List<LocalChange>> archiveUncaptured);

    /**
     * Replaces the replica with a fresh copy of the hub when it can no longer be trusted: damaged, not a replica, or
     * deleted or replaced by another program while it was open here. Its file is kept beside the new one, and the
     * writes it held that were never pushed are read from it, as far as they can be, for the engine to archive. Costs
     * a stat when the replica is fine, the usual case.
     *
     * @return what was replaced, or empty when the replica is fine or does not exist yet
     */
    Optional<ReplacedReplica> replaceIfUntrusted();
}

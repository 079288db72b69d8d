package io.sharemirror.sync;

import java.util.List;

/**
 * The replica's capture, kept whole between cycles: any program may run DDL on the replica, which can silently stop
 * the triggers that queue its writes. Every verb runs without the share except {@link #recover()}.
 */
public interface Capture {

    /**
     * When the replica's schema moved since the last look (any program's DDL), makes sure every mirrored table is
     * captured again, at once and without the share; the tables whose capture had stopped are marked until
     * {@link #recover} has queued the writes capture missed. Costs one local PRAGMA when nothing moved.
     *
     * @return whether the replica's schema moved, and the tables whose capture was repaired
     */
    CaptureRepair check();

    /**
     * Before a cycle's pull: queues what marked tables hold that the hub lacks as local writes, for the pull's conflict
     * resolution and the push; returns how many keys it queued. Reads the hub in one snapshot.
     */
    int recover();

    /** Tables still marked: their writes since capture stopped are not yet compared with the hub. */
    List<String> uncaptured();
}

package io.sharemirror.sync;

import io.sharemirror.status.DatabaseStatus;
import io.sharemirror.status.StatusModel;
import io.sharemirror.status.SyncState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.tinylog.Logger;

/**
 * Carries out one database's jobs on whatever thread calls it (the engine's workers): a cycle, a hub poll, Clear
 * Cache, a release, a way out; records each cycle's outcome in the {@link Scheduler} and the status, and notices local
 * writes for write-behind.
 */
final class CycleRunner {

    private final Mirror mirror;
    private final Scheduler scheduler;
    private final StatusModel status;
    private final Clock clock;
    /**
     * One job at a time on this database, and none once it is removed. Guards every use the engine makes of
     * {@link #mirror} and its store. Taken for the whole job by the worker running a cycle (with its bookkeeping), a
     * poll, Clear Cache, a release or a way out; and by {@link #remove()}, which so waits for a running job before it
     * closes the store. Not taken by the ticker's write-behind look ({@link #sawLocalWrite}), which only reads
     * data_version and tolerates a closing store, nor by the engine's shutdown, which closes the stores once the
     * workers stopped or were given up on.
     */
    private final ReentrantLock lock = new ReentrantLock();
    /** Set under {@link #lock}; read without it by {@link #nextCycle}, which must not wait for a running cycle. */
    private volatile boolean removed;
    /** Callers of syncNow waiting for the next cycle to begin; they get its record when it ends. */
    private final Queue<CompletableFuture<CycleRecord>> waiters = new ConcurrentLinkedQueue<>();
    private volatile boolean replicaOpen;
    /** Write-behind's last look, ticker thread only: the replica's data_version and the newest pending stamp. */
    private long dataVersion = -1;
    private long newestPending;

    CycleRunner(Mirror mirror, Scheduler scheduler, StatusModel status, Clock clock) {
        this.mirror = mirror;
        this.scheduler = scheduler;
        this.status = status;
        this.clock = clock;
    }

    String name() {
        return mirror.name();
    }

    MirrorStore store() {
        return mirror.store();
    }

    /** Completes with the next cycle that begins, when it ends; fails if the database is removed first. */
    CompletableFuture<CycleRecord> nextCycle() {
        CompletableFuture<CycleRecord> done = new CompletableFuture<>();
        waiters.add(done);
        if (removed) {
            failWaiters(); // a remove() that drained the waiters before this one was added would leave it waiting
        }
        return done;
    }

    /** Runs a cycle and records it; returns whether another was asked for meanwhile and must start now. */
    boolean cycle() {
        List<CompletableFuture<CycleRecord>> ended = new ArrayList<>();
        CycleRecord record;
        boolean again;
        lock.lock();
        try {
            if (removed) {
                return false; // remove() failed its waiters
            }
            // Only those who asked before this cycle began get its record: one who asked while it ran may have
            // written just before, after this cycle read what to push, and waits for the cycle that follows.
            drainWaiters(ended);
            record = sync();
            Instant now = clock.now();
            long pending = refreshQueue();
            again = scheduler.finished(name(), record.succeeded(), now).map(next -> {
                report(record, pending, next.due());
                return next.again();
            }).orElse(false);
        } finally {
            lock.unlock();
        }
        ended.forEach(w -> w.complete(record));
        return again;
    }

    /** Asks the hub whether it changed; true as well when it could not be asked (the cycle then says why). */
    boolean hubChanged() {
        lock.lock();
        try {
            if (removed) {
                return false;
            }
            return mirror.hubChanged();
        } catch (StoreException e) {
            return true; // the cycle classifies the failure, reports it and backs off
        } catch (RuntimeException e) {
            Logger.error(e, "{}: checking the hub for changes crashed", name());
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Work on the mirror that must not overlap a cycle (Clear Cache, a way out, a release). */
    void exclusively(Consumer<Mirror> work, boolean refreshQueue) {
        lock.lock();
        try {
            if (removed) {
                throw new IllegalArgumentException("no mirrored database named " + name());
            }
            work.accept(mirror);
            if (refreshQueue) {
                refreshQueue();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits for a running job, then closes the store; later jobs do nothing and waiters fail. */
    void remove() {
        lock.lock();
        try {
            removed = true;
            mirror.store().close();
        } finally {
            lock.unlock();
        }
        failWaiters();
    }

    /**
     * Write-behind's cheap look (ticker thread): whether an application wrote since the last look. A cycle's own
     * writes move data_version too: only a change stamped above all seen counts. Else a row that waits, pending for
     * good, would start a cycle after every cycle.
     */
    boolean sawLocalWrite() {
        if (!replicaOpen) {
            return false;
        }
        try {
            Replica replica = mirror.store().replica();
            long version = replica.dataVersion();
            if (version == dataVersion) {
                return false;
            }
            dataVersion = version;
            long pending = replica.pendingCount();
            long newest = replica.newestPendingStamp();
            status.update(name(), s -> s.withPending(pending));
            boolean wrote = pending > 0 && newest > newestPending;
            newestPending = newest;
            return wrote;
        } catch (StoreException e) {
            Logger.debug("{}: watching local writes: {}", name(), e.getMessage());
            return false;
        }
    }

    private CycleRecord sync() {
        try {
            return mirror.sync();
        } catch (RuntimeException e) {
            Logger.error(e, "{}: sync cycle crashed", name());
            return new CycleRecord(name(), clock.now(), Duration.ZERO, 0, 0, 0, -1, CycleRecord.Outcome.FAILED,
                    e.toString(), null);
        }
    }

    private void report(CycleRecord record, long pending, Instant next) {
        SyncState failure = record.outcome() == CycleRecord.Outcome.OFFLINE ? SyncState.OFFLINE : SyncState.FAILED;
        status.update(name(), s -> (record.succeeded()
                ? s.succeeded(record.started().plus(record.duration()), pending, next)
                : s.failed(failure, pending, next, record.error(), record.hint()))
                .withMoreConflicts(record.conflicts()).withClock(mirror.clockSkew()));
    }

    /** Reads the replica's pending writes and the changes that wait into the status; returns the pending count. */
    private long refreshQueue() {
        try {
            if (mirror.store().replicaFile().exists()) {
                Replica replica = mirror.store().replica();
                long pending = replica.pendingCount();
                List<Waiting> waiting = replica.waiting();
                replicaOpen = true;
                status.update(name(), s -> s.withPending(pending).withWaiting(waiting.size(),
                        waiting.isEmpty() ? null : waiting.get(0).describe()));
                return pending;
            }
        } catch (StoreException e) {
            Logger.debug("{}: counting pending writes: {}", name(), e.getMessage());
        }
        return status.snapshot().database(name()).map(DatabaseStatus::pendingWrites).orElse(0L);
    }

    private void drainWaiters(List<CompletableFuture<CycleRecord>> into) {
        for (CompletableFuture<CycleRecord> w = waiters.poll(); w != null; w = waiters.poll()) {
            into.add(w);
        }
    }

    private void failWaiters() {
        List<CompletableFuture<CycleRecord>> left = new ArrayList<>();
        drainWaiters(left);
        left.forEach(w -> w.completeExceptionally(new IllegalArgumentException("no mirrored database named " + name())));
    }
}

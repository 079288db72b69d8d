package io.sharemirror.sync;

import io.sharemirror.status.DatabaseStatus;
import io.sharemirror.status.StatusModel;
import io.sharemirror.status.SyncState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.tinylog.Logger;

/**
 * Runs every mirror's cycles on a worker pool: on its interval, soon after local writes (write-behind), soon after
 * other desktops' writes (the hub-change poll), on demand, and with growing waits while a share is away. One database
 * never syncs twice at once, and its poll never overlaps its cycle.
 */
public final class SyncEngine implements AutoCloseable {

    /** How often the ticker looks at schedules and at the replicas' data_version. */
    static final Duration TICK = Duration.ofMillis(250);
    /** Write-behind: push once local writes have been quiet this long... */
    static final Duration QUIET = Duration.ofSeconds(1);
    /** ...or once the first of them has waited this long, whatever follows. */
    static final Duration MAX_DELAY = Duration.ofSeconds(3);
    /** The longest wait between attempts while a share is unreachable (unless the interval is longer). */
    static final Duration MAX_RETRY_WAIT = Duration.ofMinutes(5);

    private final StatusModel status;
    private final Duration hubPoll;
    private final Clock clock;
    private final ExecutorService workers;
    private final ScheduledExecutorService ticker;
    private final Map<String, Runner> runners = new ConcurrentHashMap<>();
    private volatile boolean paused;

    /**
     * @param hubPoll how often to ask a hub whether anyone else committed since the last cycle (a few small reads on
     *                the share), between cycles that went well; {@link Duration#ZERO} leaves it to the interval
     */
    public SyncEngine(StatusModel status, int threads, Duration hubPoll, Clock clock) {
        this.status = status;
        this.hubPoll = hubPoll;
        this.clock = clock;
        this.workers = Executors.newFixedThreadPool(threads, named("sharemirror-sync"));
        this.ticker = Executors.newSingleThreadScheduledExecutor(named("sharemirror-ticker"));
    }

    /** Starts scheduling: every mirror gets a first cycle right away. */
    public void start() {
        ticker.scheduleWithFixedDelay(this::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    public void add(Mirror mirror, Duration interval, DatabaseStatus initial) {
        status.put(initial);
        runners.put(mirror.name(), new Runner(mirror, interval, clock.now()));
    }

    /** A database opened directly: shown, never synced. */
    public void addDirect(DatabaseStatus initial) {
        status.put(initial);
    }

    /** Stops syncing a database (waiting for a running cycle) and closes its storage. */
    public void remove(String name) {
        Runner r = runners.remove(name);
        if (r != null) {
            synchronized (r.mirror) {
                r.mirror.store().close();
            }
        }
        status.remove(name);
    }

    public List<String> names() {
        return new ArrayList<>(runners.keySet());
    }

    public void setInterval(String name, Duration interval) {
        Runner r = runners.get(name);
        if (r != null) {
            synchronized (r) {
                r.interval = interval;
                Instant soonest = clock.now().plus(interval);
                if (r.nextDue.isAfter(soonest)) {
                    r.nextDue = soonest;
                }
            }
            status.update(name, s -> s.withNextSync(r.nextDue));
        }
    }

    public Duration interval(String name) {
        Runner r = runners.get(name);
        if (r == null) {
            throw new IllegalArgumentException("no mirrored database named " + name);
        }
        synchronized (r) {
            return r.interval;
        }
    }

    public boolean paused() {
        return paused;
    }

    public void setPaused(boolean pause) {
        paused = pause;
        Logger.info(pause ? "sync paused" : "sync resumed");
    }

    /** Runs a cycle now (after the running one, if any); completes when that cycle ends. */
    public CompletableFuture<CycleRecord> syncNow(String name) {
        Runner r = runners.get(name);
        if (r == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("no mirrored database named " + name));
        }
        CompletableFuture<CycleRecord> done = new CompletableFuture<>();
        synchronized (r) {
            r.waiters.add(done);
            if (r.running) {
                r.again = true;
            } else {
                submit(r);
            }
        }
        return done;
    }

    /** Clear Cache on the worker pool, so it never overlaps a cycle of the same database. */
    public CompletableFuture<Void> clearCache(String name, boolean discardPending) {
        Runner r = runners.get(name);
        if (r == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("no mirrored database named " + name));
        }
        return CompletableFuture.runAsync(() -> {
            r.mirror.clearCache(discardPending);
            refreshQueue(r);
        }, workers);
    }

    /** {@link Mirror#resolve} on the worker pool; completes with the cycle that follows to push what it queued. */
    public CompletableFuture<CycleRecord> resolve(String name, Waiting chosen, WayOut way) {
        return decide(name, mirror -> mirror.resolve(chosen, way));
    }

    /** {@link Mirror#rewrite} on the worker pool; completes with the cycle that follows to push the row. */
    public CompletableFuture<CycleRecord> rewrite(String name, Waiting chosen, Key row, Map<String, String> typed) {
        return decide(name, mirror -> mirror.rewrite(chosen, row, typed));
    }

    private CompletableFuture<CycleRecord> decide(String name, Consumer<Mirror> decision) {
        Runner r = runners.get(name);
        if (r == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("no mirrored database named " + name));
        }
        return CompletableFuture.runAsync(() -> {
            decision.accept(r.mirror);
            refreshQueue(r);
        }, workers).thenCompose(decided -> syncNow(name));
    }

    /** {@link Mirror#release} on the worker pool, after a running cycle: push first before the database goes. */
    public CompletableFuture<Void> release(String name, boolean discardPending) {
        Runner r = runners.get(name);
        if (r == null) {
            return CompletableFuture.completedFuture(null); // opened directly: nothing of ours to push
        }
        return CompletableFuture.runAsync(() -> r.mirror.release(discardPending), workers);
    }

    private void tick() {
        try {
            Instant now = clock.now();
            for (Runner r : runners.values()) {
                watchLocalWrites(r, now);
                synchronized (r) {
                    if (paused || r.running) {
                        continue;
                    }
                    if (!now.isBefore(r.nextDue)) {
                        submit(r);
                    } else if (pollDue(r, now)) {
                        r.running = true;
                        r.nextPoll = now.plus(hubPoll);
                        workers.execute(() -> poll(r));
                    }
                }
            }
        } catch (RuntimeException e) {
            Logger.error(e, "scheduler tick failed");
        }
    }

    /** Write-behind: a cheap data_version poll notices local writes and brings the next push forward. */
    private void watchLocalWrites(Runner r, Instant now) {
        if (!r.replicaOpen) {
            return;
        }
        try {
            Replica replica = r.mirror.store().replica();
            long version = replica.dataVersion();
            if (version != r.dataVersion) {
                r.dataVersion = version;
                long pending = replica.pendingCount();
                long newest = replica.newestPendingStamp();
                status.update(r.mirror.name(), s -> s.withPending(pending));
                // A cycle's own writes move data_version too: only a change stamped above all seen is a new local
                // write. Else a row that waits, pending for good, would start a cycle after every cycle.
                if (pending > 0 && newest > r.newestPending) {
                    r.firstLocalWrite = r.firstLocalWrite == null ? now : r.firstLocalWrite;
                    r.lastLocalWrite = now;
                }
                r.newestPending = newest;
            }
            if (r.firstLocalWrite != null && !paused
                    && (!now.isBefore(r.lastLocalWrite.plus(QUIET)) || !now.isBefore(r.firstLocalWrite.plus(MAX_DELAY)))) {
                synchronized (r) {
                    r.nextDue = now;
                }
                r.firstLocalWrite = null;
            }
        } catch (StoreException e) {
            Logger.debug("{}: watching local writes: {}", r.mirror.name(), e.getMessage());
        }
    }

    /** Only after a cycle that went well: while a share is away, the backoff decides when to try again. */
    private boolean pollDue(Runner r, Instant now) {
        return !hubPoll.isZero() && r.replicaOpen && r.failures == 0 && !now.isBefore(r.nextPoll);
    }

    /** Asks the hub whether it changed; a cycle follows when it did, or when the hub could not be asked. */
    private void poll(Runner r) {
        boolean changed;
        try {
            changed = r.mirror.hubChanged();
        } catch (StoreException e) {
            changed = true; // the cycle classifies the failure, reports it and backs off
        } catch (RuntimeException e) {
            Logger.error(e, "{}: checking the hub for changes crashed", r.mirror.name());
            changed = false;
        }
        synchronized (r) {
            r.running = false;
            if (changed || r.again) {
                r.again = false;
                submit(r);
            }
        }
    }

    private void submit(Runner r) {
        r.running = true;
        status.update(r.mirror.name(), s -> s.withSyncing(true));
        workers.execute(() -> run(r));
    }

    private void run(Runner r) {
        CycleRecord record;
        try {
            record = r.mirror.sync();
        } catch (RuntimeException e) {
            Logger.error(e, "{}: sync cycle crashed", r.mirror.name());
            record = new CycleRecord(r.mirror.name(), clock.now(), Duration.ZERO, 0, 0, 0, -1,
                    CycleRecord.Outcome.FAILED, e.toString(), null);
        }
        finish(r, record);
    }

    private void finish(Runner r, CycleRecord record) {
        Instant now = clock.now();
        long pending = refreshQueue(r);
        List<CompletableFuture<CycleRecord>> waiters;
        synchronized (r) {
            r.nextPoll = now.plus(hubPoll);
            if (record.succeeded()) {
                r.failures = 0;
                r.nextDue = now.plus(r.interval);
            } else {
                r.failures++;
                r.nextDue = now.plus(retryWait(r.interval, r.failures));
            }
            Instant next = r.nextDue;
            SyncState failure = record.outcome() == CycleRecord.Outcome.OFFLINE ? SyncState.OFFLINE : SyncState.FAILED;
            status.update(r.mirror.name(), s -> (record.succeeded()
                    ? s.succeeded(record.started().plus(record.duration()), pending, next)
                    : s.failed(failure, pending, next, record.error(), record.hint()))
                    .withMoreConflicts(record.conflicts()).withClock(r.mirror.clockSkew()));
            waiters = new ArrayList<>(r.waiters);
            r.waiters.clear();
            r.running = false;
            if (r.again) {
                r.again = false;
                submit(r);
            }
        }
        waiters.forEach(w -> w.complete(record));
    }

    /** Waits grow from the interval, doubling per failure, with jitter so desktops do not retry in step. */
    static Duration retryWait(Duration interval, int failures) {
        Duration cap = interval.compareTo(MAX_RETRY_WAIT) > 0 ? interval : MAX_RETRY_WAIT;
        Duration ceiling = new Backoff(interval, cap, Integer.MAX_VALUE).ceiling(failures);
        return ceiling.dividedBy(2).plusMillis((long) (Math.random() * ceiling.toMillis() / 2));
    }

    /** Reads the replica's pending writes and the changes that wait into the status; returns the pending count. */
    private long refreshQueue(Runner r) {
        try {
            if (r.mirror.store().replicaFile().exists()) {
                Replica replica = r.mirror.store().replica();
                long pending = replica.pendingCount();
                List<Waiting> waiting = replica.waiting();
                r.replicaOpen = true;
                status.update(r.mirror.name(), s -> s.withPending(pending).withWaiting(waiting.size(),
                        waiting.isEmpty() ? null : waiting.get(0).describe()));
                return pending;
            }
        } catch (StoreException e) {
            Logger.debug("{}: counting pending writes: {}", r.mirror.name(), e.getMessage());
        }
        return status.snapshot().database(r.mirror.name()).map(DatabaseStatus::pendingWrites).orElse(0L);
    }

    /** Ordered shutdown: no new cycles, running ones finish (bounded), then every store closes. */
    @Override
    public void close() {
        ticker.shutdownNow();
        paused = true;
        workers.shutdown();
        try {
            if (!workers.awaitTermination(30, TimeUnit.SECONDS)) {
                Logger.warn("a sync cycle is still running after 30 s; stopping it (the hub rolls back)");
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        runners.values().forEach(r -> r.mirror.store().close());
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread t = new Thread(task, prefix + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Scheduling state of one mirror; guarded by itself except for the ticker-only write-behind fields. */
    private static final class Runner {
        final Mirror mirror;
        final List<CompletableFuture<CycleRecord>> waiters = new ArrayList<>();
        Duration interval;
        Instant nextDue;
        Instant nextPoll;
        int failures;
        /** A cycle or a hub poll is on the worker pool. */
        boolean running;
        boolean again;
        volatile boolean replicaOpen;
        long dataVersion = -1;
        /** The newest pending stamp write-behind has seen. */
        long newestPending;
        Instant firstLocalWrite;
        Instant lastLocalWrite;

        Runner(Mirror mirror, Duration interval, Instant firstDue) {
            this.mirror = mirror;
            this.interval = interval;
            this.nextDue = firstDue;
            this.nextPoll = firstDue;
        }
    }
}

package io.sharemirror.sync;

import io.sharemirror.status.DatabaseStatus;
import io.sharemirror.status.StatusModel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
import java.util.function.DoubleSupplier;
import org.tinylog.Logger;

/**
 * Runs every mirror's cycles on a worker pool: on its interval, soon after local writes (write-behind), soon after
 * other desktops' writes (the hub-change poll), on demand, and with growing waits while a share is away. One database
 * never syncs twice at once, and its poll never overlaps its cycle. The {@link Scheduler} decides when, each
 * database's {@link CycleRunner} carries the jobs out; this class wires them to a ticker and the pool.
 */
public final class SyncEngine implements AutoCloseable {

    /** How often the ticker looks at schedules and at the replicas' data_version. */
    static final Duration TICK = Duration.ofMillis(250);

    private final StatusModel status;
    private final Clock clock;
    private final Scheduler scheduler;
    private final ExecutorService workers;
    private final ScheduledExecutorService ticker;
    private final Map<String, CycleRunner> runners = new ConcurrentHashMap<>();

    /**
     * @param hubPoll how often to ask a hub whether anyone else committed since the last cycle (a few small reads on
     *                the share), between cycles that went well; {@link Duration#ZERO} leaves it to the interval
     */
    public SyncEngine(StatusModel status, int threads, Duration hubPoll, Clock clock) {
        this(status, Executors.newFixedThreadPool(threads, named("sharemirror-sync")), hubPoll, clock, Math::random);
    }

    /**
     * @param workers where jobs run; the engine shuts it down when closed
     * @param random  draws in [0, 1) for the jitter of retry waits
     */
    SyncEngine(StatusModel status, ExecutorService workers, Duration hubPoll, Clock clock, DoubleSupplier random) {
        this.status = status;
        this.clock = clock;
        this.scheduler = new Scheduler(hubPoll, random);
        this.workers = workers;
        this.ticker = Executors.newSingleThreadScheduledExecutor(named("sharemirror-ticker"));
    }

    /** Starts scheduling: every mirror gets a first cycle right away. */
    public void start() {
        ticker.scheduleWithFixedDelay(this::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    public void add(Mirror mirror, Duration interval, DatabaseStatus initial) {
        status.put(initial);
        runners.put(mirror.name(), new CycleRunner(mirror, scheduler, status, clock));
        scheduler.add(mirror.name(), interval, clock.now());
    }

    /** A database opened directly: shown, never synced. */
    public void addDirect(DatabaseStatus initial) {
        status.put(initial);
    }

    /** Stops syncing a database (waiting for a running cycle) and closes its storage. */
    public void remove(String name) {
        CycleRunner r = runners.remove(name);
        scheduler.remove(name);
        if (r != null) {
            r.remove();
        }
        status.remove(name);
    }

    public List<String> names() {
        return new ArrayList<>(runners.keySet());
    }

    public void setInterval(String name, Duration interval) {
        scheduler.setInterval(name, interval, clock.now()).ifPresent(next -> status.update(name, s -> s.withNextSync(next)));
    }

    public Duration interval(String name) {
        return scheduler.interval(name);
    }

    /** When the pause ends ({@link Instant#MAX}: when resumed); empty while syncing. */
    public Optional<Instant> pausedUntil() {
        return scheduler.pausedUntil(clock.now());
    }

    /** No cycle or poll starts until {@code until} ({@link Instant#MAX}: until {@link #resume}); syncNow still runs. */
    public void pauseUntil(Instant until) {
        scheduler.pause(until);
        Logger.info(until.equals(Instant.MAX) ? "sync paused" : "sync paused until {}", until);
    }

    public void resume() {
        scheduler.resume();
        Logger.info("sync resumed");
    }

    /** Runs a cycle now (after the running one, if any); completes when that cycle ends. */
    public CompletableFuture<CycleRecord> syncNow(String name) {
        CycleRunner r = runners.get(name);
        if (r == null) {
            return unknown(name);
        }
        CompletableFuture<CycleRecord> done = r.nextCycle();
        if (scheduler.syncNow(name)) {
            submit(r);
        }
        return done;
    }

    /** Clear Cache on the worker pool, so it never overlaps a cycle of the same database. */
    public CompletableFuture<Void> clearCache(String name, boolean discardPending) {
        CycleRunner r = runners.get(name);
        if (r == null) {
            return unknown(name);
        }
        return CompletableFuture.runAsync(() -> r.exclusively(mirror -> mirror.clearCache(discardPending), true),
                workers);
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
        CycleRunner r = runners.get(name);
        if (r == null) {
            return unknown(name);
        }
        return CompletableFuture.runAsync(() -> r.exclusively(decision, true), workers)
                .thenCompose(decided -> syncNow(name));
    }

    /** {@link Mirror#release} on the worker pool, after a running cycle: push first before the database goes. */
    public CompletableFuture<Void> release(String name, boolean discardPending) {
        CycleRunner r = runners.get(name);
        if (r == null) {
            return CompletableFuture.completedFuture(null); // opened directly: nothing of ours to push
        }
        return CompletableFuture.runAsync(() -> r.exclusively(mirror -> mirror.release(discardPending), false), workers);
    }

    /** One look at every database: the ticker's job, called directly by tests that drive the clock themselves. */
    void tick() {
        try {
            Instant now = clock.now();
            for (CycleRunner r : runners.values()) {
                if (r.sawLocalWrite()) {
                    scheduler.localWrite(r.name(), now);
                }
            }
            for (Scheduler.Start start : scheduler.tick(now)) {
                CycleRunner r = runners.get(start.name());
                if (r == null) {
                    continue; // removed since
                }
                if (start.job() == Scheduler.Job.CYCLE) {
                    submit(r);
                } else {
                    workers.execute(() -> poll(r));
                }
            }
        } catch (RuntimeException e) {
            Logger.error(e, "scheduler tick failed");
        }
    }

    /** Asks the hub whether it changed; a cycle follows when it did, or when the hub could not be asked. */
    private void poll(CycleRunner r) {
        if (scheduler.polled(r.name(), r.hubChanged())) {
            submit(r);
        }
    }

    private void submit(CycleRunner r) {
        status.update(r.name(), s -> s.withSyncing(true));
        workers.execute(() -> {
            if (r.cycle()) {
                submit(r);
            }
        });
    }

    private static <T> CompletableFuture<T> unknown(String name) {
        return CompletableFuture.failedFuture(new IllegalArgumentException("no mirrored database named " + name));
    }

    /** Ordered shutdown: no new cycles, running ones finish (bounded), then every store closes. */
    @Override
    public void close() {
        ticker.shutdownNow();
        scheduler.pause(Instant.MAX);
        workers.shutdown();
        try {
            if (!workers.awaitTermination(30, TimeUnit.SECONDS)) {
                Logger.warn("a sync cycle is still running after 30 s; stopping it (the hub rolls back)");
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        runners.values().forEach(r -> r.store().close());
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread t = new Thread(task, prefix + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}

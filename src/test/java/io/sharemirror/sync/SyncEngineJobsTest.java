package io.sharemirror.sync;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.status.DatabaseStatus;
import io.sharemirror.status.StatusModel;
import io.sharemirror.sync.conflict.ConflictPolicy;
import io.sharemirror.sync.conflict.TablePolicies;
import java.io.Closeable;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The engine's jobs on one database, on a fake clock and a store that holds each cycle until the test lets it go: a
 * sync asked for while a cycle runs, and a database removed while a cycle runs. The ticker is not started; the test
 * ticks.
 */
class SyncEngineJobsTest {

    private static final String DB = "db";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final FakeClock clock = new FakeClock();
    private final StatusModel status = new StatusModel();
    /** What happened, in order: "cycle" when one starts, "recorded" when it ends, "closed". */
    private final List<String> events = new CopyOnWriteArrayList<>();
    /** One permit lets one cycle through. */
    private final Semaphore letCycleEnd = new Semaphore(0);
    private final AtomicInteger inCycle = new AtomicInteger();
    private final AtomicInteger mostAtOnce = new AtomicInteger();
    private final SyncEngine engine = new SyncEngine(status, new TrackedPool(2), Duration.ZERO, clock, () -> 0.5);

    @AfterEach
    void close() {
        letCycleEnd.release(100);
        engine.close();
    }

    @Test
    void aSyncAskedForWhileACycleRunsIsServedByAnotherCycleAfterIt() throws Exception {
        addAndStartTheFirstCycle();
        CompletableFuture<CycleRecord> asked = engine.syncNow(DB);
        CompletableFuture<CycleRecord> askedAgain = engine.syncNow(DB);
        assertFalse(asked.isDone() || askedAgain.isDone(), "the cycle still runs");

        letCycleEnd.release();
        await("the cycle asked for").atMost(TIMEOUT).until(() -> events.size() == 3);
        assertFalse(asked.isDone() || askedAgain.isDone(), "the running cycle may have missed what was written"
                + " before the ask: the answer is the cycle after it");
        letCycleEnd.release();
        CycleRecord answer = asked.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(answer, askedAgain.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "one cycle serves both asks");
        await("it ends").atMost(TIMEOUT).until(() -> events.size() == 4);
        assertEquals(List.of("cycle", "recorded", "cycle", "recorded"), events);
        assertEquals(1, mostAtOnce.get(), "never two cycles at once");
    }

    @Test
    void removeWaitsForTheRunningCycleThenTheDatabaseIsGone() throws Exception {
        addAndStartTheFirstCycle();
        Thread remover = new Thread(() -> engine.remove(DB));
        remover.start();
        await("remove waits for the cycle's lock").atMost(TIMEOUT)
                .until(() -> remover.getState() == Thread.State.WAITING);
        assertEquals(List.of("cycle"), events, "the store stays open while the cycle runs");

        letCycleEnd.release();
        remover.join(TIMEOUT.toMillis());
        assertFalse(remover.isAlive());
        assertEquals(List.of("cycle", "recorded", "closed"), events);

        assertEquals(List.of(), engine.names());
        assertEquals(Optional.empty(), status.snapshot().database(DB));
        assertThrows(IllegalArgumentException.class, () -> engine.interval(DB));
        ExecutionException gone = assertThrows(ExecutionException.class,
                () -> engine.syncNow(DB).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        assertTrue(gone.getCause() instanceof IllegalArgumentException, gone.toString());
        clock.advance(Duration.ofDays(1));
        engine.tick();
        assertEquals(List.of("cycle", "recorded", "closed"), events, "nothing starts on a removed database");
    }

    /** Adds the database and ticks: its first cycle is due at once, and holds until {@link #letCycleEnd}. */
    private void addAndStartTheFirstCycle() {
        Retry retry = new Retry(new Backoff(Duration.ofMillis(1), Duration.ofMillis(1), 1), clock);
        Journal journal = (Journal) Proxy.newProxyInstance(Journal.class.getClassLoader(), new Class<?>[] {Journal.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("recordCycle")) {
                        events.add("recorded");
                    }
                    return null;
                });
        Mirror mirror = new Mirror(DB, heldStore(), TablePolicies.everyTable(ConflictPolicy.NEWEST_WINS), journal,
                retry, clock);
        engine.add(mirror, Duration.ofHours(1), DatabaseStatus.initial(DB, true, "test", "hub", "file share", "replica"));
        engine.tick();
        await("the first cycle runs").atMost(TIMEOUT).until(() -> events.equals(List.of("cycle")));
    }

    /**
     * A store whose process lock holds each cycle until {@link #letCycleEnd}; then the share is away, so the cycle
     * ends OFFLINE.
     */
    private MirrorStore heldStore() {
        ReferenceClock reference = new ReferenceClock(clock, ReferenceClock.DEFAULT_AHEAD_LIMIT);
        return (MirrorStore) Proxy.newProxyInstance(MirrorStore.class.getClassLoader(),
                new Class<?>[] {MirrorStore.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "exclusive" -> hold();
                    case "replicaFile" -> noReplicaYet();
                    case "referenceClock" -> reference;
                    case "disconnectHub" -> null;
                    case "close" -> {
                        events.add("closed");
                        yield null;
                    }
                    default -> throw new StoreException(StoreException.Kind.OFFLINE, "the share is away", null, null);
                });
    }

    private static ReplicaFile noReplicaYet() {
        return (ReplicaFile) Proxy.newProxyInstance(ReplicaFile.class.getClassLoader(),
                new Class<?>[] {ReplicaFile.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "exists" -> false;
                    case "replaceIfUntrusted" -> Optional.empty();
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private Closeable hold() throws InterruptedException {
        events.add("cycle");
        mostAtOnce.accumulateAndGet(inCycle.incrementAndGet(), Math::max);
        letCycleEnd.acquire();
        inCycle.decrementAndGet();
        return () -> { };
    }
}

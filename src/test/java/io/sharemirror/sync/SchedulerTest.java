package io.sharemirror.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.sync.Scheduler.Job;
import io.sharemirror.sync.Scheduler.Next;
import io.sharemirror.sync.Scheduler.Start;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * When each database syncs, on a fake clock: the interval, write-behind, the hub-change poll, the backoff after
 * failures and its reset, the jitter drawn from the random source given, pause and resume, and a sync asked for while
 * one runs. Nothing here waits: the scheduler is told the time.
 */
class SchedulerTest {

    private static final String DB = "db";
    private static final Duration INTERVAL = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofSeconds(5);
    private static final List<Start> NOTHING = List.of();
    private static final List<Start> CYCLE = List.of(new Start(DB, Job.CYCLE));
    private static final List<Start> POLL_ONLY = List.of(new Start(DB, Job.POLL));

    private final FakeClock clock = new FakeClock();
    /** Every jitter draw is the lowest: each retry waits exactly half its ceiling. */
    private final Scheduler scheduler = new Scheduler(POLL, () -> 0.0);

    /** The database added now, its first cycle started and ended {@code succeeded} at {@code after} from now. */
    private Instant firstCycleEnded(boolean succeeded, Duration after) {
        scheduler.add(DB, INTERVAL, clock.now());
        assertEquals(CYCLE, scheduler.tick(clock.now()), "the first cycle is due at once");
        clock.advance(after);
        scheduler.finished(DB, succeeded, clock.now());
        return clock.now();
    }

    private List<Start> tickAt(Instant at) {
        return scheduler.tick(at);
    }

    @Test
    void aCycleIsDueOneIntervalAfterTheLastEndedAndNeverTwiceAtOnce() {
        Scheduler intervalOnly = new Scheduler(Duration.ZERO, () -> 0.0);
        intervalOnly.add(DB, INTERVAL, clock.now());
        assertEquals(CYCLE, intervalOnly.tick(clock.now()));
        clock.advance(Duration.ofHours(1));
        assertEquals(NOTHING, intervalOnly.tick(clock.now()), "a cycle that runs long is not started again");

        Instant ended = clock.now();
        assertEquals(Optional.of(new Next(ended.plus(INTERVAL), false)), intervalOnly.finished(DB, true, ended));
        assertEquals(NOTHING, intervalOnly.tick(ended.plus(INTERVAL).minusMillis(1)));
        assertEquals(CYCLE, intervalOnly.tick(ended.plus(INTERVAL)));
    }

    @Test
    void aShorterIntervalBringsTheNextCycleForwardALongerOneDoesNotPushItBack() {
        firstCycleEnded(true, Duration.ZERO);
        clock.advance(Duration.ofSeconds(10));
        assertEquals(Optional.of(clock.now().plusSeconds(5)), scheduler.setInterval(DB, Duration.ofSeconds(5),
                clock.now()));
        assertEquals(Duration.ofSeconds(5), scheduler.interval(DB));
        assertEquals(Optional.of(clock.now().plusSeconds(5)), scheduler.setInterval(DB, Duration.ofHours(1),
                clock.now()), "a longer interval counts from the next cycle");
        assertEquals(Optional.empty(), scheduler.setInterval("other", INTERVAL, clock.now()));
        assertThrows(IllegalArgumentException.class, () -> scheduler.interval("other"));
    }

    @Test
    void failuresWaitLongerEachTimeUpToTheCapAndASuccessStartsAgainFromTheInterval() {
        scheduler.add(DB, INTERVAL, clock.now());
        // Half of each ceiling (the draws are 0): 30 s, 60 s, 120 s, 240 s, then the 5 minute cap.
        List<Duration> waits = List.of(Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofSeconds(60),
                Duration.ofSeconds(120), Duration.ofSeconds(150), Duration.ofSeconds(150));
        for (Duration wait : waits) {
            assertEquals(CYCLE, scheduler.tick(clock.now()));
            Instant next = scheduler.finished(DB, false, clock.now()).orElseThrow().due();
            assertEquals(wait, Duration.between(clock.now(), next));
            assertEquals(NOTHING, tickAt(next.minusMillis(1)));
            clock.advance(wait);
        }
        assertEquals(CYCLE, scheduler.tick(clock.now()));
        assertEquals(clock.now().plus(INTERVAL), scheduler.finished(DB, true, clock.now()).orElseThrow().due(),
                "a success: back to the interval");
        clock.advance(INTERVAL);
        assertEquals(CYCLE, scheduler.tick(clock.now()));
        assertEquals(clock.now().plusSeconds(15), scheduler.finished(DB, false, clock.now()).orElseThrow().due(),
                "the next failure starts the backoff over");
    }

    @Test
    void theJitterIsDrawnFromTheRandomSourceGiven() {
        Duration interval = Duration.ofSeconds(40);
        assertEquals(Duration.ofSeconds(25), new Scheduler(POLL, () -> 0.25).retryWait(interval, 1),
                "half the ceiling, plus a quarter of the other half");
        assertEquals(Duration.ofSeconds(40), new Scheduler(POLL, () -> 0.0).retryWait(interval, 2));
        assertEquals(Duration.ofMillis(79_999), new Scheduler(POLL, () -> 0.99999).retryWait(interval, 2));

        Scheduler one = new Scheduler(POLL, new Random(11)::nextDouble);
        Scheduler same = new Scheduler(POLL, new Random(11)::nextDouble);
        for (int failures = 1; failures < 10; failures++) {
            assertEquals(one.retryWait(interval, failures), same.retryWait(interval, failures), "the same seed");
        }
    }

    @Test
    void theHubIsPolledEveryPollIntervalBetweenGoodCyclesAndAChangeStartsACycle() {
        scheduler.add(DB, Duration.ofHours(1), clock.now());
        assertEquals(CYCLE, scheduler.tick(clock.now()), "no poll before a first cycle looked at the hub");
        scheduler.finished(DB, true, clock.now());
        Instant ended = clock.now();

        assertEquals(NOTHING, tickAt(ended.plus(POLL).minusMillis(1)));
        assertEquals(POLL_ONLY, tickAt(ended.plus(POLL)));
        assertEquals(NOTHING, tickAt(ended.plus(POLL).plusSeconds(1)), "one poll at a time");
        assertFalse(scheduler.polled(DB, false), "an unchanged hub starts no cycle");
        assertEquals(NOTHING, tickAt(ended.plus(POLL.multipliedBy(2)).minusMillis(1)));
        assertEquals(POLL_ONLY, tickAt(ended.plus(POLL.multipliedBy(2))));
        assertTrue(scheduler.polled(DB, true), "a changed hub does");
        assertEquals(NOTHING, tickAt(ended.plus(POLL.multipliedBy(3))), "the cycle runs: no poll beside it");
    }

    @Test
    void noPollWhileFailingNorWhenSwitchedOff() {
        Instant failed = firstCycleEnded(false, Duration.ZERO);
        Instant retry = failed.plusSeconds(15); // half the interval: the draws are 0
        assertEquals(NOTHING, tickAt(failed.plus(POLL)), "the backoff decides, not the poll");
        assertEquals(NOTHING, tickAt(retry.minusMillis(1)));

        Scheduler off = new Scheduler(Duration.ZERO, () -> 0.0);
        off.add(DB, Duration.ofHours(1), clock.now());
        off.tick(clock.now());
        off.finished(DB, true, clock.now());
        assertEquals(NOTHING, off.tick(clock.now().plus(Duration.ofMinutes(59))));
    }

    @Test
    void localWritesArePushedOnceQuietOrOnceTheFirstWaitedLongEnough() {
        Instant ended = firstCycleEnded(true, Duration.ZERO);
        scheduler.localWrite(DB, ended);
        assertEquals(NOTHING, tickAt(ended.plus(Scheduler.QUIET).minusMillis(1)));
        assertEquals(CYCLE, tickAt(ended.plus(Scheduler.QUIET)), "quiet for a second");
        scheduler.finished(DB, true, ended.plus(Scheduler.QUIET));

        // Writes every half second never fall quiet: the first one waits at most MAX_DELAY.
        Instant first = ended.plusSeconds(2);
        for (Duration since = Duration.ZERO; since.compareTo(Scheduler.MAX_DELAY) < 0; since = since.plusMillis(500)) {
            scheduler.localWrite(DB, first.plus(since));
            assertEquals(NOTHING, tickAt(first.plus(since)), "still writing after " + since);
        }
        assertEquals(CYCLE, tickAt(first.plus(Scheduler.MAX_DELAY)));
    }

    @Test
    void aLocalWriteThatSettlesWhileACycleRunsIsPushedRightAfterIt() {
        Instant ended = firstCycleEnded(true, Duration.ZERO);
        Instant due = ended.plus(INTERVAL);
        assertEquals(CYCLE, tickAt(due));
        scheduler.localWrite(DB, due.plusMillis(100)); // after the running cycle's push, maybe
        assertEquals(NOTHING, tickAt(due.plus(Scheduler.QUIET).plusMillis(100)), "one cycle at a time");
        Instant cycleEnded = due.plusSeconds(5);
        scheduler.finished(DB, true, cycleEnded);
        assertEquals(CYCLE, tickAt(cycleEnded), "write-behind, not the next interval");
    }

    @Test
    void pausedNothingStartsUntilResumedOrUntilThePauseEnds() {
        Instant ended = firstCycleEnded(true, Duration.ZERO);
        Instant due = ended.plus(INTERVAL);
        scheduler.pause(Instant.MAX);
        scheduler.localWrite(DB, ended);
        assertTrue(scheduler.paused(due));
        assertEquals(NOTHING, tickAt(due.plusSeconds(600)), "neither the interval, write-behind nor the poll");
        scheduler.resume();
        assertFalse(scheduler.paused(due));
        assertEquals(CYCLE, tickAt(due.plusSeconds(600)));
        scheduler.finished(DB, true, due.plusSeconds(600));

        Instant later = due.plusSeconds(600);
        Instant until = later.plus(Duration.ofHours(1));
        scheduler.pause(until);
        assertEquals(NOTHING, tickAt(until.minusMillis(1)));
        assertTrue(scheduler.paused(until.minusMillis(1)));
        assertFalse(scheduler.paused(until));
        assertEquals(CYCLE, tickAt(until), "the pause ends by itself");
    }

    @Test
    void aSyncAskedForWhileACycleRunsStartsOnceWhenItEnds() {
        scheduler.add(DB, INTERVAL, clock.now());
        assertTrue(scheduler.syncNow(DB), "idle: the caller starts it");
        assertEquals(NOTHING, scheduler.tick(clock.now()), "already running");
        assertFalse(scheduler.syncNow(DB), "running: it follows");
        assertFalse(scheduler.syncNow(DB), "asked twice, still one to follow");
        assertEquals(Optional.of(new Next(clock.now().plus(INTERVAL), true)), scheduler.finished(DB, true, clock.now()));
        assertEquals(NOTHING, scheduler.tick(clock.now()), "the one that follows runs");
        assertEquals(Optional.of(new Next(clock.now().plus(INTERVAL), false)), scheduler.finished(DB, true, clock.now()));
        assertFalse(scheduler.syncNow("other"), "an unknown database starts nothing");
    }

    @Test
    void aSyncAskedForDuringAPollStartsACycleWhenThePollEnds() {
        Instant ended = firstCycleEnded(true, Duration.ZERO);
        assertEquals(POLL_ONLY, tickAt(ended.plus(POLL)));
        assertFalse(scheduler.syncNow(DB));
        assertTrue(scheduler.polled(DB, false), "the hub did not change, but a sync was asked for");
    }

    @Test
    void aRemovedDatabaseIsNoLongerScheduled() {
        firstCycleEnded(true, Duration.ZERO);
        assertEquals(CYCLE, scheduler.tick(clock.now().plus(INTERVAL)));
        scheduler.remove(DB);
        assertEquals(Optional.empty(), scheduler.finished(DB, true, clock.now()), "the cycle running ends unrecorded");
        assertFalse(scheduler.polled(DB, true));
        assertEquals(NOTHING, scheduler.tick(clock.now().plus(Duration.ofDays(1))));
    }
}

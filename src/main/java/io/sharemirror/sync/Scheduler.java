package io.sharemirror.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * Which database is due for what, and when: its interval, write-behind after local writes, the hub-change poll
 * between good cycles, growing waits after failures (back to the interval after a success), a pause, and a sync asked
 * for now. Pure bookkeeping: it is told the time ({@link #tick}) and what happened, and answers what to start; it
 * runs nothing, so a test drives it with any clock it likes. Thread-safe: every method holds this object's monitor.
 */
final class Scheduler {

    /** Write-behind: push once local writes have been quiet this long... */
    static final Duration QUIET = Duration.ofSeconds(1);
    /** ...or once the first of them has waited this long, whatever follows. */
    static final Duration MAX_DELAY = Duration.ofSeconds(3);
    /** The longest wait between attempts while a share is unreachable (unless the interval is longer). */
    static final Duration MAX_RETRY_WAIT = Duration.ofMinutes(5);

    /** What to start on the worker pool: a sync cycle, or the cheap question whether the hub changed. */
    enum Job { CYCLE, POLL }

    record Start(String name, Job job) {
    }

    /** After a cycle: when the next one is due, and whether one was asked for meanwhile and starts right away. */
    record Next(Instant due, boolean again) {
    }

    private final Duration hubPoll;
    private final DoubleSupplier random;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    /** Null when running; {@link Instant#MAX} when paused until resumed. */
    private Instant pausedUntil;

    /**
     * @param hubPoll how often to ask a hub whether it changed, between cycles that went well; zero: never
     * @param random  draws in [0, 1) for the jitter of retry waits
     */
    Scheduler(Duration hubPoll, DoubleSupplier random) {
        this.hubPoll = hubPoll;
        this.random = random;
    }

    /** A database to schedule; its first cycle is due at {@code firstDue}. */
    synchronized void add(String name, Duration interval, Instant firstDue) {
        entries.put(name, new Entry(interval, firstDue));
    }

    synchronized void remove(String name) {
        entries.remove(name);
    }

    synchronized Duration interval(String name) {
        return entry(name).orElseThrow(() -> new IllegalArgumentException("no mirrored database named " + name))
                .interval;
    }

    /** A new interval; a next cycle further away than it is brought forward. Returns when the next cycle is due. */
    synchronized Optional<Instant> setInterval(String name, Duration interval, Instant now) {
        return entry(name).map(e -> {
            e.interval = interval;
            Instant soonest = now.plus(interval);
            if (e.nextDue.isAfter(soonest)) {
                e.nextDue = soonest;
            }
            return e.nextDue;
        });
    }

    /** No cycle or poll starts until {@code until} ({@link Instant#MAX}: until {@link #resume}); syncNow still runs. */
    synchronized void pause(Instant until) {
        pausedUntil = until;
    }

    synchronized void resume() {
        pausedUntil = null;
    }

    synchronized boolean paused(Instant now) {
        return pausedUntil(now).isPresent();
    }

    /** When the pause in force at {@code now} ends ({@link Instant#MAX}: when resumed); empty when not paused. */
    synchronized Optional<Instant> pausedUntil(Instant now) {
        return Optional.ofNullable(pausedUntil).filter(now::isBefore);
    }

    /** Write-behind: an application wrote to the replica at {@code now}; the push follows once writes settle. */
    synchronized void localWrite(String name, Instant now) {
        entry(name).ifPresent(e -> {
            e.firstLocalWrite = e.firstLocalWrite == null ? now : e.firstLocalWrite;
            e.lastLocalWrite = now;
        });
    }

    /** What is due at {@code now}; each database returned counts as running until {@link #finished}/{@link #polled}. */
    synchronized List<Start> tick(Instant now) {
        boolean paused = paused(now);
        List<Start> due = new ArrayList<>();
        entries.forEach((name, e) -> {
            // Not while running: the cycle's end sets the next due time, and a write after its push must not wait
            // a whole interval for it.
            if (!paused && !e.running && e.writesSettled(now)) {
                e.nextDue = now;
                e.firstLocalWrite = null;
            }
            if (paused || e.running) {
                return;
            }
            if (!now.isBefore(e.nextDue)) {
                e.running = true;
                due.add(new Start(name, Job.CYCLE));
            } else if (pollDue(e, now)) {
                e.running = true;
                e.nextPoll = now.plus(hubPoll);
                due.add(new Start(name, Job.POLL));
            }
        });
        return due;
    }

    /** Sync now: true when the caller starts a cycle; false when one runs (another follows it) or the name is gone. */
    synchronized boolean syncNow(String name) {
        return entry(name).map(e -> {
            if (e.running) {
                e.again = true;
                return false;
            }
            e.running = true;
            return true;
        }).orElse(false);
    }

    /** A poll ended; true when a cycle must start: the hub changed, or a sync was asked for meanwhile. */
    synchronized boolean polled(String name, boolean changed) {
        return entry(name).map(e -> {
            e.running = changed || e.again;
            e.again = false;
            return e.running;
        }).orElse(false);
    }

    /** A cycle ended at {@code now}; empty when the database was removed meanwhile. */
    synchronized Optional<Next> finished(String name, boolean succeeded, Instant now) {
        return entry(name).map(e -> {
            e.nextPoll = now.plus(hubPoll);
            if (succeeded) {
                e.failures = 0;
                e.nextDue = now.plus(e.interval);
            } else {
                e.failures++;
                e.nextDue = now.plus(retryWait(e.interval, e.failures));
            }
            e.running = e.again;
            e.again = false;
            return new Next(e.nextDue, e.running);
        });
    }

    /** Waits grow from the interval, doubling per failure, with jitter so desktops do not retry in step. */
    Duration retryWait(Duration interval, int failures) {
        Duration cap = interval.compareTo(MAX_RETRY_WAIT) > 0 ? interval : MAX_RETRY_WAIT;
        return new Backoff(interval, cap, Integer.MAX_VALUE, random).halfJittered(failures);
    }

    /** Only after a cycle that went well: while a share is away, the backoff decides when to try again. */
    private boolean pollDue(Entry e, Instant now) {
        return !hubPoll.isZero() && e.nextPoll != null && e.failures == 0 && !now.isBefore(e.nextPoll);
    }

    private Optional<Entry> entry(String name) {
        return Optional.ofNullable(entries.get(name));
    }

    private static final class Entry {
        Duration interval;
        Instant nextDue;
        /** Null until a cycle ended: a poll asks about changes since the last cycle's look at the hub. */
        Instant nextPoll;
        int failures;
        /** A cycle or a poll was started and has not ended. */
        boolean running;
        /** A sync was asked for while running: it starts when the running job ends. */
        boolean again;
        Instant firstLocalWrite;
        Instant lastLocalWrite;

        Entry(Duration interval, Instant firstDue) {
            this.interval = interval;
            this.nextDue = firstDue;
        }

        boolean writesSettled(Instant now) {
            return firstLocalWrite != null
                    && (!now.isBefore(lastLocalWrite.plus(QUIET)) || !now.isBefore(firstLocalWrite.plus(MAX_DELAY)));
        }
    }
}

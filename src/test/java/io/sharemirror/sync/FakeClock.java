package io.sharemirror.sync;

import java.time.Duration;
import java.time.Instant;

/**
 * Time that moves only when a test moves it: the wall clock and the monotonic clock together, unless the test sets
 * the wall clock as a person would. Sleeping moves it too, so code that waits does not.
 */
final class FakeClock implements Clock {

    private long wallMs = 1_800_000_000_000L;
    private long monoNs = 5_000_000_000L;

    @Override
    public synchronized Instant now() {
        return Instant.ofEpochMilli(wallMs);
    }

    @Override
    public synchronized long nanoTime() {
        return monoNs;
    }

    @Override
    public void sleep(Duration duration) {
        advance(duration);
    }

    synchronized void advance(Duration by) {
        wallMs += by.toMillis();
        monoNs += by.toNanos();
    }

    /** Someone sets the computer's clock: the wall clock jumps, the monotonic one does not. */
    synchronized void setWallBy(Duration step) {
        wallMs += step.toMillis();
    }

    /** What a clock sample taken now would be, for a server whose clock is {@code offset} ms ahead of this one. */
    synchronized ClockSample sample(long offset, long error) {
        return new ClockSample(offset, error, wallMs, monoNs);
    }
}

package io.sharemirror.sync;

import java.time.Duration;
import java.time.Instant;

/** Time, behind an interface so tests can run backoff, scheduling and clock estimates without waiting. */
public interface Clock {

    Instant now();

    /**
     * A monotonic count of nanoseconds (System.nanoTime on the real clock): unlike {@link #now()} it never jumps when
     * someone sets the computer's clock, so comparing the two tells such a step.
     */
    default long nanoTime() {
        return System.nanoTime();
    }

    void sleep(Duration duration) throws InterruptedException;

    Clock SYSTEM = new Clock() {
        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            Thread.sleep(duration.toMillis());
        }
    };
}

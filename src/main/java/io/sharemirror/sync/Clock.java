package io.sharemirror.sync;

import java.time.Duration;
import java.time.Instant;

/** Time, behind an interface so tests can run backoff and scheduling without waiting. */
public interface Clock {

    Instant now();

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

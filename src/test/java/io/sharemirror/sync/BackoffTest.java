package io.sharemirror.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private static final Duration BASE = Duration.ofMillis(500);
    private static final Duration CAP = Duration.ofSeconds(5);

    @Test
    void ceilingDoublesFromTheBaseUpToTheCap() {
        Backoff b = new Backoff(BASE, CAP, 10);
        assertEquals(Duration.ofMillis(500), b.ceiling(1));
        assertEquals(Duration.ofMillis(1000), b.ceiling(2));
        assertEquals(Duration.ofMillis(2000), b.ceiling(3));
        assertEquals(Duration.ofMillis(4000), b.ceiling(4));
        assertEquals(CAP, b.ceiling(5));
        assertEquals(CAP, b.ceiling(60), "no overflow however many attempts");
    }

    @Test
    void fullJitterStaysWithinZeroAndTheCeiling() {
        Random random = new Random(42);
        Backoff b = new Backoff(BASE, CAP, 10, random::nextDouble);
        long below = 0;
        for (int attempt = 1; attempt <= 8; attempt++) {
            for (int i = 0; i < 500; i++) {
                Duration d = b.delay(attempt);
                assertTrue(!d.isNegative() && d.compareTo(b.ceiling(attempt)) <= 0, d + " at attempt " + attempt);
                below += d.compareTo(b.ceiling(attempt).dividedBy(2)) < 0 ? 1 : 0;
            }
        }
        // Full jitter spreads waits over the whole range: about half fall below the middle.
        assertTrue(below > 1600 && below < 2400, "below middle: " + below + " of 4000");
    }

    @Test
    void rejectsSettingsThatCannotWork() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, CAP, 3));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(CAP, BASE, 3));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(BASE, CAP, 0));
    }

    @Test
    void offlineRetryWaitGrowsFromTheIntervalAndIsCapped() {
        Scheduler scheduler = new Scheduler(Duration.ZERO, new Random(7)::nextDouble);
        Duration interval = Duration.ofSeconds(30);
        for (int failures = 1; failures <= 12; failures++) {
            Duration ceiling = interval.multipliedBy(1L << Math.min(failures - 1, 20));
            Duration cap = ceiling.compareTo(Scheduler.MAX_RETRY_WAIT) > 0 ? Scheduler.MAX_RETRY_WAIT : ceiling;
            for (int i = 0; i < 50; i++) {
                Duration wait = scheduler.retryWait(interval, failures);
                assertTrue(wait.compareTo(cap.dividedBy(2)) >= 0 && wait.compareTo(cap) <= 0,
                        wait + " after " + failures + " failures, expected within [" + cap.dividedBy(2) + ", " + cap + "]");
            }
        }
        Duration longInterval = Duration.ofHours(1);
        assertTrue(scheduler.retryWait(longInterval, 5).compareTo(longInterval.dividedBy(2)) >= 0,
                "an interval above the cap is never shortened below half of it");
    }
}

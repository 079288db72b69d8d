package io.sharemirror.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryTest {

    /** A clock that records sleeps instead of sleeping. */
    static final class RecordingClock implements Clock {
        final List<Duration> sleeps = new ArrayList<>();

        @Override
        public Instant now() {
            return Instant.EPOCH;
        }

        @Override
        public void sleep(Duration duration) {
            sleeps.add(duration);
        }
    }

    private static StoreException busy() {
        return new StoreException(StoreException.Kind.BUSY, "x",
                null, new java.sql.SQLException("[SQLITE_BUSY] The database file is locked (database is locked)"));
    }

    @Test
    void busyIsRetriedWithBackoffUntilItSucceeds() {
        RecordingClock clock = new RecordingClock();
        Retry retry = new Retry(new Backoff(Duration.ofMillis(500), Duration.ofSeconds(5), 3, () -> 0.999), clock);
        int[] calls = {0};
        String result = retry.onBusy(() -> {
            if (++calls[0] < 3) {
                throw busy();
            }
            return "done";
        });
        assertEquals("done", result);
        assertEquals(3, calls[0]);
        assertEquals(List.of(Duration.ofMillis(499), Duration.ofMillis(999)), clock.sleeps);
    }

    @Test
    void busyGivesUpAfterMaxAttempts() {
        RecordingClock clock = new RecordingClock();
        Retry retry = new Retry(new Backoff(Duration.ofMillis(500), Duration.ofSeconds(5), 3), clock);
        int[] calls = {0};
        StoreException e = assertThrows(StoreException.class, () -> retry.onBusy(() -> {
            calls[0]++;
            throw busy();
        }));
        assertEquals(StoreException.Kind.BUSY, e.kind());
        assertEquals(3, calls[0]);
        assertEquals(2, clock.sleeps.size(), "no wait after the last attempt");
    }

    @Test
    void otherFailuresAreNotRetried() {
        RecordingClock clock = new RecordingClock();
        Retry retry = new Retry(new Backoff(Duration.ofMillis(500), Duration.ofSeconds(5), 3), clock);
        StoreException offline = new StoreException(StoreException.Kind.OFFLINE, "gone", null, null);
        int[] calls = {0};
        assertSame(offline, assertThrows(StoreException.class, () -> retry.onBusy(() -> {
            calls[0]++;
            throw offline;
        })));
        assertEquals(1, calls[0]);
        assertEquals(List.of(), clock.sleeps);
    }

    @Test
    void logsSqlitesOwnWords() {
        assertEquals("database is locked", Retry.reason(busy()));
        assertEquals("database table is locked", Retry.reason(new StoreException(StoreException.Kind.BUSY, "x", null,
                new java.sql.SQLException("[SQLITE_LOCKED] A table in the database is locked (database table is locked)"))));
    }
}

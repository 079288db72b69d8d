package io.sharemirror.config;

import io.sharemirror.sync.ReferenceClock;
import java.time.Duration;

/**
 * Concurrency, retry and polling settings shared by every database.
 *
 * @param hubPollInterval how often each hub is asked whether another desktop committed since the last cycle;
 *                        {@link Duration#ZERO} switches that off (changes then arrive on the sync interval)
 * @param maxClockAhead how far ahead of the file server's clock another desktop's stamp may move this replica's
 *                      hybrid clock; a stamp further ahead is remembered for its own row only (store.AheadStamps)
 */
public record Tuning(
        int threadPoolSize,
        Duration connectionTimeout,
        int maxRetries,
        Duration retryBaseDelay,
        Duration retryMaxDelay,
        int connectionPoolSize,
        Duration hubPollInterval,
        Duration maxClockAhead) {

    public static final Tuning DEFAULTS = new Tuning(10, Duration.ofSeconds(30), 3, Duration.ofMillis(500),
            Duration.ofSeconds(5), 5, Duration.ofSeconds(1), ReferenceClock.DEFAULT_AHEAD_LIMIT);
}

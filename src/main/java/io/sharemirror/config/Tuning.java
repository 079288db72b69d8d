package io.sharemirror.config;

import java.time.Duration;

/** Concurrency and retry settings shared by every database. */
public record Tuning(
        int threadPoolSize,
        Duration connectionTimeout,
        int maxRetries,
        Duration retryBaseDelay,
        Duration retryMaxDelay,
        int connectionPoolSize) {

    public static final Tuning DEFAULTS = new Tuning(
            10, Duration.ofSeconds(30), 3, Duration.ofMillis(500), Duration.ofSeconds(5), 5);
}

package io.sharemirror.sync;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with full jitter: attempt n waits a random time in [0, min(cap, base * 2^(n-1))),
 * so agents on several desktops that collided once do not collide again in step.
 */
public record Backoff(Duration base, Duration cap, int maxAttempts, DoubleSupplier random) {

    public Backoff {
        if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0 || maxAttempts < 1) {
            throw new IllegalArgumentException("backoff needs 0 < base <= cap and at least one attempt");
        }
    }

    public Backoff(Duration base, Duration cap, int maxAttempts) {
        this(base, cap, maxAttempts, Math::random);
    }

    /** The ceiling for the wait after failed attempt {@code attempt} (1-based). */
    public Duration ceiling(int attempt) {
        long ms = base.toMillis();
        for (int i = 1; i < attempt && ms < cap.toMillis(); i++) {
            ms *= 2;
        }
        return Duration.ofMillis(Math.min(ms, cap.toMillis()));
    }

    public Duration delay(int attempt) {
        return Duration.ofMillis((long) (random.getAsDouble() * ceiling(attempt).toMillis()));
    }

    /** A wait in the upper half of the ceiling: never much shorter than it, yet out of step with other desktops. */
    public Duration halfJittered(int attempt) {
        Duration ceiling = ceiling(attempt);
        return ceiling.dividedBy(2).plusMillis((long) (random.getAsDouble() * ceiling.toMillis() / 2));
    }
}

package io.sharemirror.sync;

import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;
import org.tinylog.Logger;

/** Runs a storage operation again when it fails with BUSY, waiting per {@link Backoff}; other failures pass through. */
public final class Retry {

    private final Backoff backoff;
    private final Clock clock;

    public Retry(Backoff backoff, Clock clock) {
        this.backoff = backoff;
        this.clock = clock;
    }

    public Backoff backoff() {
        return backoff;
    }

    public <T> T onBusy(Supplier<T> operation) {
        for (int attempt = 1; ; attempt++) {
            try {
                return operation.get();
            } catch (StoreException e) {
                if (e.kind() != StoreException.Kind.BUSY) {
                    throw e;
                }
                if (attempt >= backoff.maxAttempts()) {
                    Logger.error("Database operation failed after {} attempts: {}", attempt, reason(e));
                    throw e;
                }
                Duration wait = backoff.delay(attempt);
                Logger.warn("Database operation failed (attempt {}/{}): {}. Retrying in {}s...", attempt,
                        backoff.maxAttempts(), reason(e), String.format(Locale.ROOT, "%.2f", wait.toMillis() / 1000.0));
                sleep(wait, e);
            }
        }
    }

    public void onBusy(Runnable operation) {
        onBusy(() -> {
            operation.run();
            return null;
        });
    }

    private void sleep(Duration wait, StoreException cause) {
        try {
            clock.sleep(wait);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw cause;
        }
    }

    /**
     * SQLite's own words, e.g. "database is locked", from the driver's
     * "[SQLITE_BUSY] The database file is locked (database is locked)".
     */
    static String reason(StoreException e) {
        Throwable root = e.getCause() != null ? e.getCause() : e;
        String text = String.valueOf(root.getMessage()).trim();
        int open = text.lastIndexOf('(');
        if (open >= 0 && text.endsWith(")")) {
            return text.substring(open + 1, text.length() - 1);
        }
        int bracket = text.lastIndexOf(']');
        return bracket >= 0 ? text.substring(bracket + 1).trim() : text;
    }
}

package io.sharemirror;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The one thing the tests wait for that Awaitility does not answer directly: whether a condition came to hold in
 * time, for a step that is tried again when it did not, or whose laggards are reported one by one afterwards.
 */
public final class Waits {

    private Waits() {
    }

    /** Whether {@code condition} comes to hold within {@code limit}, asked at once and then every {@code every}. */
    public static boolean holdsWithin(Duration limit, Duration every, Callable<Boolean> condition) {
        try {
            await().atMost(limit).pollInSameThread().pollDelay(Duration.ZERO).pollInterval(every).until(condition);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }
}

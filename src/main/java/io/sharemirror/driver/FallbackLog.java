package io.sharemirror.driver;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.tinylog.Logger;

/**
 * Tells, once per database, why connections open the share directly, and once when they use the replica again: an
 * application that connects per query must not log a line per query.
 */
final class FallbackLog {

    private static final String REPLICA = "";

    private final Map<String, String> last = new ConcurrentHashMap<>();

    /** Notes where connections to {@code database} went; returns whether that was news and was logged. */
    boolean report(String database, Route route) {
        String now = route.direct() ? route.directReason() : REPLICA;
        String before = last.put(database, now);
        if (now.equals(before) || (before == null && now.equals(REPLICA))) {
            return false;
        }
        if (now.equals(REPLICA)) {
            Logger.info("ShareMirror: connections to {} use its local replica {} again", database, route.file());
        } else {
            Logger.warn("ShareMirror: connections to {} open it on the share ({})", database, route.directReason());
        }
        return true;
    }
}

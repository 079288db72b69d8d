package io.sharemirror.share;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Closes the share fixtures a test left open when the JVM exits (a test that forgot try-with-resources, a surefire
 * timeout), so no mount or server outlives the run. The fixtures' own close() is the normal path.
 */
final class LastResort {

    private static final Set<AutoCloseable> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(LastResort::closeAll, "share-fixtures-last-resort"));
    }

    private LastResort() {
    }

    static void register(AutoCloseable fixture) {
        OPEN.add(fixture);
    }

    static void done(AutoCloseable fixture) {
        OPEN.remove(fixture);
    }

    private static void closeAll() {
        for (AutoCloseable fixture : OPEN) {
            try {
                fixture.close();
            } catch (Exception e) {
                System.err.println("closing " + fixture + " at exit failed: " + e);
            }
        }
    }
}

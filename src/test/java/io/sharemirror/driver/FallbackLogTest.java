package io.sharemirror.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** An application that connects per query logs why it is on the share once, not once a query. */
class FallbackLogTest {

    @Test
    void logsEachChangeOfRoutePerDatabaseOnce() {
        FallbackLog log = new FallbackLog();
        Route replica = new Route("/cache/app.db", null);
        Route missing = new Route("/share/app.db", "direct: there is no replica yet");
        Route off = new Route("/share/app.db", "direct: enable_cache is false");
        List<Boolean> logged = Stream.of(replica, replica, missing, missing, missing, replica, replica, off, off)
                .map(route -> log.report("/share/app.db", route)).toList();
        assertEquals(List.of(false, false, true, false, false, true, false, true, false), logged);
        assertEquals(true, log.report("/share/other.db", missing), "each database has its own");
    }
}

package io.sharemirror.share;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The proxy makes every round trip to a real PostgreSQL server at least the added time, and changes no byte. */
class LatencyProxyTest {

    @RegisterExtension
    static final PostgresServer.PerClass postgres = new PostgresServer.PerClass();

    @Test
    void eachRoundTripTakesTheAddedTimeAndTheAnswersArriveWhole() throws Exception {
        try (LatencyProxy proxy = new LatencyProxy(new InetSocketAddress("127.0.0.1", postgres.server().port()),
                Duration.ofMillis(40));
             Connection c = DriverManager.getConnection(postgres.server().jdbcUrl().replace(":" + postgres.server().port() + "/",
                     ":" + proxy.port() + "/"), postgres.server().user(), postgres.server().password());
             Statement s = c.createStatement()) {
            int trips = 20;
            long before = proxy.requests();
            long start = System.nanoTime();
            for (int i = 0; i < trips; i++) {
                try (ResultSet r = s.executeQuery("SELECT " + i)) {
                    r.next();
                    assertEquals(i, r.getInt(1));
                }
            }
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(elapsedMs >= trips * 40, trips + " round trips took " + elapsedMs + " ms");
            assertEquals(trips, proxy.requests() - before, "each query is one request the server answers");
            try (ResultSet r = s.executeQuery("SELECT string_agg(i::text, ',') FROM generate_series(1, 300000) i")) {
                r.next();
                String big = r.getString(1);
                try (Connection d = postgres.server().connect(); ResultSet direct = d.createStatement().executeQuery(
                        "SELECT string_agg(i::text, ',') FROM generate_series(1, 300000) i")) {
                    direct.next();
                    assertEquals(direct.getString(1), big, "a 2 MB answer through the proxy");
                }
            }
        }
    }
}

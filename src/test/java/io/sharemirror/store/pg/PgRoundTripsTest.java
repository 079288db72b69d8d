package io.sharemirror.store.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.sync.HubProbe;
import io.sharemirror.sync.Key;
import io.sharemirror.sync.LocalChange;
import io.sharemirror.sync.PushTransaction;
import io.sharemirror.sync.Pushed;
import io.sharemirror.sync.RemoteChange;
import io.sharemirror.sync.Row;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a push and a pull cost in round trips to the server, the figure that matters once the server is a few
 * milliseconds away. A round trip is one Sync the driver sends (it then waits for the server's ReadyForQuery), counted
 * from the driver's own protocol trace.
 */
class PgRoundTripsTest {

    private static final Logger DRIVER = Logger.getLogger("org.postgresql.core.v3.QueryExecutorImpl");

    private static CatalogServer server;
    private static PgHub hub;

    @BeforeAll
    static void start() throws IOException, SQLException {
        server = CatalogServer.start();
        try (Connection c = server.connect()) {
            HandMadeTables.items(c);
        }
        hub = server.keep(server.hub("hub", s -> { }, () -> { }));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aPushOfAHundredRows() {
        List<LocalChange> changes = new ArrayList<>();
        for (long id = 1; id <= 100; id++) {
            changes.add(new LocalChange(Key.ofInteger("items", id), 1_000, 1, LocalChange.Known.NEW, true,
                    new Row(List.of("id", "code", "qty"), List.of(id, "c" + id, id)), 0, 0, null));
        }
        hub.probe(); // as every cycle does first: the tables are read as of its schema cookie
        int trips = roundTrips(() -> {
            try (PushTransaction p = hub.beginPush()) {
                Pushed pushed = p.write(changes, "A", 0);
                p.commit();
                assertEquals(100, pushed.written().size());
            }
        });
        System.out.println("PgRoundTripsTest: a push of 100 rows costs " + trips + " round trips");
        assertTrue(trips <= 6, trips + " round trips");
    }

    @Test
    void aPullOfAThousandChanges() throws SQLException {
        long cursor = hub.probe().head();
        try (Connection direct = server.connect(); Statement s = direct.createStatement()) {
            s.execute("INSERT INTO items(id, code, qty) SELECT n, 'd' || n, n FROM generate_series(1001, 2000) n");
        }
        List<RemoteChange> pulled = new ArrayList<>();
        int trips = roundTrips(() -> {
            HubProbe probe = hub.probe();
            pulled.addAll(hub.changes(cursor, probe.head(), "B", Map.of()));
        });
        assertEquals(1000, pulled.size());
        System.out.println("PgRoundTripsTest: a probe and a pull of 1,000 changes cost " + trips + " round trips");
        assertTrue(trips <= 5, trips + " round trips");
    }

    private static int roundTrips(Runnable work) {
        AtomicInteger syncs = new AtomicInteger();
        Handler counter = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getMessage() != null && record.getMessage().contains("FE=> Sync")) {
                    syncs.incrementAndGet();
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Level before = DRIVER.getLevel();
        DRIVER.setLevel(Level.FINEST);
        DRIVER.addHandler(counter);
        try {
            work.run();
        } finally {
            DRIVER.removeHandler(counter);
            DRIVER.setLevel(before);
        }
        return syncs.get();
    }
}

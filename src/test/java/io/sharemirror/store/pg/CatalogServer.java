package io.sharemirror.store.pg;

import io.sharemirror.share.PostgresServer;
import io.sharemirror.sync.ClockSample;
import io.sharemirror.sync.Clock;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

/**
 * A PostgreSQL server for one test class with ShareMirror's own objects installed ({@link PgCatalog}); what the
 * class keeps open on it is closed with it, the server last.
 */
final class CatalogServer implements AutoCloseable {

    private final PostgresServer server;
    private final Deque<AutoCloseable> kept = new ArrayDeque<>();

    private CatalogServer(PostgresServer server) {
        this.server = server;
    }

    static CatalogServer start() throws IOException, SQLException {
        CatalogServer started = new CatalogServer(PostgresServer.start());
        try (Connection c = started.connect()) {
            PgCatalog.install(c);
        } catch (SQLException | RuntimeException e) {
            started.close();
            throw e;
        }
        return started;
    }

    Connection connect() throws SQLException {
        return server.connect();
    }

    /** A hub on the server, as an agent opens it. */
    PgHub hub(String location, Consumer<ClockSample> sampled, Runnable woken) throws SQLException {
        return PgHub.open(server::connect, location, t -> true, Clock.SYSTEM, sampled, woken);
    }

    /** Closes {@code open} before the server stops. */
    <T extends AutoCloseable> T keep(T open) {
        kept.push(open);
        return open;
    }

    @Override
    public void close() {
        try {
            while (!kept.isEmpty()) {
                try {
                    kept.pop().close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        } finally {
            server.close();
        }
    }
}

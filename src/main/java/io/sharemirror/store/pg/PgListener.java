package io.sharemirror.store.pg;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.tinylog.Logger;

/**
 * The hub's change counter without a query: a connection of its own that LISTENs on {@link PgCatalog#CHANNEL} and a
 * daemon thread blocked in the driver's {@code getNotifications(0)}, which reads the socket until a notification
 * arrives and sends nothing (PgHubTest watches the backend's {@code pg_stat_activity} stay on the LISTEN). Every
 * notification counts and wakes the engine; an idle desktop costs the server one sleeping backend.
 */
final class PgListener implements AutoCloseable {

    private final Connection connection;
    private final Runnable woken;
    private final AtomicLong heard = new AtomicLong();
    private final Thread thread;
    private volatile SQLException lost;
    private volatile boolean closing;

    PgListener(Connection connection, String location, Runnable woken) throws SQLException {
        this.connection = connection;
        this.woken = woken;
        try (Statement s = connection.createStatement()) {
            connection.setAutoCommit(true); // notifications are only delivered between transactions
            s.execute("LISTEN " + PgCatalog.CHANNEL);
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        thread = new Thread(this::listen, "sharemirror-listen " + location);
        thread.setDaemon(true);
        thread.start();
    }

    /** How many notifications arrived; throws the connection's failure once it is lost, so the hub is reopened. */
    long heard() throws SQLException {
        if (lost != null) {
            throw lost;
        }
        return heard.get();
    }

    private void listen() {
        PGConnection pg;
        try {
            pg = connection.unwrap(PGConnection.class);
            while (!closing) {
                PGNotification[] arrived = pg.getNotifications(0); // 0: block until one comes
                if (arrived != null && arrived.length > 0) {
                    heard.addAndGet(arrived.length);
                    wake();
                }
            }
        } catch (SQLException e) {
            if (!closing) {
                lost = e;
                wake(); // the engine's next look at the hub finds out
            }
        }
    }

    /** A failing wake-up must not end the listening: the count goes on, and the engine polls anyway. */
    private void wake() {
        try {
            woken.run();
        } catch (RuntimeException e) {
            Logger.warn(e, "waking the engine after a hub notification failed");
        }
    }

    /** Aborts the connection, which ends the blocked read: {@code close()} would wait for the read's lock. */
    @Override
    public void close() {
        closing = true;
        Executor inline = Runnable::run;
        try {
            connection.abort(inline);
        } catch (SQLException ignored) {
            // gone already
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.sharemirror.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.sqlite.BusyHandler;

/**
 * How the agent's writer waits for the replica's write lock. SQLite's own wait sleeps ever longer between tries (up to
 * 100 ms), so an application that commits back to back and takes the lock again within a millisecond keeps the agent
 * out for as long as it writes: changes from the hub and pushes wait behind it. Trying every millisecond takes the
 * lock in the first gap between the application's transactions. It replaces the connection's busy timeout, keeping
 * its length.
 */
final class EagerLockWait extends BusyHandler {

    private static final long TRY_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private volatile long limitNanos;
    /** When the current wait began; SQLite calls back on the thread running the statement. */
    private long since;

    private EagerLockWait(long limitMillis) {
        this.limitNanos = TimeUnit.MILLISECONDS.toNanos(limitMillis);
    }

    /** Installs the wait on {@code c}, as long as its {@code busy_timeout}. */
    static EagerLockWait install(Connection c) throws SQLException {
        long timeout;
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("PRAGMA busy_timeout")) {
            r.next();
            timeout = r.getLong(1);
        }
        EagerLockWait wait = new EagerLockWait(timeout);
        setHandler(c, wait);
        return wait;
    }

    /** Sets how long a statement waits for the lock before BUSY; returns what it was. */
    Duration limit(Duration next) {
        Duration was = Duration.ofNanos(limitNanos);
        limitNanos = next.toNanos();
        return was;
    }

    @Override
    protected int callback(int triesSoFar) {
        long now = System.nanoTime();
        if (triesSoFar == 0) {
            since = now;
        }
        if (now - since >= limitNanos) {
            return 0;
        }
        LockSupport.parkNanos(TRY_EVERY_NANOS);
        return 1;
    }
}

package io.sharemirror.driver;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Other desktops' changes: a program without ShareMirror writing straight to the hub, one committed UPDATE of a random
 * row of {@code item} in a key range every {@code pace}, until closed. The agent pulls them and applies them to the
 * replica the application works on.
 */
public final class RemoteChanges implements AutoCloseable {

    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicInteger written = new AtomicInteger();
    private final CompletableFuture<Void> done;

    private RemoteChanges(Path hub, long firstKey, long lastKey, Duration pace) {
        done = CompletableFuture.runAsync(() -> {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + hub);
                 PreparedStatement update = c.prepareStatement("UPDATE item SET qty = qty + 1 WHERE id = ?")) {
                try (Statement s = c.createStatement()) {
                    s.execute("PRAGMA busy_timeout = 30000");
                }
                SplittableRandom random = new SplittableRandom(42);
                while (!stop.get()) {
                    update.setLong(1, random.nextLong(firstKey, lastKey + 1));
                    update.executeUpdate();
                    written.incrementAndGet();
                    LockSupport.parkNanos(pace.toNanos()); // the remote writer's pace
                }
            } catch (SQLException e) {
                throw new IllegalStateException("the remote writer failed after " + written.get() + " writes", e);
            }
        }, task -> new Thread(task, "remote-changes").start()); // not the common pool: it may have one thread
    }

    public static RemoteChanges start(Path hub, long firstKey, long lastKey, Duration pace) {
        return new RemoteChanges(hub, firstKey, lastKey, pace);
    }

    public int written() {
        return written.get();
    }

    @Override
    public void close() throws Exception {
        stop.set(true);
        done.get(60, TimeUnit.SECONDS);
    }
}

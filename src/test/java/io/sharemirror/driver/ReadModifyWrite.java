package io.sharemirror.driver;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;

/**
 * A Java application's standard JDBC transaction, from several threads through a connection pool: take a connection
 * (the pool hands it out with auto-commit off), read a row's {@code qty}, think, write {@code qty + 1}, commit. The
 * table is the benchmark's {@code item(id, code, qty, note)}; each thread picks keys at random in a range.
 */
public final class ReadModifyWrite {

    private ReadModifyWrite() {
    }

    /** Runs {@code threads} threads for {@code length}; a transaction that fails is rolled back and counted. */
    public static WorkloadResult run(DataSource pool, int threads, Duration length, long firstKey, long lastKey,
                                     Duration think) throws Exception {
        long deadline = System.nanoTime() + length.toNanos();
        AtomicInteger committed = new AtomicInteger();
        Map<String, Integer> errors = new HashMap<>();
        long[][] latencies = new long[threads][];
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            Future<?>[] running = new Future<?>[threads];
            for (int t = 0; t < threads; t++) {
                int thread = t;
                running[t] = executor.submit(() -> {
                    SplittableRandom random = new SplittableRandom(thread);
                    long[] mine = new long[1024];
                    int n = 0;
                    while (System.nanoTime() < deadline) {
                        long started = System.nanoTime();
                        try {
                            transaction(pool, random.nextLong(firstKey, lastKey + 1), think);
                        } catch (SQLException e) {
                            synchronized (errors) {
                                errors.merge(firstLine(e), 1, Integer::sum);
                            }
                            continue;
                        }
                        if (n == mine.length) {
                            mine = Arrays.copyOf(mine, n * 2);
                        }
                        mine[n++] = System.nanoTime() - started;
                        committed.incrementAndGet();
                    }
                    latencies[thread] = Arrays.copyOf(mine, n);
                    return null;
                });
            }
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            executor.shutdownNow();
        }
        return new WorkloadResult(committed.get(), errors,
                Arrays.stream(latencies).flatMapToLong(Arrays::stream).toArray());
    }

    private static void transaction(DataSource pool, long key, Duration think) throws SQLException {
        try (Connection c = pool.getConnection()) {
            try (PreparedStatement read = c.prepareStatement("SELECT qty FROM item WHERE id = ?");
                 PreparedStatement write = c.prepareStatement("UPDATE item SET qty = ? WHERE id = ?")) {
                read.setLong(1, key);
                long qty;
                try (ResultSet r = read.executeQuery()) {
                    r.next();
                    qty = r.getLong(1);
                }
                LockSupport.parkNanos(think.toNanos()); // the application's own work between reading and writing
                write.setLong(1, qty + 1);
                write.setLong(2, key);
                write.executeUpdate();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** The error as the application sees it, without what varies from one to the next. */
    private static String firstLine(SQLException e) {
        String message = String.valueOf(e.getMessage());
        return message.lines().findFirst().orElse(message);
    }
}

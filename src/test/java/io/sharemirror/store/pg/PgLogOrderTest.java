package io.sharemirror.store.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.share.PostgresServer;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL hub's log is numbered in commit order (issue 17): direct writers whose transactions commit in
 * another order than they began never make a reader skip an entry, whatever the interleaving.
 */
class PgLogOrderTest {

    private static PostgresServer server;
    private static final AtomicLong KEYS = new AtomicLong();

    @BeforeAll
    static void start() throws IOException, SQLException {
        server = PostgresServer.start();
        try (Connection c = server.connect()) {
            PgCatalog.install(c);
            PgCatalog.install(c); // idempotent
            HandMadeTables.create(c, "item", "CREATE TABLE item(k INTEGER PRIMARY KEY, v TEXT)",
                    "CREATE TABLE item(k bigint, v text)", Map.of("k", PgType.BIGINT, "v", PgType.TEXT));
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aTransactionThatCommitsLateIsReadAfterOneThatCommittedBeforeIt() throws SQLException {
        try (Connection t1 = server.connect(); Connection t2 = server.connect(); Connection reader = server.connect()) {
            long cursor = head(reader);
            t1.setAutoCommit(false);
            t2.setAutoCommit(false);
            long first = insert(t1);
            long second = insert(t2);
            t2.commit();
            List<Entry> read = readAfter(reader, cursor);
            assertEquals(List.of("[" + second + "]"), read.stream().map(Entry::pk).toList());
            cursor = read.get(0).seq();
            t1.commit();
            List<Entry> next = readAfter(reader, cursor);
            assertEquals(List.of("[" + first + "]"), next.stream().map(Entry::pk).toList(),
                    "the entry committed late comes after the cursor");
        }
    }

    @Test
    void concurrentWritersAndAPullerReadEveryCommittedEntryExactlyOnce() throws Exception {
        int writers = 4;
        int transactions = 40;
        long start;
        try (Connection c = server.connect()) {
            start = head(c);
        }
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
        try {
            Future<Map<Long, Integer>> puller = pool.submit(() -> pull(start, writing));
            List<Future<Integer>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                done.add(pool.submit(() -> write(transactions)));
            }
            int committed = 0;
            for (Future<Integer> f : done) {
                committed += f.get();
            }
            writing.set(false);
            Map<Long, Integer> timesRead = puller.get();
            assertEquals(committed, timesRead.size(), "every committed entry read");
            assertTrue(timesRead.values().stream().allMatch(n -> n == 1), "none read twice: " + timesRead);
            try (Connection c = server.connect(); Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT count(*) FROM _sm_log WHERE seq > " + start)) {
                r.next();
                assertEquals(committed, r.getInt(1));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Transactions of one to three inserts, some rolled back, committing whenever they get there. */
    private static int write(int transactions) throws SQLException {
        int committed = 0;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        try (Connection c = server.connect(); Statement pause = c.createStatement()) {
            c.setAutoCommit(false);
            for (int i = 0; i < transactions; i++) {
                int rows = 1 + random.nextInt(3);
                for (int r = 0; r < rows; r++) {
                    insert(c);
                    // Provokes interleavings: others begin and commit while this one is open.
                    pause.execute("SELECT pg_sleep(" + random.nextInt(3) / 1000.0 + ")");
                }
                if (random.nextInt(10) == 0) {
                    c.rollback();
                } else {
                    c.commit();
                    committed += rows;
                }
            }
        }
        return committed;
    }

    /** Reads past its cursor until the writers are done and nothing is left; counts how often each entry came. */
    private static Map<Long, Integer> pull(long start, AtomicBoolean writing) throws SQLException {
        Map<Long, Integer> timesRead = new HashMap<>();
        long cursor = start;
        try (Connection c = server.connect()) {
            while (true) {
                boolean last = !writing.get();
                for (Entry e : readAfter(c, cursor)) {
                    assertTrue(e.seq() > cursor);
                    cursor = e.seq();
                    timesRead.merge(e.id(), 1, Integer::sum);
                }
                if (last) {
                    return timesRead;
                }
            }
        }
    }

    private record Entry(long id, long seq, String pk) {
    }

    private static List<Entry> readAfter(Connection c, long cursor) throws SQLException {
        List<Entry> entries = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT id, seq, pk FROM _sm_log WHERE seq > ? ORDER BY seq")) {
            s.setLong(1, cursor);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    entries.add(new Entry(r.getLong(1), r.getLong(2), r.getString(3)));
                }
            }
        }
        return entries;
    }

    private static long head(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT coalesce(max(seq), 0) FROM _sm_log")) {
            r.next();
            return r.getLong(1);
        }
    }

    private static long insert(Connection c) throws SQLException {
        long k = KEYS.incrementAndGet();
        try (PreparedStatement s = c.prepareStatement("INSERT INTO item(k, v) VALUES (?, 'x')")) {
            s.setLong(1, k);
            s.executeUpdate();
        }
        return k;
    }
}

package io.sharemirror.store.pg;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.sync.Clash;
import io.sharemirror.sync.ClockSample;
import io.sharemirror.sync.HubProbe;
import io.sharemirror.sync.Key;
import io.sharemirror.sync.LocalChange;
import io.sharemirror.sync.PushTransaction;
import io.sharemirror.sync.Pushed;
import io.sharemirror.sync.RemoteChange;
import io.sharemirror.sync.Row;
import io.sharemirror.sync.StoreException;
import io.sharemirror.sync.TableSnapshot;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The PostgreSQL hub's verbs, each with the contract the file hub keeps (sync.Hub, HubReader, PushTransaction). */
class PgHubTest {

    private static final List<String> COLUMNS = List.of("id", "code", "qty");

    private static CatalogServer server;
    private final List<ClockSample> samples = new CopyOnWriteArrayList<>();
    private final AtomicInteger wakeUps = new AtomicInteger();
    private PgHub a;
    private PgHub b;

    @BeforeAll
    static void start() throws IOException, SQLException {
        server = CatalogServer.start();
        try (Connection c = server.connect()) {
            HandMadeTables.items(c);
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void open() throws SQLException {
        a = server.hub("hub a", samples::add, wakeUps::incrementAndGet);
        b = server.hub("hub b", samples::add, () -> { });
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
    }

    @Test
    void aPushFromOneNodeIsReadAsChangesByAnother() {
        long cursor = b.probe().head();
        Pushed pushed = push(a, "A", insert(100, "p100", 1), insert(101, "p101", 2));
        assertEquals(2, pushed.written().size());
        assertTrue(pushed.clashes().isEmpty());
        HubProbe probe = b.probe();
        assertTrue(probe.head() > cursor);
        List<RemoteChange> changes = b.changes(cursor, probe.head(), "B", Map.of());
        assertEquals(List.of(Key.ofInteger("items", 100), Key.ofInteger("items", 101)),
                changes.stream().map(RemoteChange::key).toList());
        RemoteChange first = changes.get(0);
        assertEquals("A", first.origin());
        assertEquals(1_000L, first.ts());
        assertTrue(first.row().sameValues(row(100, "p100", 1)));
        assertTrue(first.created());
        assertNull(first.ownPush());
    }

    @Test
    void aDirectWritersInsertUpdateKeyChangeAndDeleteAreChangesByNoNode() throws SQLException {
        long cursor = b.probe().head();
        try (Connection direct = server.connect(); Statement s = direct.createStatement()) {
            s.execute("INSERT INTO items(id, code, qty) VALUES (200, 'd200', 1), (201, 'd201', 1)");
            s.execute("UPDATE items SET qty = 2 WHERE id = 200");
            s.execute("UPDATE items SET id = 202 WHERE id = 201");
            s.execute("INSERT INTO items(id, code, qty) VALUES (203, 'd203', 1)");
            s.execute("DELETE FROM items WHERE id = 203");
            s.execute("INSERT INTO items(code, qty) VALUES ('filled', 1)"); // the key filled as SQLite fills it
        }
        List<RemoteChange> changes = b.changes(cursor, b.probe().head(), "B", Map.of());
        Map<Key, RemoteChange> byKey = new java.util.HashMap<>();
        changes.forEach(c -> byKey.put(c.key(), c));
        assertTrue(changes.stream().allMatch(c -> c.origin().equals("")), changes.toString());
        assertEquals(2L, byKey.get(Key.ofInteger("items", 200)).row().value("qty"));
        assertNull(byKey.get(Key.ofInteger("items", 201)).row(), "the old key is gone");
        assertEquals("d201", byKey.get(Key.ofInteger("items", 202)).row().value("code"));
        assertNull(byKey.get(Key.ofInteger("items", 203)).row(), "inserted and deleted");
        assertEquals(5, changes.size());
        RemoteChange filled = changes.get(4);
        assertEquals("filled", filled.row().value("code"));
        assertEquals("[" + filled.row().value("id") + "]", filled.key().pk());
    }

    @Test
    void aTruncateIsLoggedAsADeleteOfEveryRow() throws SQLException {
        try (Connection c = server.connect(); Statement s = c.createStatement()) {
            HandMadeTables.create(c, "scratch", "CREATE TABLE scratch(k TEXT PRIMARY KEY)",
                    "CREATE TABLE scratch(k text)", Map.of("k", PgType.TEXT));
            s.execute("INSERT INTO scratch VALUES ('x'), ('y')");
            long cursor = b.probe().head();
            s.execute("TRUNCATE scratch");
            List<RemoteChange> changes = b.changes(cursor, b.probe().head(), "B", Map.of());
            assertEquals(List.of(new Key("scratch", "[\"x\"]"), new Key("scratch", "[\"y\"]")),
                    changes.stream().map(RemoteChange::key).sorted(java.util.Comparator.comparing(Key::pk)).toList());
            assertTrue(changes.stream().allMatch(c2 -> c2.row() == null));
        }
    }

    /**
     * A direct writer that changed a row after the push's snapshot makes the push BUSY (retried with a new snapshot,
     * where the planner sees the change), never overwritten unseen.
     */
    @Test
    void aRowChangedByADirectWriterDuringAPushMakesItBusy() throws SQLException {
        push(a, "A", insert(1200, "w1200", 1));
        try (PushTransaction p = a.beginPush()) {
            assertEquals(1L, p.rows(List.of(Key.ofInteger("items", 1200))).get(Key.ofInteger("items", 1200))
                    .value("qty"));
            try (Connection direct = server.connect(); Statement s = direct.createStatement()) {
                s.execute("UPDATE items SET qty = 5 WHERE id = 1200");
            }
            StoreException busy = assertThrows(StoreException.class,
                    () -> p.write(List.of(update(1200, "w1200", 9)), "A", 0));
            assertEquals(StoreException.Kind.BUSY, busy.kind(), busy.getMessage());
        }
        assertEquals(5L, b.rows(List.of(Key.ofInteger("items", 1200))).get(Key.ofInteger("items", 1200))
                .value("qty"));
    }

    @Test
    void aPushsOwnEntriesConfirmIt() {
        long cursor = a.probe().head();
        push(a, "A", insert(300, "o300", 1));
        List<RemoteChange> changes = a.changes(cursor, a.probe().head(), "A", Map.of());
        assertEquals(1, changes.size());
        assertNotNull(changes.get(0).ownPush());
        assertEquals(1_000L, changes.get(0).ownPush().ts());
        assertFalse(changes.get(0).ownPush().deleted());
        assertTrue(a.notLanded(List.of(insert(300, "o300", 1)), "A", cursor).isEmpty());
        assertEquals(List.of("items [301]: its log entry is gone"),
                a.notLanded(List.of(insert(301, "o301", 1)), "A", cursor));
    }

    @Test
    void rowsThatSwapUniqueValuesInOneBatchBothLand() {
        push(a, "A", insert(400, "s-x", 1), insert(401, "s-y", 1));
        Pushed swapped = push(a, "A", update(400, "s-y", 2), update(401, "s-x", 2));
        assertTrue(swapped.clashes().isEmpty(), swapped.clashes().toString());
        assertEquals(2, swapped.written().size());
        Map<Key, Row> rows = b.rows(List.of(Key.ofInteger("items", 400), Key.ofInteger("items", 401)));
        assertEquals("s-y", rows.get(Key.ofInteger("items", 400)).value("code"));
        assertEquals("s-x", rows.get(Key.ofInteger("items", 401)).value("code"));
    }

    @Test
    void aClashWithARowOutsideTheBatchIsReturnedAndTheRestLands() {
        push(a, "A", insert(500, "c-taken", 1));
        Pushed pushed = push(a, "A", insert(501, "c-taken", 1), insert(502, "c-free", 1));
        assertEquals(List.of(Key.ofInteger("items", 502)), pushed.written().stream().map(LocalChange::key).toList());
        Clash clash = pushed.clashes().get(0);
        assertEquals(Key.ofInteger("items", 501), clash.key());
        assertEquals(Key.ofInteger("items", 500), clash.other());
        assertEquals("UNIQUE (code)", clash.constraint());
        assertEquals(List.of("code"), clash.columns());
        assertEquals(clash, b.heldElsewhere(Key.ofInteger("items", 501), row(501, "c-taken", 1)));
        assertNull(b.rows(List.of(Key.ofInteger("items", 501))).get(Key.ofInteger("items", 501)));
    }

    @Test
    void aValueTheColumnCannotCarryIsAClashNamingItAndNothingElseIsLost() {
        LocalChange text = change(600, new Row(COLUMNS, Arrays.asList(600L, "v600", "many")));
        Pushed pushed = push(a, "A", insert(599, "v599", 1), text, insert(601, "v601", 1));
        assertEquals(List.of(Key.ofInteger("items", 599), Key.ofInteger("items", 601)),
                pushed.written().stream().map(LocalChange::key).toList());
        assertEquals(1, pushed.clashes().size());
        Clash clash = pushed.clashes().get(0);
        assertEquals(Key.ofInteger("items", 600), clash.key());
        assertEquals(List.of("qty"), clash.columns());
        assertTrue(clash.constraint().startsWith("items.qty is bigint"), clash.constraint());
        assertEquals(2, b.rows(List.of(Key.ofInteger("items", 599), Key.ofInteger("items", 601))).size());
    }

    @Test
    void pruneKeepsTheNewestEntry() {
        push(a, "A", insert(700, "pr700", 1), insert(701, "pr701", 1));
        long head = a.probe().head();
        int pruned;
        try (PushTransaction p = a.beginPush()) {
            p.write(List.of(), "A", head); // this node has read everything
            pruned = p.prune(Instant.now().plusSeconds(60), Instant.EPOCH);
            p.commit();
        }
        assertTrue(pruned > 0);
        HubProbe probe = b.probe();
        assertEquals(head, probe.head(), "the newest entry stays");
        assertEquals(head, probe.oldest(), "everything before it went");
        assertTrue(probe.prunedPast(head - 2));
        assertFalse(probe.prunedPast(head - 1));
    }

    /**
     * version() counts notifications heard by a thread blocked in the driver's read: the listening backend runs no
     * statement after its LISTEN, however often version() is asked, and the engine is woken.
     */
    @Test
    void versionMovesAfterAnotherConnectionsCommitWithoutAQuery() throws SQLException {
        long before = a.version();
        int woken = wakeUps.get();
        String listenerActivity = listenerActivity();
        for (int i = 0; i < 100; i++) {
            assertEquals(before, a.version());
        }
        try (Connection direct = server.connect(); Statement s = direct.createStatement()) {
            s.execute("INSERT INTO items(id, code, qty) VALUES (800, 'n800', 1)");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> a.version() > before);
        assertTrue(wakeUps.get() > woken);
        assertEquals(listenerActivity, listenerActivity(), "no statement on the listening connection");
    }

    @Test
    void theServersClockIsReadByEveryPushAndOnRequest() {
        samples.clear();
        a.readServerClock();
        push(a, "A", insert(900, "k900", 1));
        assertEquals(2, samples.size());
        for (ClockSample s : samples) {
            assertTrue(Math.abs(s.offsetMs()) <= s.errorMs() + 50, s.toString()); // one machine, one clock
        }
    }

    /**
     * Pushes serialize, and a push that waited for another reads what that one committed: its snapshot is taken
     * after the lock. A direct writer is not held up by a push.
     */
    @Test
    void aPushThatWaitedForAnotherSeesWhatItCommitted() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try (PushTransaction first = a.beginPush()) {
            first.write(List.of(insert(1000, "l1000", 1)), "A", 0);
            try (Connection direct = server.connect(); Statement s = direct.createStatement()) {
                s.execute("INSERT INTO items(id, code, qty) VALUES (1002, 'l1002', 1)"); // not held up
            }
            java.util.concurrent.Future<Map<Key, Row>> second = pool.submit(() -> {
                try (PushTransaction p = b.beginPush()) {
                    Map<Key, Row> seen = p.rows(List.of(Key.ofInteger("items", 1000)));
                    p.write(List.of(insert(1001, "l1001", 1)), "B", 0);
                    p.commit();
                    return seen;
                }
            });
            assertThrows(java.util.concurrent.TimeoutException.class,
                    () -> second.get(300, java.util.concurrent.TimeUnit.MILLISECONDS), "the second push waits");
            first.commit();
            assertEquals(1L, second.get(10, java.util.concurrent.TimeUnit.SECONDS)
                    .get(Key.ofInteger("items", 1000)).value("qty"));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void damageReportedByOneNodeIsInEveryProbeAndWakesTheOthers() throws SQLException {
        long before = a.version();
        b.reportDamage("B", "entries 3-5 gone");
        assertEquals("B: entries 3-5 gone", a.probe().damage());
        await().atMost(Duration.ofSeconds(10)).until(() -> a.version() > before);
        try (Connection c = server.connect(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM _sm_damage");
        }
        assertNull(a.probe().damage());
    }

    @Test
    void aTableSnapshotHasEveryRowAndWhatTheLogSaysSinceTheCursor() throws SQLException {
        push(a, "A", insert(1300, "t1300", 1));
        long cursor = a.probe().head();
        try (Connection direct = server.connect(); Statement s = direct.createStatement()) {
            s.execute("INSERT INTO items(id, code, qty) VALUES (1301, 't1301', 1)");
            s.execute("UPDATE items SET qty = 2 WHERE id = 1300");
        }
        TableSnapshot snapshot = b.tableSnapshot("items", cursor, Map.of());
        assertEquals(List.of("id", "code", "qty"), snapshot.table().columns());
        assertEquals(2L, snapshot.rows().get(Key.ofInteger("items", 1300)).value("qty"));
        assertTrue(snapshot.rows().containsKey(Key.ofInteger("items", 1301)));
        assertEquals(Map.of(Key.ofInteger("items", 1301), true, Key.ofInteger("items", 1300), false),
                snapshot.loggedSince());
        assertNull(b.tableSnapshot("nowhere", cursor, Map.of()));
    }

    @Test
    void logEntriesAreReadByPosition() {
        long cursor = a.probe().head();
        push(a, "A", insert(1100, "e1100", 1));
        long seq = a.probe().head();
        assertTrue(seq > cursor);
        assertEquals(Map.of(seq, "I items [1100] by A"), a.logEntries(java.util.Set.of(seq, seq + 1000), true));
    }

    /** The LISTEN backend's last statement and when it started. */
    private static String listenerActivity() throws SQLException {
        try (Connection c = server.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT query, query_start, state FROM pg_stat_activity"
                     + " WHERE query LIKE 'LISTEN%' AND pid <> pg_backend_pid() ORDER BY backend_start LIMIT 1")) {
            assertTrue(r.next(), "a listening backend");
            return r.getString(1) + " at " + r.getString(2) + " " + r.getString(3);
        }
    }

    private static Pushed push(PgHub hub, String node, LocalChange... changes) {
        try (PushTransaction p = hub.beginPush()) {
            Pushed pushed = p.write(List.of(changes), node, 0);
            p.commit();
            return pushed;
        }
    }

    private static LocalChange insert(long id, String code, long qty) {
        return change(id, row(id, code, qty));
    }

    private static LocalChange update(long id, String code, long qty) {
        return new LocalChange(Key.ofInteger("items", id), 2_000, 1, LocalChange.Known.ON_HUB, true,
                row(id, code, qty), 0, 0, null);
    }

    private static LocalChange change(long id, Row row) {
        return new LocalChange(Key.ofInteger("items", id), 1_000, 1, LocalChange.Known.NEW, true, row, 0, 0, null);
    }

    private static Row row(long id, String code, long qty) {
        return new Row(COLUMNS, new ArrayList<>(List.of(id, code, qty)));
    }
}

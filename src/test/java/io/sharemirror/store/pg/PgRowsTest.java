package io.sharemirror.store.pg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.share.PostgresServer;
import io.sharemirror.sync.Clash;
import io.sharemirror.sync.Key;
import io.sharemirror.sync.RawText;
import io.sharemirror.sync.Row;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Rows go into a PostgreSQL hub and come back with the values a replica's SQLite gives: class and bytes. */
class PgRowsTest {

    private static final List<String> COLUMNS = List.of("id", "code", "qty", "price", "note", "data", "anything");

    private static PostgresServer server;
    private static Connection hub;
    private static PgTable items;
    private static PgRows rows;

    @BeforeAll
    static void start() throws IOException, SQLException {
        server = PostgresServer.start();
        hub = server.connect();
        PgCatalog.install(hub);
        HandMadeTables.index(hub, "items_code", "items", "CREATE UNIQUE INDEX items_code ON items(code COLLATE NOCASE)");
        items = HandMadeTables.create(hub, "items", "CREATE TABLE items(id INTEGER PRIMARY KEY, code TEXT,"
                        + " qty INTEGER, price REAL, note TEXT, data BLOB, anything)",
                "CREATE TABLE items(id bigint, code text, qty bigint, price double precision, note text, data bytea,"
                        + " anything bytea)",
                Map.of("id", PgType.BIGINT, "code", PgType.TEXT, "qty", PgType.BIGINT, "price", PgType.DOUBLE,
                        "note", PgType.TEXT, "data", PgType.BYTEA, "anything", PgType.TAGGED));
        rows = new PgRows(hub);
    }

    @AfterAll
    static void stop() throws SQLException {
        try {
            if (hub != null) {
                hub.close();
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    @Test
    void valuesComeBackAsSqliteGivesThem() throws SQLException {
        RawText latin1 = new RawText("Caf\u00e9".getBytes(StandardCharsets.ISO_8859_1));
        Row written = row(10L, "A-1", Long.MIN_VALUE, -0.0, "ünï 😀", new byte[] {0, (byte) 0xff}, latin1);
        rows.upsert(items, written);
        Row read = rows.read(items, Key.ofInteger("items", 10));
        assertTrue(written.sameValues(read), written + " vs " + read);
        assertEquals(Long.class, read.value("qty").getClass());
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits((Double) read.value("price")));
        assertEquals(latin1, read.value("anything"));

        Row tagged = row(11L, null, null, null, null, null, 1.5);
        rows.upsert(items, tagged);
        assertTrue(tagged.sameValues(rows.read(items, Key.ofInteger("items", 11))));
        Row blob = row(12L, "b", 1L, 1.0, "", new byte[0], new byte[] {1});
        rows.upsert(items, blob);
        assertArrayEquals(new byte[] {1}, (byte[]) rows.read(items, Key.ofInteger("items", 12)).value("anything"));
    }

    @Test
    void anUpsertChangesTheRowAtItsKeyAndADeleteRemovesIt() throws SQLException {
        rows.upsert(items, row(20L, "u", 1L, 1.0, "first", null, null));
        rows.upsert(items, row(20L, "u", 2L, 2.0, "second", null, null));
        assertEquals("second", rows.read(items, Key.ofInteger("items", 20)).value("note"));
        rows.delete(items, Key.ofInteger("items", 20));
        assertNull(rows.read(items, Key.ofInteger("items", 20)));
        assertTrue(rows.nextKey(items) > 20);
    }

    @Test
    void manyKeysAreReadAtOnceAndKeysNamingNoRowAreLeftOut() throws SQLException {
        for (long k = 100; k < 1100; k++) {
            rows.upsert(items, row(k, "m" + k, k, null, null, null, null));
        }
        List<Key> wanted = new java.util.ArrayList<>();
        for (long k = 100; k < 1200; k++) {
            wanted.add(Key.ofInteger("items", k));
        }
        wanted.add(new Key("items", "[\"100\"]"));
        Map<Key, Row> read = rows.read(items, wanted);
        assertEquals(1000, read.size());
        assertEquals(555L, read.get(Key.ofInteger("items", 555)).value("qty"));
    }

    @Test
    void aRowHoldingTheSameUniqueValueUnderItsCollationIsFound() throws SQLException {
        rows.upsert(items, row(30L, "Same", 1L, null, null, null, null));
        Clash clash = rows.heldElsewhere(items, Key.ofInteger("items", 31), row(31L, "SAME", 1L, null, null, null,
                null));
        assertEquals(Key.ofInteger("items", 30), clash.other());
        assertEquals("UNIQUE index items_code (code COLLATE NOCASE)", clash.constraint());
        assertEquals("code COLLATE NOCASE = 'SAME'", clash.values());
        assertEquals(List.of("code"), clash.columns());
        assertNull(rows.heldElsewhere(items, Key.ofInteger("items", 30), row(30L, "same", 1L, null, null, null,
                null)), "its own row");
    }

    private static Row row(Object... values) {
        return new Row(COLUMNS, Arrays.asList(values));
    }
}

package io.sharemirror.store.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.share.PostgresServer;
import io.sharemirror.store.Schema;
import io.sharemirror.store.Sql;
import io.sharemirror.store.TableInfo;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL hub spells a key exactly as SQLite's capture spells it ({@code Sql.keyJson}): the same values
 * written on a replica and by a direct writer on PostgreSQL name the same key, byte for byte, and the key's text
 * finds the row again.
 */
class PgKeysTest {

    private static PostgresServer server;
    private static Connection hub;

    @BeforeAll
    static void start() throws IOException, SQLException {
        server = PostgresServer.start();
        hub = server.connect();
        PgCatalog.install(hub);
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
    void integerKeysToTheLimits() throws SQLException {
        sameKeys("ints", "CREATE TABLE ints(k INTEGER PRIMARY KEY, v TEXT)", "CREATE TABLE ints(k bigint, v text)",
                Map.of("k", PgType.BIGINT, "v", PgType.TEXT),
                rows(0L, 1L, -1L, Long.MAX_VALUE, -Long.MAX_VALUE, Long.MIN_VALUE, 4503599627370497L));
    }

    @Test
    void textKeysWithEveryAsciiCharacterQuotesBackslashesAndBeyond() throws SQLException {
        List<Object[]> keys = new ArrayList<>();
        for (char c = 0x01; c <= 0x7F; c++) {
            keys.add(new Object[] {"<" + c + ">"});
        }
        for (String s : List.of("", "\"quoted\"", "back\\slash", "\\\"", "ünïcødé", "€", "\u00a0nbsp", "\u2028",
                "\u2029", "emoji 😀", "\uFFFD", "日本語", "trailing ", " leading")) {
            keys.add(new Object[] {s});
        }
        sameKeys("texts", "CREATE TABLE texts(k TEXT PRIMARY KEY, v TEXT)", "CREATE TABLE texts(k text, v text)",
                Map.of("k", PgType.TEXT, "v", PgType.TEXT), keys);
    }

    @Test
    void nocaseKeysFoldAsciiOnly() throws SQLException {
        sameKeys("nocase", "CREATE TABLE nocase(k TEXT COLLATE NOCASE PRIMARY KEY, v TEXT)",
                "CREATE TABLE nocase(k text, v text)", Map.of("k", PgType.TEXT, "v", PgType.TEXT),
                rows("ACME", "MiXeD Case", "ÜNÏCØDÉ", "Straße", "Z@[`{"));
    }

    @Test
    void rtrimKeysDropTrailingSpacesOnly() throws SQLException {
        sameKeys("rtrim", "CREATE TABLE rtrim(k TEXT COLLATE RTRIM PRIMARY KEY, v TEXT)",
                "CREATE TABLE rtrim(k text, v text)", Map.of("k", PgType.TEXT, "v", PgType.TEXT),
                rows("a   ", "tab\t", " lead", "mid  dle", "nbsp\u00a0"));
    }

    @Test
    void blobKeys() throws SQLException {
        byte[] random = new byte[64];
        new Random(7).nextBytes(random);
        sameKeys("blobs", "CREATE TABLE blobs(k BLOB PRIMARY KEY, v TEXT)", "CREATE TABLE blobs(k bytea, v text)",
                Map.of("k", PgType.BYTEA, "v", PgType.TEXT),
                rows(new byte[0], new byte[] {0}, new byte[] {(byte) 0xff, 0x0a}, random));
    }

    @Test
    void compositeKeys() throws SQLException {
        sameKeys("composite", "CREATE TABLE composite(a INTEGER, b TEXT COLLATE NOCASE, c BLOB, v TEXT,"
                        + " PRIMARY KEY (a, b, c))", "CREATE TABLE composite(a bigint, b text, c bytea, v text)",
                Map.of("a", PgType.BIGINT, "b", PgType.TEXT, "c", PgType.BYTEA, "v", PgType.TEXT),
                List.of(new Object[] {1L, "X\"y", new byte[] {1}}, new Object[] {-Long.MAX_VALUE, "", new byte[0]},
                        new Object[] {0L, "😀\\", new byte[] {(byte) 0xab, (byte) 0xcd}}));
    }

    @Test
    void keyTextsThatSqliteWouldNeverWriteNameNoRow() throws SQLException {
        PgTable t = PgTables.read(hub, "ints"::equals).get("ints");
        for (String pk : List.of("[ 1]", "[01]", "[\"1\"]", "[1,2]", "[1.0]", "[9223372036854775808]", "not json",
                "[]")) {
            assertTrue(PgKeys.values(t, pk).isEmpty(), pk);
        }
        PgTable nocase = PgTables.read(hub, "nocase"::equals).get("nocase");
        assertTrue(PgKeys.values(nocase, "[\"ACME\"]").isEmpty(), "a NOCASE key is spelled folded");
        assertEquals(List.of("acme"), PgKeys.values(nocase, "[\"acme\"]").orElseThrow());
    }

    /**
     * Writes the rows (key values, then v) into the table on SQLite and on PostgreSQL: the pk SQLite's keyJson makes
     * and the pk the hub's trigger logged are the same, in the same order, and each finds its row on PostgreSQL.
     */
    private static void sameKeys(String name, String sqliteCreate, String pgCreate, Map<String, PgType> types,
                                 List<Object[]> keys) throws SQLException {
        PgTable table = HandMadeTables.create(hub, name, sqliteCreate, pgCreate, types);
        List<String> keyColumns = table.info().keyColumns();
        List<String> fromSqlite = new ArrayList<>();
        try (Connection sqlite = DriverManager.getConnection("jdbc:sqlite::memory:");
             Statement s = sqlite.createStatement()) {
            s.execute(sqliteCreate);
            insert(sqlite, name, keyColumns, keys);
            TableInfo info = Schema.read(sqlite, name::equals).get(name);
            try (ResultSet r = s.executeQuery("SELECT " + Sql.keyJson("", info) + " FROM " + name + " ORDER BY v")) {
                while (r.next()) {
                    fromSqlite.add(r.getString(1));
                }
            }
        }
        long before = maxId();
        insert(hub, name, keyColumns, keys);
        List<String> fromHub = new ArrayList<>();
        try (PreparedStatement s = hub.prepareStatement("SELECT pk FROM _sm_log WHERE id > ? ORDER BY id")) {
            s.setLong(1, before);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    fromHub.add(r.getString(1));
                }
            }
        }
        assertEquals(fromSqlite, fromHub);
        assertEquals(keys.size(), new HashSet<>(fromHub).size(), "distinct keys");
        for (int i = 0; i < fromHub.size(); i++) {
            String pk = fromHub.get(i);
            try (PreparedStatement s = hub.prepareStatement("SELECT v, " + PgKeys.keyText(table, "") + " FROM "
                    + table.quoted() + " WHERE " + PgKeys.matches(table, ""))) {
                PgKeys.bind(s, 1, PgKeys.values(table, pk).orElseThrow(() -> new AssertionError("parses: " + pk)));
                try (ResultSet r = s.executeQuery()) {
                    assertTrue(r.next(), "the key finds its row: " + pk);
                    assertEquals(String.format("%05d", i), r.getString(1));
                    assertEquals(pk, r.getString(2), "the SELECT spells it as the trigger did");
                }
            }
        }
    }

    /** Inserts each key with v = its position, zero-padded, so both sides order them alike. */
    private static void insert(Connection c, String table, List<String> keyColumns, List<Object[]> keys)
            throws SQLException {
        String columns = String.join(", ", keyColumns.stream().map(Sql::ident).toList());
        String marks = String.join(", ", keyColumns.stream().map(k -> "?").toList());
        try (PreparedStatement s = c.prepareStatement("INSERT INTO " + Sql.ident(table) + "(" + columns + ", v)"
                + " VALUES (" + marks + ", ?)")) {
            for (int i = 0; i < keys.size(); i++) {
                Object[] key = keys.get(i);
                for (int k = 0; k < key.length; k++) {
                    s.setObject(k + 1, key[k]);
                }
                s.setString(key.length + 1, String.format("%05d", i));
                s.executeUpdate();
            }
        }
    }

    private static long maxId() throws SQLException {
        try (Statement s = hub.createStatement(); ResultSet r = s.executeQuery("SELECT coalesce(max(id), 0) FROM _sm_log")) {
            r.next();
            return r.getLong(1);
        }
    }

    private static List<Object[]> rows(Object... singleKeys) {
        return Arrays.stream(singleKeys).map(k -> new Object[] {k}).toList();
    }

    @Test
    void sqliteQuoteIsJsonQuote() throws SQLException {
        Set<String> samples = new HashSet<>(List.of("a\"b", "\\", "\u0001\u001f\u007f", "\b\f\n\r\t", "😀"));
        try (Connection sqlite = DriverManager.getConnection("jdbc:sqlite::memory:");
             PreparedStatement s = sqlite.prepareStatement("SELECT json_quote(?)")) {
            for (String sample : samples) {
                s.setString(1, sample);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    assertEquals(r.getString(1), PgKeys.sqliteQuote(sample));
                }
            }
        }
    }
}

package io.sharemirror.store.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.share.PostgresServer;
import io.sharemirror.store.HubSchemaPush;
import io.sharemirror.store.SchemaObjects;
import io.sharemirror.sync.HubSchema;
import io.sharemirror.sync.Key;
import io.sharemirror.sync.LocalChange;
import io.sharemirror.sync.Row;
import io.sharemirror.sync.SchemaObject;
import io.sharemirror.sync.SchemaStep;
import io.sharemirror.sync.SchemaStep.Kind;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica's schema changes made on a PostgreSQL hub ({@link PgHubSchema#apply}) leave the hub's definitions equal to
 * the replica's, move the cookie and set the schema number; the tables follow on PostgreSQL, rows a new definition
 * refuses come back for the archive, and a renamed table's rows are logged again under its new name.
 */
class PgHubSchemaTest {

    @TempDir
    Path dir;
    private static PostgresServer server;
    private static Connection pg;
    private final AtomicReference<Map<String, PgTable>> synced = new AtomicReference<>();
    private PgHubSchema hub;
    private Connection replica;

    @BeforeAll
    static void start() throws IOException, SQLException {
        server = PostgresServer.start();
        pg = server.connect();
    }

    @AfterAll
    static void stop() throws SQLException {
        try {
            if (pg != null) {
                pg.close();
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    @BeforeEach
    void hubFromReplica() throws SQLException {
        PgHubFixture.reset(pg);
        Path file = dir.resolve("replica.db");
        replica = DriverManager.getConnection("jdbc:sqlite:" + file);
        run(replica, "CREATE TABLE items(id INTEGER PRIMARY KEY, name TEXT, qty TEXT);"
                + " INSERT INTO items VALUES(1, 'a', '5'), (2, NULL, '7'), (3, 'c', '12'), (4, 'a', '1');"
                + " CREATE TABLE notes(body TEXT); INSERT INTO notes(rowid, body) VALUES(10, 'ten'), (20, 'twenty');");
        PgHubFixture.copy(file, pg);
        hub = new PgHubSchema(pg, t -> true, synced::set);
    }

    @Test
    void createAddColumnIndexViewAndTriggerReachTheHub() throws SQLException {
        Map<String, SchemaObject> before = hub.definitions();
        HubSchema.Version was = hub.version();
        run(replica, "ALTER TABLE items ADD COLUMN price REAL; CREATE TABLE tags(k TEXT COLLATE NOCASE PRIMARY KEY);"
                + " CREATE UNIQUE INDEX tags_k ON tags(k); CREATE INDEX items_name ON items(name);"
                + " CREATE VIEW cheap AS SELECT * FROM items WHERE price < 1;"
                + " CREATE TRIGGER items_price AFTER UPDATE ON items BEGIN INSERT INTO tags VALUES('changed'); END;");
        Map<String, SchemaObject> source = SchemaObjects.read(replica, t -> true);

        Map<String, List<LocalChange>> dropped = hub.apply(List.of(
                alter(before, source, "table items"), create(source, "table tags"), create(source, "index tags_k"),
                create(source, "index items_name"), create(source, "view cheap"),
                create(source, "trigger items_price")), source, "node-a", 3);

        assertEquals(Map.of(), dropped);
        Map<String, SchemaObject> after = hub.definitions();
        assertEquals(texts(source), texts(after));
        assertEquals(before.get("table items").root(), after.get("table items").root(), "the column added in place");
        HubSchema.Version now = hub.version();
        assertEquals(was.cookie() + 1, now.cookie());
        assertEquals(3, now.userVersion());
        assertNotEquals(was.digest(), now.digest());
        assertNull(now.rowidCanary());
        assertEquals("double precision", pgType("items", "price"));
        assertEquals(List.of("id", "name", "qty", "price"), hub.tables().get("items").columns());
        assertEquals(new Row(List.of("id", "price"), java.util.Arrays.asList(3L, null)),
                hub.rows("items", List.of("id", "price")).get(new Key("items", "[3]")));
        assertEquals(1, count("SELECT count(*) FROM pg_indexes WHERE tablename = 'tags' AND indexname LIKE '\\_sm\\_u\\_%'"),
                "the UNIQUE index is PostgreSQL's too");
    }

    @Test
    void aRebuildCopiesTheRowsAsSqliteDoesAndReturnsThoseThatNoLongerFit() throws SQLException {
        Map<String, SchemaObject> before = hub.definitions();
        String sql = "CREATE TABLE items(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, qty INTEGER)";
        Map<String, SchemaObject> source = new TreeMap<>(before);
        source.put("table items", new SchemaObject("table", "items", "items", sql, 0));

        Map<String, List<LocalChange>> dropped = hub.apply(List.of(alter(before, source, "table items")), source,
                "node-a", 0);

        assertEquals(List.of(HubSchemaPush.droppedRows("items", sql)), List.copyOf(dropped.keySet()));
        List<String> keys = new ArrayList<>();
        dropped.values().iterator().next().forEach(c -> keys.add(c.key().pk()));
        assertEquals(List.of("[2]", "[4]"), keys, "the NULL name and the second 'a'");
        Map<String, SchemaObject> after = hub.definitions();
        assertEquals(texts(source), texts(after));
        assertNotEquals(before.get("table items").root(), after.get("table items").root(), "made anew");
        assertEquals("bigint", pgType("items", "qty"), "'5' and '12' became INTEGERs, as SQLite's copy made them");
        Map<Key, Row> rows = hub.rows("items", List.of("id", "name", "qty"));
        assertEquals(List.of(new Row(List.of("id", "name", "qty"), List.of(1L, "a", 5L)),
                new Row(List.of("id", "name", "qty"), List.of(3L, "c", 12L))), List.copyOf(rows.values()));
    }

    @Test
    void aRenamedTableKeepsItsRootAndHasEveryRowLoggedAgainUnderItsNewName() throws SQLException {
        Map<String, SchemaObject> before = hub.definitions();
        run(replica, "ALTER TABLE notes RENAME TO memos");
        Map<String, SchemaObject> source = SchemaObjects.read(replica, t -> true);

        hub.apply(List.of(new SchemaStep(SchemaStep.Side.HUB, Kind.RENAME, before.get("table notes"),
                source.get("table memos"))), source, "node-a", 0);

        Map<String, SchemaObject> after = hub.definitions();
        assertEquals(texts(source), texts(after));
        assertEquals(before.get("table notes").root(), after.get("table memos").root(), "renamed, not made anew");
        assertEquals(List.of("memos|[10]|U|node-a|0", "memos|[20]|U|node-a|0"),
                strings("SELECT tbl || '|' || pk || '|' || op || '|' || origin || '|' || ts FROM _sm_log"
                        + " WHERE seq IS NOT NULL ORDER BY seq"));
        hub.tables();
        hub.syncTablesExcept(java.util.Set.of("items"));
        assertEquals(List.of("memos"), List.copyOf(synced.get().keySet()));
        assertEquals(new Row(List.of("rowid", "body"), List.of(20L, "twenty")),
                hub.rows("memos", List.of("rowid", "body")).get(new Key("memos", "[20]")));
    }

    @Test
    void aDroppedTableGoesWithItsColumns() throws SQLException {
        Map<String, SchemaObject> before = hub.definitions();
        hub.apply(List.of(new SchemaStep(SchemaStep.Side.HUB, Kind.DROP, before.get("table notes"), null)),
                Map.of(), "node-a", 0);
        assertEquals(List.of("table items"), List.copyOf(hub.definitions().keySet()));
        assertEquals(0, count("SELECT count(*) FROM _sm_columns WHERE tbl = 'notes'"));
        assertEquals(0, count("SELECT count(*) FROM pg_tables WHERE tablename = 'notes'"));
    }

    private static SchemaStep alter(Map<String, SchemaObject> hub, Map<String, SchemaObject> source, String key) {
        return new SchemaStep(SchemaStep.Side.HUB, Kind.ALTER, hub.get(key), source.get(key));
    }

    private static SchemaStep create(Map<String, SchemaObject> source, String key) {
        return new SchemaStep(SchemaStep.Side.HUB, Kind.CREATE, null, source.get(key));
    }

    /** Each object's type, table and SQL by key: what must be alike on both sides (root pages are each side's). */
    private static Map<String, String> texts(Map<String, SchemaObject> objects) {
        Map<String, String> texts = new TreeMap<>();
        objects.forEach((key, d) -> texts.put(key, d.type() + " on " + d.table() + ": " + d.sql()));
        return texts;
    }

    private static String pgType(String table, String column) throws SQLException {
        return strings("SELECT data_type FROM information_schema.columns WHERE table_name = '" + table
                + "' AND column_name = '" + column + "'").get(0);
    }

    private static long count(String sql) throws SQLException {
        return Long.parseLong(strings(sql).get(0));
    }

    private static List<String> strings(String sql) throws SQLException {
        List<String> all = new ArrayList<>();
        try (Statement s = pg.createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                all.add(r.getString(1));
            }
        }
        return all;
    }

    private static void run(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }
}

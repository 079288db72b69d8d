package io.sharemirror.store.pg;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.store.HubSchemaPush;
import io.sharemirror.store.Schema;
import io.sharemirror.store.SchemaObjects;
import io.sharemirror.store.SchemaRows;
import io.sharemirror.store.Sql;
import io.sharemirror.store.TableInfo;
import io.sharemirror.sync.HubSchema;
import io.sharemirror.sync.Key;
import io.sharemirror.sync.LocalChange;
import io.sharemirror.sync.Row;
import io.sharemirror.sync.SchemaObject;
import io.sharemirror.sync.SchemaStep;
import io.sharemirror.sync.SchemaStep.Kind;
import io.sharemirror.sync.StoreException;
import java.nio.file.Path;
import java.time.Duration;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica's schema changes made on a PostgreSQL hub ({@link PgHubSchema#apply}) leave the hub's definitions equal to
 * the replica's, move the cookie and set the schema number; the tables follow on PostgreSQL, rows a new definition
 * refuses come back for the archive, and a renamed table's rows are logged again under its new name.
 */
class PgHubSchemaTest extends PgHubFixture {

    /** The replica a schema push comes from: its cursor before any entry, no rows of its own to offer. */
    private static final HubSchema.Pusher NODE_A = new HubSchema.Pusher("node-a", 0, Map.of());


    @TempDir
    Path dir;
    private final AtomicReference<Map<String, PgTable>> synced = new AtomicReference<>();
    private PgHubSchema hub;
    private Connection replica;

    @BeforeEach
    void hubFromReplica() throws SQLException {
        Path file = dir.resolve("replica.db");
        replica = DriverManager.getConnection("jdbc:sqlite:" + file);
        run(replica, "CREATE TABLE items(id INTEGER PRIMARY KEY, name TEXT, qty TEXT);"
                + " INSERT INTO items VALUES(1, 'a', '5'), (2, NULL, '7'), (3, 'c', '12'), (4, 'a', '1');"
                + " CREATE TABLE notes(body TEXT); INSERT INTO notes(rowid, body) VALUES(10, 'ten'), (20, 'twenty');");
        copy(file, pg);
        hub = new PgHubSchema(pg, t -> true, synced::set);
    }

    @AfterEach
    void closeReplica() throws SQLException {
        replica.close();
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
                create(source, "trigger items_price")), source, NODE_A, 3);

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

        // The pushing desktop holds every row, its own migration having filled the name of row 2 and renamed row 4;
        // the hub's NULL and its second 'a' still do not fit, so those go to the archive.
        List<String> columns = List.of("id", "name", "qty");
        HubSchema.Pusher pusher = new HubSchema.Pusher("node-a", 0, Map.of("items", Map.of(
                new Key("items", "[1]"), new Row(columns, List.of(1L, "a", 5L)),
                new Key("items", "[2]"), new Row(columns, List.of(2L, "b", 7L)),
                new Key("items", "[3]"), new Row(columns, List.of(3L, "c", 12L)),
                new Key("items", "[4]"), new Row(columns, List.of(4L, "d", 1L)))));
        Map<String, List<LocalChange>> dropped = hub.apply(List.of(alter(before, source, "table items")), source,
                pusher, 0);

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
    void aRebuiltTableWithoutAKeyKeepsItsRowidsAndGetsItsTriggerAndIndexBack() throws SQLException {
        run(replica, "CREATE TABLE seen(body TEXT); CREATE TRIGGER notes_seen AFTER INSERT ON notes"
                + " BEGIN INSERT INTO seen VALUES(NEW.body); END; CREATE UNIQUE INDEX notes_body ON notes(body)");
        Map<String, SchemaObject> made = SchemaObjects.read(replica, t -> true);
        Map<String, SchemaObject> before = hub.definitions();
        hub.apply(List.of(create(made, "table seen"), create(made, "trigger notes_seen"),
                create(made, "index notes_body")), made, NODE_A, 0);
        assertEquals(1, count("SELECT count(*) FROM pg_indexes WHERE tablename = 'notes'"
                + " AND indexname LIKE '\\_sm\\_u\\_%'"));
        String sql = "CREATE TABLE notes(body TEXT NOT NULL, extra INTEGER DEFAULT 5)";
        Map<String, SchemaObject> source = new TreeMap<>(made);
        source.put("table notes", new SchemaObject("table", "notes", "notes", sql, 0));

        hub.apply(List.of(alter(hub.definitions(), source, "table notes")), source, NODE_A, 0);

        assertEquals(texts(source), texts(hub.definitions()));
        assertEquals(List.of(new Row(List.of("rowid", "body", "extra"), List.of(10L, "ten", 5L)),
                new Row(List.of("rowid", "body", "extra"), List.of(20L, "twenty", 5L))),
                List.copyOf(hub.rows("notes", List.of("rowid", "body", "extra")).values()));
        assertEquals("bigint", pgType("notes", "extra"));
        assertEquals(1, count("SELECT count(*) FROM pg_indexes WHERE tablename = 'notes'"
                + " AND indexname LIKE '\\_sm\\_u\\_%'"), "the UNIQUE index is made again");

        hub.apply(List.of(new SchemaStep(SchemaStep.Side.HUB, Kind.DROP, source.get("index notes_body"), null)),
                source, NODE_A, 0);
        assertEquals(0, count("SELECT count(*) FROM pg_indexes WHERE tablename = 'notes'"
                + " AND indexname LIKE '\\_sm\\_u\\_%'"), "a dropped UNIQUE index goes on PostgreSQL too");
        assertEquals(before.size() + 2, hub.definitions().size(), "the table seen and the trigger");
    }

    /** A direct writer's row committed while the rebuild waited for the table is in the rebuilt table. */
    @Test
    void aRebuildWaitsForDirectWritersAndKeepsWhatTheyCommitted() throws Exception {
        Map<String, SchemaObject> before = hub.definitions();
        Map<String, SchemaObject> source = new TreeMap<>(before);
        source.put("table items", new SchemaObject("table", "items", "items",
                "CREATE TABLE items(id INTEGER PRIMARY KEY, name TEXT, qty INTEGER)", 0));
        try (Connection writer = server.connect(); Statement w = writer.createStatement()) {
            writer.setAutoCommit(false);
            w.execute("INSERT INTO items(id, name, qty) VALUES (99, 'direct', '3')");
            CompletableFuture<Map<String, List<LocalChange>>> applied = CompletableFuture.supplyAsync(
                    () -> hub.apply(List.of(alter(before, source, "table items")), source, NODE_A, 0));
            try (Connection watcher = server.connect()) {
                await().atMost(Duration.ofSeconds(20)).until(() -> waiting(watcher) > 0);
            }
            writer.commit();
            applied.get(30, TimeUnit.SECONDS);
        }
        assertEquals(new Row(List.of("id", "name", "qty"), List.of(99L, "direct", 3L)),
                hub.rows("items", List.of("id", "name", "qty")).get(new Key("items", "[99]")));
    }

    private static long waiting(Connection watcher) throws SQLException {
        try (Statement s = watcher.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM pg_locks WHERE NOT granted")) {
            r.next();
            return r.getLong(1);
        }
    }

    @Test
    void aRenamedTableKeepsItsRootAndHasEveryRowLoggedAgainUnderItsNewName() throws SQLException {
        Map<String, SchemaObject> before = hub.definitions();
        run(replica, "ALTER TABLE notes RENAME TO memos");
        Map<String, SchemaObject> source = SchemaObjects.read(replica, t -> true);

        hub.apply(List.of(new SchemaStep(SchemaStep.Side.HUB, Kind.RENAME, before.get("table notes"),
                source.get("table memos"))), source, NODE_A, 0);

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
                Map.of(), NODE_A, 0);
        assertEquals(List.of("table items"), List.copyOf(hub.definitions().keySet()));
        assertEquals(0, count("SELECT count(*) FROM _sm_columns WHERE tbl = 'notes'"));
        assertEquals(0, count("SELECT count(*) FROM pg_tables WHERE tablename = 'notes'"));
    }

    @Test
    void instrumentMakesWhatATableLacksAndMovesTheCookieOnlyThen() throws SQLException {
        long cookie = hub.version().cookie();
        assertEquals(cookie, hub.instrument(), "every table has its own objects");
        try (Statement s = pg.createStatement()) {
            s.execute("DROP INDEX " + Sql.ident("_sm_key_" + PgTable.hash("notes")));
        }
        assertEquals(cookie + 1, hub.instrument());
        assertEquals(1, count("SELECT count(*) FROM pg_indexes WHERE indexname = '_sm_key_" + PgTable.hash("notes")
                + "'"));
    }

    /** Every affinity and key shape: the hub's rows read as a replica reads its own, same keys and same values. */
    @Test
    void rowsComeWithTheKeysAndValuesAReplicaHasForThem() throws SQLException {
        Path file = dir.resolve("zoo.db");
        try (Connection zoo = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            run(zoo, PgSnapshotTest.SOURCE);
        }
        emptyHub();
        copy(file, pg);
        try (Connection zoo = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            for (TableInfo t : Schema.read(zoo, n -> true).values()) {
                Map<Key, Row> fromHub = hub.rows(t.name(), t.columns());
                List<LocalChange> local = SchemaRows.all(zoo, t);
                assertEquals(local.size(), fromHub.size(), t.name());
                for (LocalChange row : local) {
                    Row hubRow = fromHub.get(row.key());
                    assertTrue(hubRow != null && hubRow.sameValues(row.row()), row.key() + ": " + hubRow + " on the"
                            + " hub, " + row.row() + " here");
                }
            }
        }
    }

    @Test
    void aStepTheHubRefusesLeavesItAsItWas() throws SQLException {
        HubSchema.Version was = hub.version();
        run(replica, "CREATE TABLE tags(k TEXT PRIMARY KEY); CREATE VIRTUAL TABLE docs USING fts5(body)");
        Map<String, SchemaObject> source = SchemaObjects.read(replica, t -> true);

        StoreException e = assertThrows(StoreException.class, () -> hub.apply(List.of(create(source, "table tags"),
                create(source, "table docs")), source, NODE_A, 5));

        assertEquals(StoreException.Kind.FAILED, e.kind());
        assertTrue(e.getMessage().startsWith("matching the replica's tables to the hub's: table docs is a virtual"
                + " table"), e.getMessage());
        assertEquals(was, hub.version(), "nothing of it was made, not even the table before it");
        assertEquals(0, count("SELECT count(*) FROM pg_tables WHERE tablename = 'tags'"));
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

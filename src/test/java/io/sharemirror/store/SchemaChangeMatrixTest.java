package io.sharemirror.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.Figures;
import io.sharemirror.sync.CycleRecord;
import io.sharemirror.sync.conflict.ConflictPolicy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 12: each kind of schema change, made by the sqlite3 shell on a replica and, as a direct writer, on the hub,
 * while the other side holds pending writes to the table it changes. After sync every copy has the same schema (the
 * application's objects, byte for byte) and the same rows, and the pending writes are on the hub (the inserted row's
 * value of the column some changes rename or retype included).
 */
class SchemaChangeMatrixTest {

    @TempDir
    Path dir;

    private static final AtomicLong CHECKED = new AtomicLong();
    private static final AtomicLong LOST = new AtomicLong();
    private static final AtomicLong RUNS = new AtomicLong();

    private static final String[] SCHEMA = {
        "CREATE TABLE item(id INTEGER PRIMARY KEY, name TEXT, qty INTEGER)",
        "CREATE TABLE extra(id INTEGER PRIMARY KEY, v TEXT)",
        "CREATE TABLE spare(id INTEGER PRIMARY KEY, v TEXT)",
        "CREATE INDEX item_name ON item(name)",
        "CREATE VIEW item_names AS SELECT id, name FROM item",
        "CREATE TRIGGER item_added AFTER INSERT ON item BEGIN INSERT INTO extra(v) VALUES('added ' || NEW.id); END",
        "INSERT INTO item VALUES(1, 'one', 1), (2, 'two', 2), (3, 'three', 3)",
        "INSERT INTO spare VALUES(1, 'spare')",
    };

    /** One change, as a program runs it, and the table the pending writes are found in afterwards. */
    enum Ddl {
        ADD_COLUMN("ALTER TABLE item ADD COLUMN note TEXT NOT NULL DEFAULT 'none'; UPDATE item SET note = 'n1' WHERE id = 1;",
                "item"),
        DROP_COLUMN("ALTER TABLE item DROP COLUMN qty;", "item"),
        RENAME_COLUMN("ALTER TABLE item RENAME COLUMN qty TO amount; UPDATE item SET amount = 30 WHERE id = 3;", "item"),
        RENAME_TABLE("ALTER TABLE item RENAME TO goods; INSERT INTO goods(id, name, qty) VALUES(50, 'fifty', 5);",
                "goods"),
        CREATE_TABLE("CREATE TABLE supplier(id INTEGER PRIMARY KEY, name TEXT NOT NULL);"
                + " INSERT INTO supplier VALUES(1, 'acme');", "item"),
        CREATE_INDEX("CREATE INDEX item_qty ON item(qty) WHERE qty > 1;", "item"),
        CREATE_VIEW("CREATE VIEW dear AS SELECT * FROM item WHERE qty > 2;", "item"),
        CREATE_TRIGGER("CREATE TRIGGER item_gone AFTER DELETE ON item BEGIN INSERT INTO extra(v) VALUES('gone '"
                + " || OLD.id); END; DELETE FROM item WHERE id = 3;", "item"),
        DROP_TABLE("DROP TABLE spare;", "item"),
        DROP_INDEX("DROP INDEX item_name;", "item"),
        DROP_VIEW("DROP VIEW item_names;", "item"),
        DROP_TRIGGER("DROP TRIGGER item_added;", "item"),
        /**
         * SQLite's 12-step procedure, as migration tools run it: other types and constraints, same key, values
         * transformed (legacy renaming keeps the view that names the table from failing midway).
         */
        REBUILD("PRAGMA foreign_keys = OFF; PRAGMA legacy_alter_table = ON; BEGIN; CREATE TABLE new_item(id INTEGER PRIMARY KEY, name TEXT NOT NULL"
                + " DEFAULT '', qty REAL CHECK (qty >= 0), added TEXT); INSERT INTO new_item(id, name, qty)"
                + " SELECT id, coalesce(name, ''), qty FROM item; DROP TABLE item; ALTER TABLE new_item RENAME TO item;"
                + " CREATE INDEX item_name ON item(name); CREATE TRIGGER item_added AFTER INSERT ON item BEGIN"
                + " INSERT INTO extra(v) VALUES('added ' || NEW.id); END; UPDATE item SET qty = qty * 100; COMMIT;",
                "item");

        final String sql;
        final String table;

        Ddl(String sql, String table) {
            this.sql = sql;
            this.table = table;
        }
    }

    @ParameterizedTest
    @EnumSource(Ddl.class)
    void madeOnAReplicaWhileAnotherHasPendingWrites(Ddl ddl) throws Exception {
        madeWhilePending(ddl, false);
    }

    @ParameterizedTest
    @EnumSource(Ddl.class)
    void madeOnTheHubWhileAReplicaHasPendingWrites(Ddl ddl) throws Exception {
        madeWhilePending(ddl, true);
    }

    /** Replica a makes the change (or the hub does) while replica b (or a) holds pending writes to the table. */
    private void madeWhilePending(Ddl ddl, boolean onHub) throws Exception {
        try (Cluster cluster = Cluster.withSchema(dir, SCHEMA)) {
            var a = cluster.add(ConflictPolicy.NEWEST_WINS);
            var b = cluster.add(ConflictPolicy.NEWEST_WINS);
            cluster.settle();
            pendingWrites(onHub ? a : b);
            var shell = OtherPrograms.sqlite3(onHub ? cluster.hub : a.replica(), ddl.sql);
            assertEquals(0, shell.exitCode(), shell.output());
            check(cluster, ddl);
        }
    }

    private static void pendingWrites(Cluster.Node node) throws Exception {
        node.exec("INSERT INTO item(id, name, qty) VALUES(100, 'pending insert', 7)",
                "UPDATE item SET name = 'pending edit' WHERE id = 2");
    }

    private static void check(Cluster cluster, Ddl ddl) throws Exception {
        for (int round = 0; round < 3; round++) {
            for (var n : cluster.nodes) {
                CycleRecord r = n.sync();
                assertTrue(r.succeeded(), () -> ddl + ": " + r);
            }
        }
        long lost = 0;
        for (String row : List.of("100|pending insert", "2|pending edit")) {
            if (!"1".equals(Cluster.scalar(cluster.hub, "SELECT count(*) FROM " + ddl.table + " WHERE id || '|' || name = "
                    + Sql.literal(row)))) {
                lost++;
            }
        }
        if (ddl != Ddl.DROP_COLUMN) {
            // The pending insert's value of qty, the column renamed to amount (or retyped) by some of the changes.
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + cluster.hub);
                 var s = c.createStatement();
                 var r = s.executeQuery("SELECT * FROM " + ddl.table + " WHERE id = 100")) {
                if (!r.next() || r.getDouble(3) != 7) {
                    lost++;
                }
            }
            CHECKED.incrementAndGet();
        }
        RUNS.incrementAndGet();
        CHECKED.addAndGet(2);
        LOST.addAndGet(lost);
        assertEquals(0, lost, ddl + ": pending writes lost");
        cluster.assertConverged();
        Map<String, String> hubSchema = schema(cluster.hub);
        for (var n : cluster.nodes) {
            assertEquals(hubSchema, schema(n.replica()), ddl + ": the schema of " + n.replica());
        }
    }

    /** The application's objects: type and name to SQL. */
    static Map<String, String> schema(Path db) throws Exception {
        Map<String, String> objects = new TreeMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            for (var d : SchemaObjects.read(c, t -> true).values()) {
                objects.put(d.key(), d.sql());
            }
        }
        return objects;
    }

    @AfterAll
    static void publish() {
        Figures.of("SchemaChangeMatrixTest").runs(RUNS.get()).writesChecked(CHECKED.get()).writesLost(LOST.get())
                .put("ddl kinds", new ArrayList<>(List.of(Ddl.values())).size()).publish();
    }
}

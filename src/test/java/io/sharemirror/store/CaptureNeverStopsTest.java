package io.sharemirror.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.Figures;
import io.sharemirror.sync.CycleRecord;
import io.sharemirror.sync.conflict.ConflictPolicy;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: a schema change made on a replica must never silently stop capture, and nothing may leave a desktop unless
 * it is on the hub or in the archive. Real programs make the changes: the sqlite3 shell runs SQLite's documented table
 * rebuild, Alembic's batch operations (SQLAlchemy, on the replica's path) rebuild a table as migrations do.
 */
class CaptureNeverStopsTest {

    @TempDir
    Path dir;

    private static final String[] SCHEMA = {
        "CREATE TABLE item(id INTEGER PRIMARY KEY, name TEXT, qty INTEGER)",
        "INSERT INTO item VALUES(1, 'one', 1), (2, 'two', 2), (3, 'three', 3)",
    };

    /** SQLite's 12-step rebuild (lang_altertable.html#otheralter): new table, copy, drop, rename. */
    private static final String REBUILD = "PRAGMA foreign_keys = OFF; BEGIN;"
            + " CREATE TABLE new_item(id INTEGER PRIMARY KEY, name TEXT NOT NULL, qty INTEGER CHECK (qty >= 0));"
            + " INSERT INTO new_item(id, name, qty) SELECT id, name, qty FROM item;"
            + " DROP TABLE item; ALTER TABLE new_item RENAME TO item; COMMIT;";

    @Test
    void aTableRebuiltOnTheReplicaIsCapturedAgainAndItsWritesReachTheHub() throws Exception {
        try (Cluster cluster = Cluster.withSchema(dir, SCHEMA)) {
            var a = cluster.add(ConflictPolicy.NEWEST_WINS);
            var b = cluster.add(ConflictPolicy.NEWEST_WINS);
            cluster.settle();
            var shell = OtherPrograms.sqlite3(a.replica(), REBUILD
                    + " INSERT INTO item VALUES(4, 'four on a', 4); UPDATE item SET qty = 10 WHERE id = 1;"
                    + " DELETE FROM item WHERE id = 3;");
            assertEquals(0, shell.exitCode(), shell.output());
            assertEquals("0", a.scalar("SELECT count(*) FROM _sm_pending"), "the rebuild took capture with it");
            // Meanwhile others write: their rows must not be taken for the replica's.
            cluster.hubExec("UPDATE item SET name = 'two on the hub' WHERE id = 2");
            b.exec("INSERT INTO item VALUES(5, 'five on b', 5)");
            assertTrue(b.sync().succeeded());

            CycleRecord r = a.sync();
            assertTrue(r.succeeded(), r::toString);
            a.exec("INSERT INTO item VALUES(6, 'six on a, captured again', 6)");
            cluster.settle();
            publish("CaptureNeverStopsTest.rebuild", cluster, "1:one:10", "2:two on the hub:2", "4:four on a:4",
                    "5:five on b:5", "6:six on a, captured again:6");
            cluster.assertConverged();
            assertEquals("1:one:10|2:two on the hub:2|4:four on a:4|5:five on b:5|6:six on a, captured again:6",
                    Cluster.scalar(cluster.hub, "SELECT group_concat(id || ':' || name || ':' || qty, '|') FROM"
                            + " (SELECT * FROM item ORDER BY id)"));
        }
    }

    /**
     * Alembic's {@code batch_alter_table} (SQLAlchemy 1.4, alembic 1.8, the Debian packages) rebuilds the table through
     * {@code _alembic_tmp_item}, on the replica's path, while desktop B and a direct writer keep writing; the
     * application writes under the new schema at once.
     */
    @Test
    void anAlembicBatchMigrationOnTheReplicaLosesNoWrite() throws Exception {
        try (Cluster cluster = Cluster.withSchema(dir, SCHEMA)) {
            var a = cluster.add(ConflictPolicy.NEWEST_WINS);
            var b = cluster.add(ConflictPolicy.NEWEST_WINS);
            cluster.settle();
            String migrate = String.join("\n",
                    "import sys, sqlalchemy as sa",
                    "from alembic.migration import MigrationContext",
                    "from alembic.operations import Operations",
                    "engine = sa.create_engine('sqlite:///' + sys.argv[1])",
                    "with engine.begin() as conn:",
                    "    op = Operations(MigrationContext.configure(conn))",
                    "    with op.batch_alter_table('item', recreate='always') as batch:",
                    "        batch.alter_column('name', existing_type=sa.Text(), nullable=False)",
                    "        batch.create_check_constraint('qty_positive', 'qty >= 0')",
                    "with engine.begin() as conn:",
                    "    conn.execute(sa.text(\"INSERT INTO item(id, name, qty) VALUES(7, 'after the migration', 7)\"))",
                    "    conn.execute(sa.text(\"UPDATE item SET qty = 20 WHERE id = 2\"))");
            var run = OtherPrograms.python(migrate, a.replica().toString());
            assertEquals(0, run.exitCode(), run.output());
            assertTrue(Cluster.scalar(a.replica(), "SELECT sql FROM sqlite_master WHERE name = 'item'")
                    .contains("qty_positive"), "Alembic rebuilt the table");
            cluster.hubExec("INSERT INTO item VALUES(8, 'direct on the hub', 8)");
            b.exec("UPDATE item SET name = 'one on b' WHERE id = 1");
            cluster.settle();
            publish("CaptureNeverStopsTest.alembic", cluster, "1:one on b:1", "2:two:20", "7:after the migration:7",
                    "8:direct on the hub:8");
            cluster.assertConverged();
            assertEquals("1:one on b:1|2:two:20|3:three:3|7:after the migration:7|8:direct on the hub:8",
                    Cluster.scalar(cluster.hub, "SELECT group_concat(id || ':' || name || ':' || qty, '|') FROM"
                            + " (SELECT * FROM item ORDER BY id)"));
        }
    }

    /** A table renamed on one desktop is renamed on the hub and on the other desktops, its rows and pending writes kept. */
    @Test
    void aTableRenamedOnTheReplicaIsRenamedEverywhere() throws Exception {
        try (Cluster cluster = Cluster.withSchema(dir, SCHEMA)) {
            var a = cluster.add(ConflictPolicy.NEWEST_WINS);
            var b = cluster.add(ConflictPolicy.NEWEST_WINS);
            cluster.settle();
            b.exec("UPDATE item SET qty = 22 WHERE id = 2"); // pending on b under the old name
            var shell = OtherPrograms.sqlite3(a.replica(), "ALTER TABLE item RENAME TO goods;"
                    + " INSERT INTO goods VALUES(9, 'nine in goods', 9);");
            assertEquals(0, shell.exitCode(), shell.output());
            CycleRecord r = a.sync();
            assertTrue(r.succeeded(), r::toString);
            assertEquals("nine in goods", Cluster.scalar(cluster.hub, "SELECT name FROM goods WHERE id = 9"));
            assertEquals("0", Cluster.scalar(cluster.hub, "SELECT count(*) FROM sqlite_master WHERE name = 'item'"));
            cluster.settle();
            cluster.assertConverged();
            assertEquals("22", b.scalar("SELECT qty FROM goods WHERE id = 2"));
        }
    }

    /** Publishes the figures before anything is asserted: each expected row ({@code id:name:qty}) on the hub or lost. */
    private static void publish(String test, Cluster cluster, String... rows) throws Exception {
        long lost = 0;
        for (String row : rows) {
            if (!"1".equals(Cluster.scalar(cluster.hub, "SELECT count(*) FROM item WHERE id || ':' || name || ':' || qty = "
                    + Sql.literal(row)))) {
                lost++;
            }
        }
        Figures.of(test).runs(1).writesChecked(rows.length).writesLost(lost).publish();
    }
}

package io.sharemirror.store.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.sharemirror.store.Cluster;
import io.sharemirror.store.PostgresHub;
import io.sharemirror.sync.conflict.ConflictPolicy;
import java.nio.file.Path;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Desktops whose hub is a PostgreSQL database, through the same store, engine and replicas as a file hub's: every
 * replica ends with the hub's exact rows (compared with the hub's own snapshot, storage classes and bytes).
 */
class PgHubClusterTest extends PgHubFixture {

    @TempDir
    Path dir;

    private Cluster cluster() throws Exception {
        return PostgresHub.desktops(server, dir);
    }

    @Test
    void twoDesktopsMakeATableWriteEditDeleteAndMeetADirectWriterThroughThePostgresHub() throws Exception {
        try (Cluster cluster = cluster()) {
            var a = cluster.add(ConflictPolicy.NEWEST_WINS);
            var b = cluster.add(ConflictPolicy.NEWEST_WINS);
            cluster.settle();
            a.exec("CREATE TABLE item(id INTEGER PRIMARY KEY, name TEXT NOT NULL, qty INTEGER, price REAL,"
                    + " code TEXT UNIQUE COLLATE NOCASE, pic BLOB, misc)",
                    "INSERT INTO item VALUES(1, 'anvil', 9223372036854775807, 0.1, 'A1', X'00ff', 7)",
                    "INSERT INTO item VALUES(2, 'bolt', -9223372036854775808, -0.0, 'b2', NULL, 'seven')",
                    "INSERT INTO item VALUES(3, 'café ☕', 0, 1e308, NULL, X'', 7.5)");
            cluster.settle();
            cluster.assertConverged();
            assertEquals("3", b.scalar("SELECT count(*) FROM item"));

            b.exec("UPDATE item SET qty = 5 WHERE id = 2");
            a.exec("DELETE FROM item WHERE id = 3");
            cluster.settle();
            cluster.assertConverged();

            try (Statement s = pg.createStatement()) { // a program writing the hub itself, key left to the hub
                s.execute("INSERT INTO item(name, qty, code) VALUES ('direct', 1, 'D1')");
            }
            cluster.settle();
            cluster.assertConverged();
            assertEquals("direct", a.scalar("SELECT name FROM item WHERE id = 3"));

            a.exec("ALTER TABLE item ADD COLUMN note TEXT", "UPDATE item SET note = 'n' WHERE id = 1");
            cluster.settle();
            cluster.assertConverged();
            assertEquals("n", b.scalar("SELECT note FROM item WHERE id = 1"));

            a.exec("UPDATE item SET name = 'anvil (a)' WHERE id = 1");
            Cluster.awaitClockPast(System.currentTimeMillis());
            b.exec("UPDATE item SET name = 'anvil (b)' WHERE id = 1");
            cluster.settle();
            cluster.assertConverged();
            assertEquals("anvil (b)", a.scalar("SELECT name FROM item WHERE id = 1"), "the newer edit");
            assertFalse(a.conflicts().isEmpty() && b.conflicts().isEmpty(), "the older edit is archived");
        }
    }

    @Test
    void anEmptyDatabaseBecomesTheHubAtTheFirstDesktopsConnection() throws Exception {
        try (Statement s = pg.createStatement()) {
            s.execute("DROP SCHEMA public CASCADE");
            s.execute("CREATE SCHEMA public");
        }
        try (Cluster cluster = cluster()) {
            var a = cluster.add(ConflictPolicy.NEWEST_WINS);
            cluster.settle();
            a.exec("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)", "INSERT INTO t VALUES(1, 'one')");
            cluster.settle();
            cluster.add(ConflictPolicy.NEWEST_WINS);
            cluster.settle();
            cluster.assertConverged();
        }
    }
}

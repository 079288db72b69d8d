package io.sharemirror.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sharemirror.sync.conflict.ConflictPolicy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of table and name SQLite allows that the sync has to quote, key or type correctly. */
class AwkwardTablesTest {

    @TempDir
    Path dir;

    static final String[] SCHEMA = {
        "CREATE TABLE ints(id INTEGER PRIMARY KEY, v TEXT)",
        "CREATE TABLE pairs(a INTEGER NOT NULL, b TEXT NOT NULL, v TEXT, PRIMARY KEY(a, b))",
        "CREATE TABLE words(w TEXT PRIMARY KEY, n INTEGER) WITHOUT ROWID",
        "CREATE TABLE nokey(x TEXT, y INTEGER)",
        "CREATE TABLE \"order\"(\"select\" INTEGER PRIMARY KEY, \"a'b\" TEXT, \"from\" TEXT)",
        "CREATE TABLE \"my \"\"quoted\"\" table\"(\"key col\" TEXT PRIMARY KEY, \"va\"\"l\" TEXT) WITHOUT ROWID",
        "CREATE TABLE [weird name]([group] INTEGER, [x y] TEXT, PRIMARY KEY([group], [x y]))",
        "CREATE TABLE \"br[ack]et's %_\"(\"]\" TEXT, \"[\" INTEGER)",
        "CREATE TABLE blobkey(k BLOB PRIMARY KEY, v TEXT)",
        "CREATE TABLE nullable(a INTEGER, b TEXT, v TEXT, PRIMARY KEY(a, b))",
        "CREATE TABLE big(id INTEGER PRIMARY KEY, data BLOB)",
        "CREATE TABLE numbers(id INTEGER PRIMARY KEY, r REAL, t TEXT, n NUMERIC, u ANY, plain)",
        "CREATE TABLE \"Ärger ✓ 表 🙂\"(\"ключ\" TEXT PRIMARY KEY, \"значение ‮rtl\" TEXT, \"e\u0301\" INTEGER)",
        "CREATE TABLE \"x\"\"); DROP TABLE ints; --\"(\"a'); DELETE FROM ints; --\" INTEGER PRIMARY KEY,"
                + " \"/* c */ v\" TEXT, \"?1\" TEXT, \":name\" TEXT, \"$hex\" BLOB)",
    };

    @Test
    void awkwardTablesFromTwoReplicasConverge() throws Exception {
        try (Cluster cluster = Cluster.withSchema(dir, SCHEMA)) {
            cluster.hubExec("INSERT INTO ints VALUES(1, 'hub one')",
                    "INSERT INTO words VALUES('hub', 1)",
                    "INSERT INTO nokey VALUES('hub', 1)",
                    "INSERT INTO blobkey VALUES(x'00ff', 'hub blob')");
            var a = cluster.add(ConflictPolicy.NEWEST_WINS);
            var b = cluster.add(ConflictPolicy.NEWEST_WINS);
            cluster.settle();

            a.exec("INSERT INTO ints(v) VALUES('a')",
                    "UPDATE ints SET v = 'a edit' WHERE id = 1",
                    "INSERT INTO pairs VALUES(1, 'x', 'a pair'), (1, 'y', 'a pair 2')",
                    "INSERT INTO words VALUES('épée ''quoted'' \"double\" [x]', 7), ('123', 8), ('{\"$hex\":\"00\"}', 9)",
                    "INSERT INTO nokey VALUES('a1', 1), ('a2', 2)",
                    "DELETE FROM nokey WHERE x = 'hub'",
                    "INSERT INTO \"order\" VALUES(1, 'it''s', 'where')",
                    "INSERT INTO \"my \"\"quoted\"\" table\" VALUES('k \"1\"', 'v''1')",
                    "INSERT INTO [weird name] VALUES(1, 'x y'), (2, NULL)",
                    "INSERT INTO \"br[ack]et's %_\" VALUES(']', 1)",
                    "INSERT INTO blobkey VALUES(x'', 'empty blob key'), (x'0102', 'a blob key')",
                    "UPDATE blobkey SET v = 'a edit' WHERE k = x'00ff'",
                    "INSERT INTO nullable VALUES(1, NULL, 'null in key'), (NULL, 'n', 'null first')",
                    "INSERT INTO \"Ärger ✓ 表 🙂\" VALUES('schlüssel 🔑', 'wert ‮', 1), ('', 'empty key', 2)",
                    "INSERT INTO \"x\"\"); DROP TABLE ints; --\" VALUES(1, '*/ DROP TABLE ints; /*', '?', ':x', x'00')",
                    "INSERT INTO numbers VALUES(1, 1.0, '1', '1.50', '007', '2.0'),"
                            + " (2, 0.1, '1e3', 12, 1.5, 12), (3, -0.0, ' 12', '1e400', x'31', 1e300),"
                            + " (4, 9007199254740993, '9007199254740993', 9223372036854775807, -1, NULL)");
            b.exec("INSERT INTO ints(v) VALUES('b')",
                    "INSERT INTO pairs VALUES(2, 'x', 'b pair')",
                    "UPDATE words SET n = 2 WHERE w = 'hub'",
                    "INSERT INTO nokey VALUES('b1', 1)",
                    "INSERT INTO \"order\" VALUES(2, 'b''s', NULL)",
                    "UPDATE \"order\" SET \"a'b\" = 'changed' WHERE \"select\" = 2",
                    "INSERT INTO [weird name] VALUES(3, ']')",
                    "INSERT INTO \"br[ack]et's %_\" VALUES('[', 2)",
                    "INSERT INTO numbers VALUES(5, 3, 3, 3, 3, 3)");
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + a.replica());
                 PreparedStatement s = c.prepareStatement("INSERT INTO big VALUES(?, ?)")) {
                Random random = new Random(42);
                for (int i = 1; i <= 3; i++) {
                    byte[] data = new byte[i * 1_500_000 + 17];
                    random.nextBytes(data);
                    s.setInt(1, i);
                    s.setBytes(2, data);
                    s.executeUpdate();
                }
            }
            cluster.settle();
            // The second round on the hub: edits of rows that came from the other replica.
            b.exec("UPDATE big SET data = zeroblob(5000000) WHERE id = 2",
                    "UPDATE nullable SET v = 'b edit' WHERE a = 1 AND b IS NULL",
                    "UPDATE nullable SET v = 'b' WHERE a IS NULL",
                    "DELETE FROM blobkey WHERE k = x''",
                    "UPDATE \"my \"\"quoted\"\" table\" SET \"key col\" = 'moved' WHERE \"key col\" = 'k \"1\"'",
                    "UPDATE numbers SET u = '3' WHERE id = 5");
            a.exec("DELETE FROM [weird name] WHERE [group] = 2", "UPDATE words SET n = 10 WHERE w = '123'");
            b.exec("UPDATE \"Ärger ✓ 表 🙂\" SET \"e\u0301\" = 10 WHERE \"ключ\" = 'schlüssel 🔑'",
                    "UPDATE \"x\"\"); DROP TABLE ints; --\" SET \"$hex\" = x'ff', \"?1\" = NULL",
                    "INSERT INTO \"x\"\"); DROP TABLE ints; --\" VALUES(2, '-- b', '?2', ':y', NULL)");
            cluster.settle();
            cluster.assertConverged();

            assertEquals("2", Cluster.scalar(cluster.hub, "SELECT count(*) FROM ints WHERE v IN ('a', 'b')"));
            assertEquals("3", Cluster.scalar(cluster.hub, "SELECT count(*) FROM nokey"));
            assertEquals("5000000", Cluster.scalar(cluster.hub, "SELECT length(data) FROM big WHERE id = 2"));
            assertEquals("b edit", Cluster.scalar(cluster.hub, "SELECT v FROM nullable WHERE a = 1 AND b IS NULL"));
            assertEquals("b", Cluster.scalar(cluster.hub, "SELECT v FROM nullable WHERE a IS NULL"));
            assertEquals("v'1", Cluster.scalar(cluster.hub,
                    "SELECT \"va\"\"l\" FROM \"my \"\"quoted\"\" table\" WHERE \"key col\" = 'moved'"));
            // Numbers-looking text stays text and reals stay reals (exactDump compared storage classes above).
            assertEquals("text|text|real|real", Cluster.scalar(cluster.hub,
                    "SELECT typeof(t) || '|' || typeof(plain) || '|' || typeof(r) || '|' || typeof(n)"
                            + " FROM numbers WHERE id = 1"));
            assertEquals("0", Cluster.scalar(cluster.hub, "SELECT count(*) FROM blobkey WHERE k = x''"));
            assertEquals("2", Cluster.scalar(cluster.hub, "SELECT count(*) FROM blobkey"));
            assertEquals("10", Cluster.scalar(cluster.hub, "SELECT \"e\u0301\" FROM \"Ärger ✓ 表 🙂\" WHERE \"ключ\" = 'schlüssel 🔑'"));
            assertEquals("2", Cluster.scalar(cluster.hub, "SELECT count(*) FROM \"x\"\"); DROP TABLE ints; --\""));
            assertEquals(0, Archive.all(cluster).size(), "nothing here was a conflict: " + Archive.all(cluster));
        }
    }

    /** A 50 MB BLOB written on one replica, edited on another, deleted on the hub: whole every time, both ways. */
    @Test
    void aFiftyMegabyteBlobSyncsBothWays() throws Exception {
        try (Cluster cluster = Cluster.withSchema(dir, "CREATE TABLE files(name TEXT PRIMARY KEY, data BLOB, sha TEXT)")) {
            var a = cluster.add(ConflictPolicy.NEWEST_WINS);
            var b = cluster.add(ConflictPolicy.NEWEST_WINS);
            cluster.settle();
            byte[] data = new byte[50 * 1024 * 1024];
            new Random(7).nextBytes(data);
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + a.replica());
                 PreparedStatement s = c.prepareStatement("INSERT INTO files VALUES('big.bin', ?, NULL)")) {
                s.setBytes(1, data);
                s.executeUpdate();
            }
            a.exec("UPDATE files SET sha = hex(substr(data, 1, 8)) || length(data)");
            cluster.settle();
            String expected = Cluster.scalar(a.replica(), "SELECT sha FROM files");
            assertEquals("52428800", expected.substring(16));
            assertEquals(expected, Cluster.scalar(b.replica(), "SELECT hex(substr(data, 1, 8)) || length(data) FROM files"));
            assertEquals(expected, Cluster.scalar(cluster.hub, "SELECT hex(substr(data, 1, 8)) || length(data) FROM files"));

            b.exec("UPDATE files SET data = unhex(hex(data) || '0102') WHERE name = 'big.bin'");
            cluster.settle();
            assertEquals("52428802", Cluster.scalar(a.replica(), "SELECT length(data) FROM files"));
            cluster.assertConverged();
            cluster.hubExec("DELETE FROM files");
            cluster.settle();
            cluster.assertConverged();
            assertEquals("0", a.scalar("SELECT count(*) FROM files"));
        }
    }

    /**
     * Foreign keys in a cycle (two tables that point at each other, a table that points at itself), written by
     * applications that enforce them with deferred checks, on both replicas and the hub at once. The same integer
     * keys are created on both replicas, so one side's rows are re-keyed, and their references must move with them.
     */
    @Test
    void foreignKeyCyclesSyncBothWaysAndStayConsistent() throws Exception {
        try (Cluster cluster = Cluster.withSchema(dir,
                "CREATE TABLE person(id INTEGER PRIMARY KEY, name TEXT, desk INTEGER REFERENCES desk(id)"
                        + " DEFERRABLE INITIALLY DEFERRED)",
                "CREATE TABLE desk(id INTEGER PRIMARY KEY, owner INTEGER REFERENCES person(id) DEFERRABLE INITIALLY DEFERRED)",
                "CREATE TABLE node(id INTEGER PRIMARY KEY, parent INTEGER REFERENCES node(id) DEFERRABLE INITIALLY DEFERRED,"
                        + " label TEXT)")) {
            var a = cluster.add(ConflictPolicy.NEWEST_WINS);
            var b = cluster.add(ConflictPolicy.NEWEST_WINS);
            cluster.settle();
            for (var node : List.of(a, b)) {
                String who = node == a ? "a" : "b";
                node.exec("PRAGMA foreign_keys = ON", "BEGIN",
                        "INSERT INTO person VALUES(1, 'person of " + who + "', 1)", "INSERT INTO desk VALUES(1, 1)",
                        "INSERT INTO node VALUES(1, 2, 'root of " + who + "'), (2, 1, 'child of " + who + "')", "COMMIT");
            }
            cluster.hubExec("PRAGMA foreign_keys = ON", "BEGIN", "INSERT INTO person VALUES(50, 'on the hub', 50)",
                    "INSERT INTO desk VALUES(50, 50)", "INSERT INTO node VALUES(50, 50, 'loop on the hub')", "COMMIT");
            cluster.settle();
            cluster.assertConverged();
            assertEquals("2", Cluster.scalar(cluster.hub, "SELECT count(*) FROM person WHERE name LIKE 'person of %'"),
                    "both cycles were kept");
            for (String who : List.of("a", "b")) {
                assertEquals("person of " + who, Cluster.scalar(cluster.hub, "SELECT p.name FROM person p JOIN desk d"
                        + " ON d.id = p.desk AND d.owner = p.id WHERE p.name = 'person of " + who + "'"),
                        "the re-keyed cycle still closes");
                assertEquals("child of " + who, Cluster.scalar(cluster.hub, "SELECT c.label FROM node r JOIN node c"
                        + " ON c.parent = r.id AND r.parent = c.id WHERE r.label = 'root of " + who + "'"));
            }
            b.exec("PRAGMA foreign_keys = ON", "BEGIN", "DELETE FROM desk", "DELETE FROM person", "COMMIT");
            cluster.settle();
            cluster.assertConverged();
            assertEquals("0", a.scalar("SELECT count(*) FROM person"));
        }
    }
}

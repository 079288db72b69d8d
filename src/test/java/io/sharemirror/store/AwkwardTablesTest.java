package io.sharemirror.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sharemirror.sync.conflict.ConflictPolicy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
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
            assertEquals(0, Archive.all(cluster).size(), "nothing here was a conflict: " + Archive.all(cluster));
        }
    }
}

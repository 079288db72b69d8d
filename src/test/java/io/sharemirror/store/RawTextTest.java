package io.sharemirror.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.sync.ArchivedConflict;
import io.sharemirror.sync.Key;
import io.sharemirror.sync.conflict.ConflictPolicy;
import io.sharemirror.sync.conflict.TablePolicies;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TEXT whose bytes are not UTF-8 (a legacy program storing its ANSI code page) reaches every copy byte for byte:
 * sqlite-jdbc decodes TEXT as UTF-8 and would hand back U+FFFD for each bad byte.
 */
class RawTextTest {

    /** Each as hex: Latin-1 'Café', a lone 0x80, an overlong '/', a UTF-16 surrogate in UTF-8, and valid U+FFFD. */
    private static final List<String> AWKWARD = List.of("436166E9", "80", "C0AF", "EDA080", "41EFBFBD42");

    @TempDir
    Path dir;

    private static void shell(Path db, String sql) throws Exception {
        OtherPrograms.Run run = OtherPrograms.sqlite3(db, "PRAGMA busy_timeout = 10000;\n" + sql);
        assertEquals(0, run.exitCode(), "sqlite3 failed: " + run.output());
    }

    private static String inserts(int firstId) {
        StringBuilder sql = new StringBuilder();
        for (int i = 0; i < AWKWARD.size(); i++) {
            String text = "CAST(X'" + AWKWARD.get(i) + "' AS TEXT)";
            sql.append("INSERT INTO t VALUES(").append(firstId + i).append(", ").append(text).append(", ")
                    .append(text).append(");\n");
        }
        return sql.toString();
    }

    private static final String TYPES_AND_BYTES = "SELECT group_concat(id || ':' || typeof(v) || ':' || hex(v) || ':'"
            + " || typeof(u) || ':' || hex(u), ' ') FROM (SELECT * FROM t ORDER BY id)";

    private static void assertEveryCopyReads(String expected, String sql, Cluster cluster) throws Exception {
        assertEquals(expected, Cluster.scalar(cluster.hub, sql), "the hub");
        for (Cluster.Node node : cluster.nodes) {
            assertEquals(expected, node.scalar(sql), "replica " + node.replica());
        }
    }

    @Test
    void textThatIsNotUtf8ReachesTheHubAndTheOtherReplicaUnchanged() throws Exception {
        try (Cluster cluster = Cluster.twoDesktops(dir, TablePolicies.everyTable(ConflictPolicy.NEWEST_WINS), "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT, u)")) {
            var a = cluster.nodes.get(0);
            shell(a.replica(), inserts(1));
            shell(cluster.hub, inserts(11));
            cluster.settle();

            StringBuilder expected = new StringBuilder();
            for (int first : new int[] {1, 11}) {
                for (int i = 0; i < AWKWARD.size(); i++) {
                    String bytes = AWKWARD.get(i);
                    expected.append(expected.length() == 0 ? "" : " ").append(first + i).append(":text:").append(bytes)
                            .append(":text:").append(bytes);
                }
            }
            assertEveryCopyReads(expected.toString(), TYPES_AND_BYTES, cluster);
        }
    }

    @Test
    void aLosingRowOfSuchTextIsArchivedAndRestoredByteForByte() throws Exception {
        try (Cluster cluster = Cluster.withSchema(dir, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT, u)",
                "INSERT INTO t VALUES(1, 'base', 'base')")) {
            var a = cluster.add(ConflictPolicy.NEWEST_WINS);
            var b = cluster.add(ConflictPolicy.NEWEST_WINS);
            cluster.settle();
            shell(a.replica(), "UPDATE t SET v = CAST(X'436166E9' AS TEXT), u = CAST(X'80' AS TEXT) WHERE id = 1;");
            b.exec("UPDATE _sm_state SET clock = clock + 60000", "UPDATE t SET v = 'b wins' WHERE id = 1");
            a.sync();
            b.sync(); // B's newer edit wins; A's version is archived by B
            cluster.settle();

            ArchivedConflict lost = b.conflicts().stream().filter(c -> c.key().equals("[1]")).findFirst().orElseThrow();
            assertEquals("{\"id\":1,\"v\":{\"$text\":\"436166e9\"},\"u\":{\"$text\":\"80\"}}", lost.loserJson());
            b.store().replica().restore(new Key(lost.table(), lost.key()), lost.loserJson(), lost.columns());
            b.sync();
            cluster.settle();
            String restored = "1:text:436166E9:text:80";
            assertEveryCopyReads(restored, TYPES_AND_BYTES, cluster);
        }
    }

    /** Each copy's table {@code k}: {@code typeof:hex:v} of each row, and nothing left pending on any replica. */
    private static final String KEYS = "SELECT group_concat(typeof(name) || ':' || hex(name) || ':' || v, ' ')"
            + " FROM (SELECT * FROM k ORDER BY hex(name))";

    private static void assertEveryCopyHoldsKeys(String expected, Cluster cluster) throws Exception {
        assertEveryCopyHolds(expected, KEYS, cluster);
    }

    private static void assertEveryCopyHolds(String expected, String sql, Cluster cluster) throws Exception {
        assertEveryCopyReads(expected, sql, cluster);
        for (Cluster.Node node : cluster.nodes) {
            assertEquals("0", node.scalar("SELECT count(*) FROM _sm_pending"), "pending on " + node.replica());
        }
    }

    /** The sqlite3 shell runs {@code onA} on replica A and {@code onHub} on the hub; synced. */
    private static void madeOnAAndOnTheHub(Cluster cluster, String onA, String onHub) throws Exception {
        shell(cluster.nodes.get(0).replica(), onA);
        shell(cluster.hub, onHub);
        cluster.settle();
    }

    /** The sqlite3 shell runs {@code made} on replica A, then after a sync {@code changed} on replica B; synced. */
    private static void madeOnAThenChangedOnB(Cluster cluster, String made, String changed) throws Exception {
        shell(cluster.nodes.get(0).replica(), made);
        cluster.settle();
        shell(cluster.nodes.get(1).replica(), changed);
        cluster.settle();
    }

    private static Cluster keyTable(Path dir, String... ddl) throws Exception {
        return Cluster.twoDesktops(dir, TablePolicies.everyTable(ConflictPolicy.NEWEST_WINS), ddl);
    }

    /** Before: A pushed a delete of {@code ["Caf\uFFFD"]} every cycle and kept it pending; B never got either row. */
    @Test
    void aTextKeyThatIsNotUtf8ReachesEveryCopy() throws Exception {
        try (Cluster cluster = keyTable(dir, "CREATE TABLE k(name TEXT PRIMARY KEY, v)")) {
            madeOnAAndOnTheHub(cluster, "INSERT INTO k VALUES(CAST(X'436166E9' AS TEXT), 1);",
                    "INSERT INTO k VALUES(CAST(X'80' AS TEXT), 2);");
            assertEveryCopyHoldsKeys("text:436166E9:1 text:80:2", cluster);
        }
    }

    /** X'80' and X'81' both decode to U+FFFD: read as text they would be one key, and one row would be lost. */
    @Test
    void twoBadKeysThatDecodeAlikeStayTwoRows() throws Exception {
        try (Cluster cluster = keyTable(dir, "CREATE TABLE k(name TEXT PRIMARY KEY, v)")) {
            madeOnAAndOnTheHub(cluster, "INSERT INTO k VALUES(CAST(X'80' AS TEXT), 1);"
                    + " INSERT INTO k VALUES(CAST(X'81' AS TEXT), 2);",
                    "INSERT INTO k VALUES(CAST(X'FE' AS TEXT), 3); INSERT INTO k VALUES('\uFFFD', 4);");
            assertEveryCopyHoldsKeys("text:80:1 text:81:2 text:EFBFBD:4 text:FE:3", cluster);
        }
    }

    @Test
    void anEditAndADeleteOfSuchRowsOnAnotherReplicaReachTheHub() throws Exception {
        try (Cluster cluster = keyTable(dir, "CREATE TABLE k(name TEXT PRIMARY KEY, v)")) {
            madeOnAThenChangedOnB(cluster, "INSERT INTO k VALUES(CAST(X'436166E9' AS TEXT), 1);"
                    + " INSERT INTO k VALUES(CAST(X'80' AS TEXT), 2); INSERT INTO k VALUES(CAST(X'81' AS TEXT), 3);",
                    "UPDATE k SET v = 10 WHERE name = CAST(X'436166E9' AS TEXT);"
                    + " DELETE FROM k WHERE name = CAST(X'80' AS TEXT);");
            assertEveryCopyHoldsKeys("text:436166E9:10 text:81:3", cluster);
        }
    }

    @Test
    void aConflictOnSuchAKeyIsArchivedAndRestorable() throws Exception {
        try (Cluster cluster = keyTable(dir, "CREATE TABLE k(name TEXT PRIMARY KEY, v)")) {
            var a = cluster.nodes.get(0);
            var b = cluster.nodes.get(1);
            shell(cluster.hub, "INSERT INTO k VALUES(CAST(X'436166E9' AS TEXT), 'base');"
                    + " INSERT INTO k VALUES(CAST(X'436166E8' AS TEXT), 'other');");
            cluster.settle();
            shell(a.replica(), "UPDATE k SET v = 'a' WHERE name = CAST(X'436166E9' AS TEXT);");
            b.exec("UPDATE _sm_state SET clock = clock + 60000",
                    "UPDATE k SET v = 'b wins' WHERE name = CAST(X'436166E9' AS TEXT)");
            a.sync();
            b.sync(); // B's newer edit wins; A's version is archived by B
            cluster.settle();
            assertEveryCopyHoldsKeys("text:436166E8:other text:436166E9:b wins", cluster);

            List<ArchivedConflict> archived = b.conflicts().stream().filter(c -> c.table().equals("k")).toList();
            assertEquals(1, archived.size(), archived.toString());
            ArchivedConflict lost = archived.get(0);
            assertEquals("{\"name\":{\"$text\":\"436166e9\"},\"v\":\"a\"}", lost.loserJson());
            b.store().replica().restore(new Key("k", lost.key()), lost.loserJson(), lost.columns());
            b.sync();
            cluster.settle();
            assertEveryCopyHoldsKeys("text:436166E8:other text:436166E9:a", cluster);
        }
    }

    @Test
    void aCompositeKeyWithOneBadElementReachesEveryCopy() throws Exception {
        try (Cluster cluster = keyTable(dir, "CREATE TABLE c(a TEXT, b INTEGER, v, PRIMARY KEY(a, b))")) {
            madeOnAThenChangedOnB(cluster, "INSERT INTO c VALUES(CAST(X'E9' AS TEXT), 1, 'x');"
                    + " INSERT INTO c VALUES(CAST(X'E9' AS TEXT), 2, 'y'); INSERT INTO c VALUES('ok', 1, 'z');",
                    "UPDATE c SET v = 'x2' WHERE a = CAST(X'E9' AS TEXT) AND b = 1;"
                    + " DELETE FROM c WHERE a = CAST(X'E9' AS TEXT) AND b = 2;");
            String sql = "SELECT group_concat(typeof(a) || ':' || hex(a) || ':' || b || ':' || v, ' ')"
                    + " FROM (SELECT * FROM c ORDER BY hex(a), b)";
            assertEveryCopyHolds("text:6F6B:1:z text:E9:1:x2", sql, cluster);
        }
    }

    /** The key of a NOCASE column is its lower() (Sql.keyJson), which folds the ASCII bytes and keeps the others. */
    @Test
    void aNocaseKeyThatIsNotUtf8KeepsItsSpellingEverywhere() throws Exception {
        try (Cluster cluster = keyTable(dir, "CREATE TABLE k(name TEXT COLLATE NOCASE PRIMARY KEY, v)")) {
            madeOnAThenChangedOnB(cluster, "INSERT INTO k VALUES(CAST(X'41E9' AS TEXT), 1);",
                    "UPDATE k SET v = 2 WHERE name = CAST(X'61E9' AS TEXT);");
            assertEveryCopyHoldsKeys("text:41E9:2", cluster);
        }
    }

    /** A parent row with such a key deleted on A, a child of it added on B: the child goes as SQLite's CASCADE says. */
    @Test
    void aChildOfSuchAKeyFollowsItsParentsDelete() throws Exception {
        try (Cluster cluster = keyTable(dir, "CREATE TABLE p(name TEXT PRIMARY KEY)",
                "CREATE TABLE ch(id INTEGER PRIMARY KEY, p TEXT REFERENCES p(name) ON DELETE CASCADE)",
                "INSERT INTO p VALUES(CAST(X'E9' AS TEXT)), (CAST(X'E8' AS TEXT))")) {
            var a = cluster.nodes.get(0);
            var b = cluster.nodes.get(1);
            a.exec("PRAGMA foreign_keys = ON", "DELETE FROM p WHERE name = CAST(X'E9' AS TEXT)");
            b.exec("PRAGMA foreign_keys = ON", "INSERT INTO ch VALUES(10, CAST(X'E9' AS TEXT))",
                    "INSERT INTO ch VALUES(11, CAST(X'E8' AS TEXT))");
            a.sync();
            b.sync();
            cluster.settle();
            assertEveryCopyHolds("E8 11:E8", "SELECT (SELECT group_concat(hex(name)) FROM p) || ' '"
                    + " || (SELECT group_concat(id || ':' || hex(p)) FROM ch)", cluster);
            assertTrue(b.conflicts().stream().anyMatch(c -> c.table().equals("ch") && c.key().equals("[10]")
                    && c.reason().contains("CASCADE")), b.conflicts().toString());
        }
    }

    /** Two such keys want one UNIQUE value: a conflict like any other (Clashes finds the holder by its key). */
    @Test
    void aUniqueClashBetweenSuchKeysIsAConflictTheNewerWins() throws Exception {
        try (Cluster cluster = keyTable(dir, "CREATE TABLE k(name TEXT PRIMARY KEY, v, code UNIQUE)")) {
            var a = cluster.nodes.get(0);
            var b = cluster.nodes.get(1);
            a.exec("INSERT INTO k VALUES(CAST(X'E9' AS TEXT), 'a', 'NEW')");
            Cluster.awaitClockPast(a.replica());
            b.exec("INSERT INTO k VALUES(CAST(X'E8' AS TEXT), 'b', 'NEW')");
            a.sync();
            b.sync();
            cluster.settle();
            assertEveryCopyHoldsKeys("text:E8:b", cluster);
            List<ArchivedConflict> archived = Archive.all(cluster);
            assertEquals(1, archived.size(), archived.toString());
            assertEquals("{\"name\":{\"$text\":\"e9\"},\"v\":\"a\",\"code\":\"NEW\"}",
                    archived.get(0).loserJson());
        }
    }
}

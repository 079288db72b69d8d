package io.sharemirror.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}

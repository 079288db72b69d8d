package io.sharemirror.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.sync.ArchivedConflict;
import io.sharemirror.sync.CycleRecord;
import io.sharemirror.sync.conflict.ConflictPolicy;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys compare as SQLite compares them: under COLLATE NOCASE 'acme' and 'ACME' are one row, under RTRIM 'x' and
 * 'x ' are. Two desktops that make one of them each made the same row: a conflict the policy decides, its loser
 * archived. (Before, the second push overwrote the first with no archive, and its read-back, finding 'acme' where
 * it wrote 'ACME', took the hub for damaged and stopped every desktop.)
 */
class KeyCollationTest {

    @TempDir
    Path dir;

    private Cluster cluster() throws Exception {
        Cluster cluster = Cluster.withSchema(dir,
                "CREATE TABLE customer(code TEXT PRIMARY KEY COLLATE NOCASE, name TEXT)",
                "CREATE TABLE tag(label TEXT COLLATE RTRIM, lang TEXT, note TEXT, PRIMARY KEY(label, lang)) WITHOUT ROWID");
        cluster.add(ConflictPolicy.NEWEST_WINS);
        cluster.add(ConflictPolicy.NEWEST_WINS);
        cluster.settle();
        return cluster;
    }

    @Test
    void theSameKeySpelledTwoWaysOnTwoDesktopsIsOneRowAndAConflict() throws Exception {
        try (Cluster cluster = cluster()) {
            var a = cluster.nodes.get(0);
            var b = cluster.nodes.get(1);
            a.exec("INSERT INTO customer VALUES('acme', 'Acme from a')", "INSERT INTO tag VALUES('x', 'en', 'from a')");
            Cluster.awaitClockPast(a.replica());
            b.exec("INSERT INTO customer VALUES('ACME', 'Acme from b')", "INSERT INTO tag VALUES('x  ', 'en', 'from b')");
            assertSynced(a.sync());
            assertSynced(b.sync());
            cluster.settle();
            cluster.assertConverged();
            assertEquals("ACME|Acme from b", Cluster.scalar(cluster.hub, "SELECT code || '|' || name FROM customer"),
                    "one row, the newer write with its own spelling");
            assertEquals("x  |from b", Cluster.scalar(cluster.hub, "SELECT label || '|' || note FROM tag"));
            List<ArchivedConflict> archived = b.conflicts();
            assertEquals(2, archived.size(), archived.toString());
            assertTrue(archived.stream().anyMatch(c -> c.table().equals("customer") && c.winner().equals("local")
                    && c.hubJson().contains("Acme from a")), archived.toString());
        }
    }

    @Test
    void aChangeOfSpellingOnlyReachesEveryCopy() throws Exception {
        try (Cluster cluster = cluster()) {
            var a = cluster.nodes.get(0);
            var b = cluster.nodes.get(1);
            a.exec("INSERT INTO customer VALUES('acme', 'Acme')");
            cluster.settle();
            b.exec("UPDATE customer SET code = 'AcMe' WHERE code = 'acme'");
            assertEquals("1", b.scalar("SELECT count(*) FROM _sm_pending"), "one key, its spelling changed");
            cluster.settle();
            cluster.assertConverged();
            assertEquals("AcMe", Cluster.scalar(cluster.hub, "SELECT code FROM customer"));
            assertEquals(List.of(), Archive.all(cluster));
        }
    }

    @Test
    void aDirectWriterOnTheHubMeetsAPendingEditUnderAnotherSpelling() throws Exception {
        try (Cluster cluster = cluster()) {
            var a = cluster.nodes.get(0);
            a.exec("INSERT INTO customer VALUES('acme', 'Acme')");
            cluster.settle();
            a.exec("UPDATE customer SET name = 'edited on a' WHERE code = 'acme'");
            Cluster.awaitClockPast(a.replica());
            cluster.hubExec("UPDATE customer SET name = 'edited directly' WHERE code = 'ACME'");
            assertSynced(a.sync());
            cluster.settle();
            cluster.assertConverged();
            assertEquals("edited directly", Cluster.scalar(cluster.hub, "SELECT name FROM customer"));
            assertEquals(1, a.conflicts().size(), "the same row, changed on both sides: " + a.conflicts());
        }
    }

    private static void assertSynced(CycleRecord record) {
        assertTrue(record.succeeded(), record.toString());
    }
}

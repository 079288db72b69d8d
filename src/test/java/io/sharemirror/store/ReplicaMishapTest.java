package io.sharemirror.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.Figures;
import io.sharemirror.sync.ArchivedConflict;
import io.sharemirror.sync.CycleRecord;
import io.sharemirror.sync.CycleRecord.Outcome;
import io.sharemirror.sync.Key;
import io.sharemirror.sync.conflict.ConflictPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica deleted, replaced or damaged by another program while the agent has it open, or found damaged when it
 * starts. Each time: one failed cycle says what happened and where the old file is kept, the writes it held that
 * never reached the hub go to the conflict archive (and Restore brings them back), the file itself is kept, and the
 * next cycle syncs with a fresh copy of the hub. Nothing the applications wrote is lost.
 */
class ReplicaMishapTest {

    private static final String[] SCHEMA = {
        "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)",
        "CREATE TABLE big(id INTEGER PRIMARY KEY, data BLOB)",
        "INSERT INTO t VALUES(1, 'one'), (2, 'two')",
        "INSERT INTO big WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400)"
                + " SELECT i, randomblob(1000) FROM n",
    };

    private static int mishaps;
    private static int writesChecked;
    private static int writesLost;

    @TempDir
    Path dir;

    @Test
    void aReplicaDeletedWhileOpenIsReplacedAndItsUnpushedWritesArchived() throws Exception {
        try (Cluster cluster = Cluster.withSchema(dir, SCHEMA)) {
            var a = cluster.add(ConflictPolicy.NEWEST_WINS);
            assertTrue(a.sync().succeeded());
            a.exec("UPDATE t SET v = 'one on a' WHERE id = 1", "INSERT INTO t VALUES(3, 'three on a')");
            deleteWithCompanions(a.replica());

            CycleRecord replaced = a.sync();
            assertReplaced(replaced, "was deleted while ShareMirror had it open");
            assertTrue(Files.exists(a.replica()), "a fresh copy took its place");
            assertEquals("one", a.scalar("SELECT v FROM t WHERE id = 1"));
            assertRestoredAndPushed(cluster, a, 2, "one on a", "three on a");
        }
    }

    @Test
    void aReplicaReplacedWhileOpenIsKeptAsitWasAndItsUnpushedWritesArchived() throws Exception {
        try (Cluster cluster = Cluster.withSchema(dir, SCHEMA)) {
            var a = cluster.add(ConflictPolicy.NEWEST_WINS);
            assertTrue(a.sync().succeeded());
            Path copy = dir.resolve("copy-of-the-replica.db");
            Cluster.run(a.replica(), "VACUUM INTO '" + copy + "'");
            a.exec("UPDATE t SET v = 'one on a' WHERE id = 1");
            // Someone restores an old copy over the open replica (without the -wal and -shm, which belong to the
            // file it replaces), and an application then writes to the copy.
            deleteWithCompanions(a.replica());
            Files.move(copy, a.replica(), StandardCopyOption.REPLACE_EXISTING);
            Cluster.run(a.replica(), "INSERT INTO t VALUES(4, 'written into the copy')");

            CycleRecord replaced = a.sync();
            assertReplaced(replaced, "was replaced by another file while ShareMirror had it open");
            Path kept = keptFile(replaced);
            assertEquals("written into the copy", Cluster.scalar(kept, "SELECT v FROM t WHERE id = 4"),
                    "the file found at the path is kept as it was, with what was written into it");
            assertRestoredAndPushed(cluster, a, 1, "one on a");
        }
    }

    @Test
    void aReplicaDamagedWhileOpenIsSetAsideOnceSQLiteNoticesAndItsUnpushedWritesArchived() throws Exception {
        try (Cluster cluster = Cluster.withSchema(dir, SCHEMA)) {
            var a = cluster.add(ConflictPolicy.NEWEST_WINS);
            assertTrue(a.sync().succeeded());
            a.exec("UPDATE t SET v = 'one on a' WHERE id = 1");
            Cluster.run(a.replica(), "PRAGMA wal_checkpoint(TRUNCATE)");
            Cluster.damagePage(a.replica(), "SELECT max(pageno) FROM dbstat WHERE name = 'big' AND pagetype = 'leaf'");
            // A change on the hub to the rows on that page: the pull is where SQLite finds the damage.
            cluster.hubExec("UPDATE big SET data = x'00' WHERE id >= 390");

            CycleRecord noticed = a.sync();
            assertEquals(Outcome.FAILED, noticed.outcome(), noticed::toString);
            assertTrue(noticed.error().contains("malformed"), noticed::error);
            assertTrue(noticed.hint().contains("moves it aside"), noticed::hint);
            CycleRecord replaced = a.sync();
            assertReplaced(replaced, "is damaged");
            assertFalse("ok".equals(Cluster.scalar(keptFile(replaced), "PRAGMA integrity_check")), "the damaged file");
            assertEquals("ok", Cluster.scalar(a.replica(), "PRAGMA integrity_check"));
            assertRestoredAndPushed(cluster, a, 1, "one on a");
            assertEquals("1", Cluster.scalar(cluster.hub, "SELECT length(data) FROM big WHERE id = 400"));
        }
    }

    @Test
    void aReplicaFoundDamagedOrForeignWhenTheAgentStartsIsSetAside() throws Exception {
        try (Cluster cluster = Cluster.withSchema(dir, SCHEMA)) {
            var a = cluster.add(ConflictPolicy.NEWEST_WINS);
            var b = cluster.add(ConflictPolicy.NEWEST_WINS);
            cluster.settle();
            a.exec("UPDATE t SET v = 'one on a' WHERE id = 1");
            a.store().close();
            b.store().close(); // and their state files stay open: no agent runs, for now
            // a's replica: damaged while no agent ran; b's: the hub copied over it by hand (no ShareMirror state).
            Cluster.run(a.replica(), "PRAGMA wal_checkpoint(TRUNCATE)");
            Cluster.damagePage(a.replica(), "SELECT rootpage + 2 FROM sqlite_master WHERE name = 'big'");
            deleteWithCompanions(b.replica());
            Files.copy(cluster.hub, b.replica());

            var a2 = cluster.reopen(a, ConflictPolicy.NEWEST_WINS);
            var b2 = cluster.reopen(b, ConflictPolicy.NEWEST_WINS);
            CycleRecord damaged = a2.sync();
            assertReplaced(damaged, "fails its integrity check");
            assertRestoredAndPushed(cluster, a2, 1, "one on a");
            assertReplaced(b2.sync(), "is not a replica ShareMirror finished making");
            assertTrue(b2.sync().succeeded());
            cluster.settle();
            cluster.assertConverged();
        }
    }

    /** state.db, found damaged when the agent starts: kept as it is, and the agent starts with a new one. */
    @Test
    void aDamagedStateFileIsSetAsideAndTheAgentStartsWithANewOne() throws Exception {
        try (Cluster cluster = Cluster.withSchema(dir, SCHEMA)) {
            var a = cluster.add(ConflictPolicy.NEWEST_WINS);
            assertTrue(a.sync().succeeded());
            a.exec("UPDATE t SET v = 'one on a' WHERE id = 1");
            a.close();
            Path state = a.replica().resolveSibling("state.db");
            Files.write(state, "not a database any more".repeat(300).getBytes());
            byte[] damaged = Files.readAllBytes(state);

            var again = cluster.reopen(a, ConflictPolicy.NEWEST_WINS);
            mishaps++;
            String why = again.state().setAside().orElseThrow();
            assertTrue(why.contains("the state file " + state + " was damaged"), why);
            assertTrue(why.contains("it is kept as " + state + ".set-aside-"), why);
            try (Stream<Path> files = Files.list(state.getParent())) {
                Path kept = files.filter(f -> f.getFileName().toString().matches("state\\.db\\.set-aside-[-0-9]+"))
                        .findFirst().orElseThrow();
                assertArrayEquals(damaged, Files.readAllBytes(kept), "kept byte for byte");
            }
            assertTrue(again.sync().succeeded(), "the replica and its pending write are untouched by it");
            writesChecked++;
            assertEquals("one on a", Cluster.scalar(cluster.hub, "SELECT v FROM t WHERE id = 1"));
            assertEquals(1, again.state().history("db", 10).size(), "the new state file records cycles");
        }
    }

    @AfterAll
    static void publish() {
        Figures.of("ReplicaMishapTest").runs(5).faults(mishaps).writesChecked(writesChecked).writesLost(writesLost)
                .publish();
    }

    /** One failed cycle that names the replica, what happened to it, and where the old file is. */
    private static void assertReplaced(CycleRecord r, String what) {
        mishaps++;
        assertEquals(Outcome.FAILED, r.outcome(), r::toString);
        assertTrue(r.error().contains(what), r::error);
        assertTrue(r.hint().startsWith("sync goes on with a fresh copy of the hub"), r::hint);
    }

    /** Where the record says the old file is kept; it exists. */
    private static Path keptFile(CycleRecord r) {
        String marker = "it is kept as ";
        int at = r.error().indexOf(marker);
        assertTrue(at >= 0, r::error);
        String rest = r.error().substring(at + marker.length());
        Path kept = Path.of(rest.contains(";") ? rest.substring(0, rest.indexOf(';')) : rest);
        assertTrue(Files.exists(kept), kept::toString);
        return kept;
    }

    /**
     * The unpushed writes are in the archive, restored from it they become local writes again, and the next sync
     * pushes them: the writes the applications made before the mishap all reach the hub.
     */
    private static void assertRestoredAndPushed(Cluster cluster, Cluster.Node node, int unpushed, String... values)
            throws Exception {
        List<ArchivedConflict> archived = node.conflicts().stream().filter(c -> c.winner().equals("discarded")).toList();
        assertEquals(unpushed, archived.size(), archived::toString);
        for (ArchivedConflict c : archived) {
            node.store().replica().restore(new Key(c.table(), c.key()), c.loserJson(), c.columns());
        }
        assertTrue(node.sync().succeeded());
        for (String value : values) {
            writesChecked++;
            if (!"1".equals(Cluster.scalar(cluster.hub, "SELECT count(*) FROM t WHERE v = '" + value + "'"))) {
                writesLost++;
            }
            assertEquals("1", Cluster.scalar(cluster.hub, "SELECT count(*) FROM t WHERE v = '" + value + "'"), value);
        }
        assertNotNull(node.scalar("SELECT node FROM _sm_state"));
    }

    private static void deleteWithCompanions(Path db) throws Exception {
        for (String suffix : List.of("", "-wal", "-shm")) {
            Files.deleteIfExists(Path.of(db + suffix));
        }
    }
}

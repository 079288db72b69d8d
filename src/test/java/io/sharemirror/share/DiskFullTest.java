package io.sharemirror.share;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.Figures;
import io.sharemirror.store.AckedWrites;
import io.sharemirror.store.Cluster;
import io.sharemirror.sync.CycleRecord;
import io.sharemirror.sync.conflict.ConflictPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5, item 7: a full disk, under the replica's cache folder and under the share, each a real small filesystem
 * ({@link SmallDisk}) filled to the last byte for {@code faults.diskFull.rounds} rounds (CI 3, {@code -Plong} 20).
 * An application writing the full replica gets SQLITE_FULL and nothing it was told is committed goes missing; the
 * agent's cycles on the full disk fail with the disk-full hint and leave a batch on the hub fully or not at all, with
 * nothing cleared that is not there; once space is back sync resumes, every acknowledged write is everywhere and the
 * mirrors converge.
 */
class DiskFullTest {

    private static final int ROUNDS = Integer.getInteger("faults.diskFull.rounds", 3);
    private static final int SQLITE_FULL = 13;

    @TempDir
    Path dir;

    /**
     * Even rounds: B pushed rows, so A's cycle must apply a pull to the full replica. Odd rounds: nothing to pull, A's
     * push reaches the hub and clearing its pending rows on the full disk fails (the push is repeated, idempotent).
     */
    @Test
    void aFullCacheDiskFailsTheWriterClearlyLosesNothingAndSyncResumes() throws Exception {
        Path hub = Files.createDirectories(dir.resolve("share")).resolve("hub.db");
        Cluster.run(hub, AckedWrites.DDL);
        try (SmallDisk disk = SmallDisk.mount(dir.resolve("nodes").resolve("cache0"), 4 << 20);
             Cluster cluster = new Cluster(dir.resolve("nodes"), hub)) {
            Cluster.Node a = cluster.add(ConflictPolicy.NEWEST_WINS); // its cache folder is cache0, on the small disk
            Cluster.Node b = cluster.add(ConflictPolicy.NEWEST_WINS);
            AckedWrites writes = new AckedWrites();
            writes.insert(a, 10);
            cluster.settle();
            List<String> problems = new ArrayList<>();
            int refusedWrites = 0;
            int fullCycles = 0;
            for (int round = 0; round < ROUNDS; round++) {
                if (round % 2 == 0) {
                    writes.insert(b, 50);
                    assertTrue(b.sync().succeeded());
                }
                writes.insert(a, 20);
                Map<String, String> batch = AckedWrites.pendingBatch(a);
                a.exec("PRAGMA wal_checkpoint(TRUNCATE)"); // from here on every write needs new space
                disk.fill();
                refusedWrites += writeUntilFull(a, writes, problems, "round " + round);
                CycleRecord full = a.sync();
                if (full.succeeded()) {
                    problems.add("round " + round + ": a cycle on the full disk succeeded: " + full);
                } else if (full.hint() == null || !full.hint().contains("disk is full")) {
                    problems.add("round " + round + ": the full disk was reported without its hint: " + full);
                } else {
                    fullCycles++;
                }
                String halfDone = AckedWrites.halfDone(hub, a, batch);
                if (halfDone != null) {
                    problems.add("round " + round + ": " + halfDone);
                }
                disk.free();
                resumes(a, "round " + round, problems);
            }
            finish("DiskFullTest.cacheDisk", cluster, writes, problems, fullCycles, refusedWrites);
        }
    }

    @Test
    void aFullShareFailsThePushCleanlyKeepsItQueuedAndSyncResumes() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(dir.resolve("server"), 4 << 20);
             FaultFs share = FaultFs.mount(disk.folder(), dir.resolve("mnt"))) {
            Path hub = share.folder().resolve("hub.db");
            Cluster.run(hub, AckedWrites.DDL);
            try (Cluster cluster = new Cluster(dir.resolve("nodes"), hub)) {
                Cluster.Node a = cluster.add(ConflictPolicy.NEWEST_WINS);
                Cluster.Node b = cluster.add(ConflictPolicy.NEWEST_WINS);
                AckedWrites writes = new AckedWrites();
                writes.insert(a, 10);
                cluster.settle();
                List<String> problems = new ArrayList<>();
                int fullCycles = 0;
                for (int round = 0; round < ROUNDS; round++) {
                    writes.insert(a, 200);
                    writes.update(a, 20);
                    Map<String, String> batch = AckedWrites.pendingBatch(a);
                    disk.fill();
                    CycleRecord full = a.sync();
                    if (full.succeeded()) {
                        problems.add("round " + round + ": a push to the full share succeeded: " + full);
                    } else if (full.hint() == null || !full.hint().contains("disk is full")) {
                        problems.add("round " + round + ": the full share was reported without its hint: " + full);
                    } else {
                        fullCycles++;
                    }
                    String halfDone = AckedWrites.halfDone(hub, a, batch);
                    if (halfDone != null) {
                        problems.add("round " + round + ": " + halfDone);
                    }
                    writes.insert(a, 5); // the replica takes writes while the share is full
                    writes.insert(b, 5);
                    disk.free();
                    resumes(a, "round " + round, problems);
                    resumes(b, "round " + round, problems);
                }
                finish("DiskFullTest.shareDisk", cluster, writes, problems, fullCycles, 0);
            }
        }
    }

    /** Writes batches to the full replica until one is refused; returns how many were refused (0 or 1). */
    private static int writeUntilFull(Cluster.Node node, AckedWrites writes, List<String> problems, String where) {
        for (int attempt = 0; attempt < 20; attempt++) {
            try {
                writes.insert(node, 200); // acknowledged if it returns: then it must not be lost
            } catch (SQLException e) {
                if (e.getErrorCode() != SQLITE_FULL || !e.getMessage().contains("full")) {
                    problems.add(where + ": the writer got " + e.getMessage() + ", not SQLITE_FULL");
                }
                return 1;
            }
        }
        problems.add(where + ": 20 writes of 200 rows fit on the full disk");
        return 0;
    }

    private static void resumes(Cluster.Node node, String where, List<String> problems) throws SQLException {
        CycleRecord r = node.sync();
        if (!r.succeeded() || !AckedWrites.pendingBatch(node).isEmpty()) {
            problems.add(where + ": sync did not resume once space was back: " + r);
        }
    }

    private static void finish(String test, Cluster cluster, AckedWrites writes, List<String> problems, int fullCycles,
                               int refusedWrites) throws SQLException {
        try {
            cluster.settle();
        } catch (AssertionError e) {
            problems.add("settling: " + e.getMessage());
        }
        List<String> lostRows = new ArrayList<>();
        int lost = writes.lost(cluster, lostRows);
        Figures.of(test).runs(ROUNDS).faults(ROUNDS).writesChecked(writes.count()).writesLost(lost)
                .put("cycles_failed_disk_full", fullCycles).put("writes_refused_sqlite_full", refusedWrites).publish();
        assertEquals(List.of(), problems, String.join("\n", problems));
        assertEquals(List.of(), lostRows);
        cluster.assertConverged();
    }
}

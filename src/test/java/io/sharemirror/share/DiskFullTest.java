package io.sharemirror.share;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.Figures;
import io.sharemirror.store.AckedWrites;
import io.sharemirror.store.Cluster;
import io.sharemirror.store.TwoReplicas;
import io.sharemirror.sync.CycleRecord;
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
             TwoReplicas replicas = TwoReplicas.of(dir.resolve("nodes"), hub)) {
            Cluster.Node a = replicas.a; // its cache folder is cache0, on the small disk
            Cluster.Node b = replicas.b;
            AckedWrites writes = replicas.writes;
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
                fullCycles += failsOnTheFullDisk(a, hub, batch, "round " + round, problems) ? 1 : 0;
                disk.free();
                resumes(a, "round " + round, problems);
            }
            replicas.finish(Figures.of("DiskFullTest.cacheDisk").runs(ROUNDS).faults(ROUNDS)
                    .put("cycles_failed_disk_full", fullCycles).put("writes_refused_sqlite_full", refusedWrites),
                    problems);
        }
    }

    @Test
    void aFullShareFailsThePushCleanlyKeepsItQueuedAndSyncResumes() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(dir.resolve("server"), 4 << 20);
             FaultFs share = FaultFs.mount(disk.folder(), dir.resolve("mnt"))) {
            Path hub = share.folder().resolve("hub.db");
            Cluster.run(hub, AckedWrites.DDL);
            try (TwoReplicas replicas = TwoReplicas.of(dir.resolve("nodes"), hub)) {
                Cluster.Node a = replicas.a;
                Cluster.Node b = replicas.b;
                AckedWrites writes = replicas.writes;
                List<String> problems = new ArrayList<>();
                int fullCycles = 0;
                for (int round = 0; round < ROUNDS; round++) {
                    writes.insert(a, 200);
                    writes.update(a, 20);
                    Map<String, String> batch = AckedWrites.pendingBatch(a);
                    disk.fill();
                    fullCycles += failsOnTheFullDisk(a, hub, batch, "round " + round, problems) ? 1 : 0;
                    writes.insert(a, 5); // the replica takes writes while the share is full
                    writes.insert(b, 5);
                    disk.free();
                    resumes(a, "round " + round, problems);
                    resumes(b, "round " + round, problems);
                }
                replicas.finish(Figures.of("DiskFullTest.shareDisk").runs(ROUNDS).faults(ROUNDS)
                        .put("cycles_failed_disk_full", fullCycles), problems);
            }
        }
    }

    /**
     * Runs a cycle of {@code node} on the full disk: it must fail with the disk-full hint and leave {@code batch} on
     * the hub fully or not at all (and then still pending). Returns whether it failed so.
     */
    private static boolean failsOnTheFullDisk(Cluster.Node node, Path hub, Map<String, String> batch, String where,
                                              List<String> problems) throws SQLException {
        CycleRecord full = node.sync();
        String halfDone = AckedWrites.halfDone(hub, node, batch);
        if (halfDone != null) {
            problems.add(where + ": " + halfDone);
        }
        if (full.succeeded() || full.hint() == null || !full.hint().contains("disk is full")) {
            problems.add(where + ": a cycle on the full disk did not fail with the disk-full hint: " + full);
            return false;
        }
        return true;
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
}

package io.sharemirror.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.Figures;
import io.sharemirror.share.FaultFs;
import io.sharemirror.share.SambaShare;
import io.sharemirror.share.Share;
import io.sharemirror.share.SqliteShell;
import io.sharemirror.sync.ReferenceClock;
import io.sharemirror.sync.conflict.ConflictPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading the file server's clock off the hub's journal, on both share fixtures. The server here runs on this machine,
 * so the true offset is zero: every reading must say so within the error it claims. (ClockSkewTest gives a desktop a
 * wrong clock.)
 */
class ServerClockTest {

    @TempDir
    Path dir;

    @Test
    void faultFsGivesTheServersTimeWithinTheClaimedError() throws Exception {
        try (FaultFs share = FaultFs.mount(dir.resolve("server"), dir.resolve("share"))) {
            readings(share, "FAULTFS", share.faults()::counts, share.faults()::resetCounts);
        }
    }

    @Test
    void sambaGivesTheServersTimeWithinTheClaimedError() throws Exception {
        try (SambaShare share = SambaShare.start(dir.resolve("samba"))) {
            readings(share, "SAMBA", null, null);
        }
    }

    private void readings(Share share, String kind, java.util.function.Supplier<Map<?, Long>> counts, Runnable reset)
            throws Exception {
        Path hub = share.folder().resolve("hub.db");
        Cluster.run(hub, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)", "INSERT INTO t VALUES(1, 'one')");
        try (Cluster cluster = new Cluster(dir.resolve("nodes"), hub)) {
            Cluster.Node node = cluster.add(ConflictPolicy.NEWEST_WINS);
            node.sync(); // the clone reads the clock first
            ReferenceClock reference = node.mirror().store().referenceClock();
            ReferenceClock.Reading cloned = reference.reading().orElseThrow();
            assertTrue(cloned.measured(), "the clone read the server's clock");
            assertEquals(Long.toString(cloned.offsetMs()), node.scalar("SELECT clock_offset FROM _sm_state"),
                    "the clone's offset is the replica's");
            long worstError = 0;
            long worstClaimed = 0;
            int samples = 20;
            Map<?, Long> tinyWrite = null;
            for (int i = 0; i < samples; i++) {
                if (i % 2 == 0) {
                    node.exec("UPDATE t SET v = 'push " + i + "' WHERE id = 1");
                    node.sync(); // a push reads it on the way
                } else {
                    if (reset != null) {
                        reset.run();
                    }
                    node.mirror().store().hub().readServerClock();
                    tinyWrite = counts == null ? null : counts.get();
                }
                ReferenceClock.Reading r = reference.reading().orElseThrow();
                worstError = Math.max(worstError, Math.abs(r.offsetMs()));
                worstClaimed = Math.max(worstClaimed, r.errorMs());
                assertTrue(Math.abs(r.offsetMs()) <= r.errorMs(), "reading " + i + ": " + r + " is off by more than its"
                        + " error, and the true offset is 0");
            }
            Map<?, Long> stats = null;
            if (reset != null) {
                // What sampling adds to every push: a look-up of the journal's name before its first change, a stat after.
                try (SqliteShell lock = SqliteShell.holdingWriteLock(hub, "INSERT INTO t VALUES(2, 'locked')")) {
                    Path journal = hub.resolveSibling("hub.db-journal");
                    reset.run();
                    assertFalse(Files.notExists(journal));
                    Files.getLastModifiedTime(journal);
                    stats = counts.get();
                }
            }
            Figures.of("ServerClockTest." + kind).runs(samples).put("worst_offset_ms", worstError)
                    .put("worst_claimed_error_ms", worstClaimed)
                    .put("ops_per_tiny_write", tinyWrite == null ? "-" : tinyWrite.values().stream().mapToLong(Long::longValue).sum())
                    .put("tiny_write_ops", tinyWrite == null ? "-" : tinyWrite)
                    .put("ops_added_per_push", stats == null ? "-" : stats.values().stream().mapToLong(Long::longValue).sum())
                    .publish();
        }
    }
}

package io.sharemirror.share;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.Figures;
import io.sharemirror.store.Cluster;
import io.sharemirror.sync.CycleRecord;
import io.sharemirror.sync.conflict.ConflictPolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One failed operation on the hub's files (a write refused for lack of space, a read failing with EIO) fails one sync
 * cycle at most: the cycle after it, with the fault gone, works. sqlite-jdbc finalizes a statement that failed with
 * anything but BUSY, LOCKED or CONSTRAINT, and the engine keeps its statements prepared for the life of a
 * connection; reusing the dead one failed every later cycle with "statement is not executing" (SoakTest: an agent
 * whose queue never drained after an I/O error window).
 */
class HubErrorRecoveryTest {

    private static final int SWEEP = 12;

    @TempDir
    Path dir;

    @Test
    void aFailedWriteOrReadOnTheHubFailsOneCycleAtMost() throws Exception {
        try (FaultFs share = FaultFs.mount(dir.resolve("backing"), dir.resolve("mnt"))) {
            Path hub = share.folder().resolve("hub.db");
            Cluster.run(hub, "CREATE TABLE item(id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
            try (Cluster cluster = new Cluster(dir.resolve("nodes"), hub)) {
                Cluster.Node a = cluster.add(ConflictPolicy.NEWEST_WINS);
                a.exec("INSERT INTO item(name) VALUES('before')");
                assertTrue(a.sync().succeeded());
                Faults faults = share.faults().scope(p -> p.startsWith("/hub.db"));
                List<String> stuck = new ArrayList<>();
                int failedCycles = 0;
                int rows = 1;
                for (Op op : List.of(Op.WRITE, Op.READ)) {
                    for (int n = 1; n <= SWEEP; n++) {
                        a.exec("INSERT INTO item(name) VALUES('" + op + " " + n + "')");
                        rows++;
                        faults.failNth(op, n, op == Op.WRITE ? Errno.ENOSPC : Errno.EIO);
                        failedCycles += a.sync().succeeded() ? 0 : 1;
                        faults.clear();
                        CycleRecord after = a.sync();
                        if (!after.succeeded()) {
                            stuck.add(op + " #" + n + ": " + after.error());
                        }
                    }
                }
                String onHub = Cluster.scalar(hub, "SELECT count(*) FROM item");
                Figures.of("HubErrorRecoveryTest.aFailedWriteOrReadOnTheHubFailsOneCycleAtMost").runs(2 * SWEEP)
                        .faults(2 * SWEEP).writesChecked(rows).writesLost(rows - Long.parseLong(onHub))
                        .put("cycles_failed_by_the_fault", failedCycles).put("cycles_failed_after_it", stuck.size())
                        .publish();
                assertEquals(List.of(), stuck, "cycles that failed after the fault was gone");
                assertTrue(failedCycles > 0, "no fault ever reached a cycle: the sweep tested nothing");
                cluster.assertConverged();
                assertEquals(String.valueOf(rows), onHub);
            }
        }
    }
}

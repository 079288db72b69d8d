package io.sharemirror.sync;

import io.sharemirror.store.Cluster;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.sync.conflict.ConflictPolicy;
import io.sharemirror.sync.conflict.TablePolicies;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Another node pushing while a cycle runs, at the exact points where it can: between the idle probe and the pull. */
class PullRaceTest {

    @TempDir
    Path dir;

    /**
     * B's cycle probes the hub, then C pushes a newer version of a row before B reads the changes. B applies C's row
     * (the pull reads the hub's current rows) and must also take C's time into its clock: an edit B makes after
     * seeing C's row comes after it, and must win against it, even though C's clock runs an hour ahead.
     */
    @Test
    void aPushBetweenTheProbeAndThePullIsDatedByTheRowItBrings() throws Exception {
        try (Cluster cluster = Cluster.withSchema(dir, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)",
                "INSERT INTO t VALUES(1, 'one')")) {
            var a = cluster.add(ConflictPolicy.NEWEST_WINS);
            var b = cluster.add(ConflictPolicy.NEWEST_WINS);
            var c = cluster.add(ConflictPolicy.NEWEST_WINS);
            cluster.settle();
            a.exec("UPDATE t SET v = 'a' WHERE id = 1");
            a.sync();
            c.sync();
            c.exec("UPDATE _sm_state SET clock = clock + 3600000", "UPDATE t SET v = 'c' WHERE id = 1");

            HookedStore hooked = new HookedStore(b.mirror().store());
            hooked.afterProbe = () -> assertTrue(c.sync().succeeded());
            Retry retry = new Retry(new Backoff(Duration.ofMillis(20), Duration.ofMillis(200), 3), Clock.SYSTEM);
            Mirror racing = new Mirror("db", hooked, TablePolicies.everyTable(ConflictPolicy.NEWEST_WINS), b.state(), retry, Clock.SYSTEM);
            CycleRecord record = racing.sync();
            assertTrue(record.succeeded(), record.toString());
            assertEquals("c", b.scalar("SELECT v FROM t WHERE id = 1"), "B read C's row");

            b.exec("UPDATE t SET v = 'b, having seen c' WHERE id = 1");
            cluster.settle();
            cluster.assertConverged();
            assertEquals("b, having seen c", Cluster.scalar(cluster.hub, "SELECT v FROM t WHERE id = 1"),
                    "B's edit came after C's and wins");
        }
    }
}

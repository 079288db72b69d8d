package io.sharemirror.share;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sharemirror.store.Cluster;
import io.sharemirror.sync.conflict.ConflictPolicy;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What suspending the application's triggers during a push costs the share (store/TriggerSuspension). Two hubs on one
 * FaultFs mount get the same rows: on one an audit row is derived by the application's trigger (the push drops and
 * re-creates it, which moves the schema cookie), on the other the application writes the audit row itself. Counted per
 * round: the share operations of the push cycle of the desktop that wrote, and of the next cycle of the desktop that
 * pulls (it reads the changed schema again, and compares definitions before it calls it a schema change). The figures
 * are printed for BENCHMARKS.md; the checks are that both hubs end alike and that the triggers are as they were.
 */
class TriggerSuspensionCostTest {

    private static final int ROUNDS = 10;

    @TempDir
    Path dir;

    @Test
    void aPushThatSuspendsTriggersCostsTheShareAFewOperations() throws Exception {
        try (FaultFs share = FaultFs.mount(dir.resolve("backing"), dir.resolve("mnt"))) {
            ShareRounds derived = measure(share, "derived", true);
            ShareRounds written = measure(share, "written", false);
            System.out.printf("trigger suspension, share operations per round (median of %d): push cycle %d with the"
                    + " trigger vs %d without; the other desktop's next cycle %d vs %d%n", ROUNDS, derived.push(),
                    written.push(), derived.pull(), written.pull());
            assertEquals(Cluster.exactDump(share.folder().resolve("derived.db")).get("audit [id, what]"),
                    Cluster.exactDump(share.folder().resolve("written.db")).get("audit [id, what]"));
        }
    }

    private ShareRounds measure(FaultFs share, String name, boolean trigger) throws Exception {
        Path hub = share.folder().resolve(name + ".db");
        Cluster.run(hub, "CREATE TABLE item(id INTEGER PRIMARY KEY, qty INTEGER NOT NULL)",
                "CREATE TABLE audit(id INTEGER PRIMARY KEY, what TEXT NOT NULL)",
                "INSERT INTO item VALUES(1, 0)");
        String audit = "CREATE TRIGGER item_audit AFTER UPDATE ON item BEGIN"
                + " INSERT INTO audit(what) VALUES('qty ' || NEW.qty); END";
        if (trigger) {
            Cluster.run(hub, audit);
        }
        ShareRounds costs;
        try (Cluster cluster = new Cluster(dir.resolve(name), hub)) {
            Cluster.Node a = cluster.add(ConflictPolicy.NEWEST_WINS);
            Cluster.Node b = cluster.add(ConflictPolicy.NEWEST_WINS);
            cluster.settle();
            costs = ShareRounds.measure(share, a, b, ROUNDS, i -> {
                a.exec("UPDATE item SET qty = " + i + " WHERE id = 1");
                if (!trigger) {
                    a.exec("INSERT INTO audit(what) VALUES('qty " + i + "')");
                }
            });
            cluster.assertConverged();
        }
        if (trigger) {
            assertEquals(audit, Cluster.scalar(hub, "SELECT sql FROM sqlite_master WHERE name = 'item_audit'"));
        }
        return costs;
    }
}

package io.sharemirror.share;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sharemirror.store.Cluster;
import io.sharemirror.sync.conflict.ConflictPolicy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What capturing the changed columns of each row costs (issue 13, merge: column), on a table of ten columns: the capture
 * triggers' time per UPDATE on the replica, against the same UPDATEs on a copy without triggers; and the share
 * operations of a push cycle and of the other desktop's pull of one edited row, on a FaultFs share. The figures are
 * printed for BENCHMARKS.md; the checks are that every edit was captured and that the desktops end alike.
 */
class ColumnCaptureCostTest {

    private static final int ROWS = 2_000;
    private static final int ROUNDS = 5;
    private static final int PUSH_ROUNDS = 10;
    private static final String TABLE = "CREATE TABLE wide(id INTEGER PRIMARY KEY, c1 TEXT, c2 TEXT, c3 INTEGER,"
            + " c4 TEXT, c5 REAL, c6 TEXT, c7 INTEGER, c8 TEXT, c9 TEXT)";
    private static final String FILL = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < "
            + ROWS * ROUNDS + ") INSERT INTO wide SELECT i, 'one ' || i, 'two ' || i, i, 'four', i * 1.5, 'six', i,"
            + " 'eight', 'nine' FROM n";

    @TempDir
    Path dir;

    @Test
    void theCaptureTriggersTimePerUpdate() throws Exception {
        Path hub = dir.resolve("hub.db");
        Path plain = dir.resolve("plain.db");
        Cluster.run(hub, TABLE, FILL);
        Cluster.run(plain, "PRAGMA journal_mode = WAL", TABLE, FILL);
        try (Cluster cluster = new Cluster(dir, hub)) {
            Cluster.Node node = cluster.add(ConflictPolicy.NEWEST_WINS);
            node.sync();
            Times captured = time(node.replica());
            Times uncaptured = time(plain);
            System.out.printf("column capture, µs per UPDATE of one column of a 10-column row (median of %d rounds of"
                    + " %d): first edit of a row %.2f captured vs %.2f plain; another column of a pending row %.2f vs"
                    + " %.2f; the same column again %.2f vs %.2f%n", ROUNDS, ROWS, captured.first, uncaptured.first,
                    captured.other, uncaptured.other, captured.same, uncaptured.same);
            assertEquals(String.valueOf(ROWS * ROUNDS), node.scalar("SELECT count(*) FROM _sm_pending"),
                    "every edited row is pending");
        }
    }

    private record Times(double first, double other, double same) {
    }

    /** Each round edits its own rows: one column, then another, then the same one again; one transaction each. */
    private static Times time(Path db) throws Exception {
        List<Double> first = new ArrayList<>();
        List<Double> other = new ArrayList<>();
        List<Double> same = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA synchronous = NORMAL");
            }
            for (int round = 0; round < ROUNDS; round++) {
                int from = round * ROWS + 1;
                first.add(perUpdate(c, "c3", from));
                other.add(perUpdate(c, "c7", from));
                same.add(perUpdate(c, "c7", from));
            }
        }
        return new Times(ShareRounds.median(first), ShareRounds.median(other), ShareRounds.median(same));
    }

    private static double perUpdate(Connection c, String column, int from) throws Exception {
        c.setAutoCommit(false);
        long start = System.nanoTime();
        try (PreparedStatement s = c.prepareStatement("UPDATE wide SET " + column + " = " + column + " + 1"
                + " WHERE id = ?")) {
            for (int id = from; id < from + ROWS; id++) {
                s.setInt(1, id);
                s.executeUpdate();
            }
        }
        c.commit();
        long took = System.nanoTime() - start;
        c.setAutoCommit(true);
        return took / 1000.0 / ROWS;
    }

    @Test
    void aPushAndAPullOfOneEditedRowOnTheShare() throws Exception {
        try (FaultFs share = FaultFs.mount(dir.resolve("backing"), dir.resolve("mnt"))) {
            Path hub = share.folder().resolve("wide.db");
            Cluster.run(hub, TABLE, "INSERT INTO wide VALUES(1, 'a', 'b', 3, 'd', 5.5, 'f', 7, 'h', 'i')");
            try (Cluster cluster = new Cluster(dir.resolve("nodes"), hub)) {
                Cluster.Node a = cluster.add(ConflictPolicy.NEWEST_WINS);
                Cluster.Node b = cluster.add(ConflictPolicy.NEWEST_WINS);
                cluster.settle();
                ShareRounds costs = ShareRounds.measure(share, a, b, PUSH_ROUNDS,
                        i -> a.exec("UPDATE wide SET c" + (1 + i % 9) + " = 'round " + i + "' WHERE id = 1"));
                cluster.assertConverged();
                System.out.printf("column capture, share operations per round (median of %d): push cycle %d, the"
                        + " other desktop's pull %d%n", PUSH_ROUNDS, costs.push(), costs.pull());
            }
        }
    }
}

package io.sharemirror.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sharemirror.Figures;
import io.sharemirror.sync.conflict.ConflictPolicy;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the fault tests start and end with: replicas {@link #a} and {@link #b} of one hub (made with
 * {@link AckedWrites#DDL}), in sync with a few acknowledged writes; at the end they settle, the figures are published
 * with the writes checked and lost, and then nothing may have gone wrong.
 */
public final class TwoReplicas implements AutoCloseable {

    public final Cluster cluster;
    public final Cluster.Node a;
    public final Cluster.Node b;
    public final AckedWrites writes = new AckedWrites();

    private TwoReplicas(Path root, Path hub) {
        cluster = new Cluster(root, hub);
        a = cluster.add(ConflictPolicy.NEWEST_WINS);
        b = cluster.add(ConflictPolicy.NEWEST_WINS);
    }

    /** Two replicas under {@code root} (cache folders cache0 for a, cache1 for b), synced with ten rows from a. */
    public static TwoReplicas of(Path root, Path hub) throws SQLException {
        TwoReplicas replicas = new TwoReplicas(root, hub);
        replicas.writes.insert(replicas.a, 10);
        replicas.cluster.settle();
        return replicas;
    }

    /**
     * Settles both replicas (a failure joins {@code problems}), publishes {@code figures} with the writes checked and
     * lost, then asserts there were no problems, no acknowledged write is missing anywhere, and everything converged.
     */
    public void finish(Figures figures, List<String> problems) throws SQLException {
        try {
            cluster.settle();
        } catch (AssertionError e) {
            problems.add("settling at the end: " + e.getMessage());
        }
        List<String> lostRows = new ArrayList<>();
        int lost = writes.lost(cluster, lostRows);
        figures.writesChecked(writes.count()).writesLost(lost).publish();
        assertEquals(List.of(), problems, String.join("\n", problems));
        assertEquals(List.of(), lostRows, "acknowledged writes missing");
        cluster.assertConverged();
    }

    @Override
    public void close() {
        cluster.close();
    }
}

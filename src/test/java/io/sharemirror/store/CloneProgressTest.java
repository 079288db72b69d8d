package io.sharemirror.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.sync.CloneProgress;
import io.sharemirror.sync.CycleRecord;
import io.sharemirror.sync.conflict.ConflictPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A watched first copy reports its bytes as it goes and its rows at the end, and stops on Cancel leaving nothing. */
class CloneProgressTest {

    @TempDir
    Path dir;

    /** About 24 MB in 20,000 rows: several steps of the copy. */
    private Cluster bigHub() throws Exception {
        return Cluster.withSchema(dir, "CREATE TABLE doc(id INTEGER PRIMARY KEY, body BLOB)",
                "INSERT INTO doc(body) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)"
                        + " SELECT randomblob(1200) FROM n", "CREATE TABLE note(id INTEGER PRIMARY KEY, text TEXT)",
                "INSERT INTO note(text) VALUES('one'), ('two')");
    }

    /** What a watcher heard. */
    private static final class Heard implements CloneProgress {
        final List<long[]> steps = new ArrayList<>();
        final int stopAt;
        long rows = -1;
        int tables = -1;

        Heard(int stopAt) {
            this.stopAt = stopAt;
        }

        @Override
        public boolean copying(long bytesCopied, long bytesTotal) {
            steps.add(new long[] {bytesCopied, bytesTotal});
            return steps.size() != stopAt;
        }

        @Override
        public void copied(long rows, int tables) {
            this.rows = rows;
            this.tables = tables;
        }
    }

    @Test
    void bytesAsTheCopyGoesAndRowsAtTheEnd() throws Exception {
        try (Cluster cluster = bigHub()) {
            var node = cluster.add(ConflictPolicy.NEWEST_WINS);
            Heard heard = new Heard(-1);
            node.store().watchClones(heard);
            assertTrue(node.sync().succeeded());
            assertTrue(heard.steps.size() >= 5, "steps: " + heard.steps.size());
            long total = heard.steps.get(0)[1];
            assertEquals(Files.size(cluster.hub), total, "the total is the hub's size");
            for (int i = 1; i < heard.steps.size(); i++) {
                assertTrue(heard.steps.get(i)[0] > heard.steps.get(i - 1)[0], "the bytes copied grow");
            }
            assertEquals(total, heard.steps.get(heard.steps.size() - 1)[0], "and end at the total");
            assertEquals(20_002, heard.rows);
            assertEquals(2, heard.tables);
            assertEquals(Cluster.dump(cluster.hub), Cluster.dump(node.replica()));
        }
    }

    @Test
    void cancelStopsTheCopyAtOnceAndLeavesNothing() throws Exception {
        try (Cluster cluster = bigHub()) {
            var node = cluster.add(ConflictPolicy.NEWEST_WINS);
            Heard heard = new Heard(2);
            node.store().watchClones(heard);
            CycleRecord record = node.sync();
            assertFalse(record.succeeded());
            assertEquals("the first copy of " + cluster.hub + " was cancelled", record.error());
            assertEquals(2, heard.steps.size(), "no step after the cancelled one");
            assertEquals(-1, heard.rows);
            try (Stream<Path> left = Files.list(node.replica().getParent())) {
                assertEquals(List.of(), left.map(f -> f.getFileName().toString())
                        .filter(f -> f.startsWith("db.db") && !f.equals("db.db.lock")).toList(), "no replica, no part of one");
            }
            assertFalse(Files.exists(Path.of(cluster.hub + "-journal")), "nothing was written to the hub");
            Cluster.run(cluster.hub, "INSERT INTO note(text) VALUES('written right after')"); // no lock left behind
            node.store().watchClones(CloneProgress.NONE);
            assertTrue(node.sync().succeeded(), "the next copy runs");
            assertEquals("3", Cluster.scalar(node.replica(), "SELECT count(*) FROM note"));
        }
    }
}

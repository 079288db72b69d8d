package io.sharemirror.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.sync.CycleRecord;
import io.sharemirror.sync.conflict.ConflictPolicy;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ARCHITECTURE.md#one-sync-cycle, log pruning: old entries go once every recently seen node has them; a node left behind re-clones. */
class LogPruningTest {

    @TempDir
    Path dir;

    private static final String SCHEMA = "CREATE TABLE item(id INTEGER PRIMARY KEY, name TEXT)";

    private static long logRows(Cluster c) throws Exception {
        return Long.parseLong(Cluster.scalar(c.hub, "SELECT count(*) FROM _sm_log"));
    }

    /** Makes every log entry and node sighting look {@code days} older, as if that time had passed. */
    private static void age(Cluster c, int days) throws Exception {
        long ms = days * 86_400_000L;
        c.hubExec("UPDATE _sm_log SET ts = ts - " + ms, "UPDATE _sm_nodes SET last_seen = last_seen - " + ms);
    }

    @Test
    void aNodeSeenRecentlyKeepsTheEntriesItHasNotPulled() throws Exception {
        try (Cluster c = Cluster.withSchema(dir, SCHEMA)) {
            var a = c.add(ConflictPolicy.NEWEST_WINS);
            var b = c.add(ConflictPolicy.NEWEST_WINS);
            c.settle();
            for (int i = 0; i < 20; i++) {
                a.exec("INSERT INTO item(name) VALUES('a" + i + "')");
                assertTrue(a.sync().succeeded());
                if (i == 9) { // b pulls the first half, and its push tells the hub how far it got
                    b.exec("INSERT INTO item(name) VALUES('b was here')");
                    assertTrue(b.sync().succeeded());
                }
            }
            age(c, 8);
            c.hubExec("UPDATE _sm_nodes SET last_seen = " + System.currentTimeMillis()); // both seen just now
            long bSeen = Long.parseLong(Cluster.scalar(c.hub, "SELECT min(last_seq) FROM _sm_nodes"));
            long before = logRows(c);
            var a2 = c.add(ConflictPolicy.NEWEST_WINS); // a fresh agent prunes in its first push
            a2.exec("INSERT INTO item(name) VALUES('trigger a push')");
            assertTrue(a2.sync().succeeded());
            assertTrue(bSeen >= 10, "b's position is recorded: " + bSeen);
            assertEquals(Long.toString(bSeen + 1), Cluster.scalar(c.hub, "SELECT min(seq) FROM _sm_log"),
                    "exactly what b had pulled was pruned, nothing after it");
            assertEquals(before + 1 - bSeen, logRows(c));
            c.settle();
            assertEquals(Cluster.dump(c.hub), Cluster.dump(b.replica()));
        }
    }

    @Test
    void aNodeLeftBehindPushesItsWritesThenReclones() throws Exception {
        try (Cluster c = Cluster.withSchema(dir, SCHEMA)) {
            var a = c.add(ConflictPolicy.NEWEST_WINS);
            var b = c.add(ConflictPolicy.NEWEST_WINS);
            c.settle();
            b.exec("INSERT INTO item(name) VALUES('queued while away')"); // b goes away with a write queued
            for (int i = 0; i < 20; i++) {
                a.exec("INSERT INTO item(name) VALUES('a" + i + "')");
                assertTrue(a.sync().succeeded());
            }
            age(c, 40); // b has not been seen for 40 days: it no longer holds the log back
            var a2 = c.add(ConflictPolicy.NEWEST_WINS);
            a2.exec("UPDATE item SET name = 'edited after the prune' WHERE name = 'a3'");
            assertTrue(a2.sync().succeeded());
            long oldest = Long.parseLong(Cluster.scalar(c.hub, "SELECT min(seq) FROM _sm_log"));
            long bCursor = Long.parseLong(Cluster.scalar(b.replica(), "SELECT cursor FROM _sm_state"));
            assertTrue(oldest > bCursor + 1, "the log was pruned past b: oldest " + oldest + ", b at " + bCursor);

            CycleRecord r = b.sync();
            assertEquals(CycleRecord.Outcome.SYNCED, r.outcome(), String.valueOf(r.error()));
            assertEquals(1, r.pushed(), "b's queued write went to the hub before the re-clone");
            assertEquals("1", Cluster.scalar(c.hub, "SELECT count(*) FROM item WHERE name = 'queued while away'"));
            assertEquals("1", Cluster.scalar(b.replica(), "SELECT count(*) FROM item WHERE name = 'edited after the prune'"));
            assertEquals(Cluster.dump(c.hub), Cluster.dump(b.replica()));
            assertEquals(CycleRecord.Outcome.IDLE, b.sync().outcome(), "the fresh clone is up to date");
        }
    }

    /**
     * A renamed table's rows are logged again stamped 0, so that any other change wins over them: they are as young as
     * the entries around them, and a desktop that has never pushed (so the hub does not know how far it pulled) still
     * gets them from the log, with the week every entry is kept. Before, they counted as 56 years old: the next push's
     * pruning took them, and that desktop had to make its replica afresh.
     */
    @Test
    void entriesStampedZeroAreKeptAsLongAsTheEntriesAroundThem() throws Exception {
        try (Cluster c = Cluster.withSchema(dir, SCHEMA, "INSERT INTO item VALUES(1, 'one'), (2, 'two')")) {
            var a = c.add(ConflictPolicy.NEWEST_WINS);
            var reader = c.add(ConflictPolicy.NEWEST_WINS);
            c.settle();
            a.exec("ALTER TABLE item RENAME TO goods");
            assertTrue(a.sync().succeeded());
            assertEquals("2", Cluster.scalar(c.hub, "SELECT count(*) FROM _sm_log WHERE ts = 0"), "the rows relogged");
            var a2 = c.add(ConflictPolicy.NEWEST_WINS); // a fresh agent prunes in its first push
            a2.exec("INSERT INTO goods VALUES(3, 'three')");
            assertTrue(a2.sync().succeeded());

            assertEquals("1", Cluster.scalar(c.hub, "SELECT min(seq) FROM _sm_log"), "nothing pruned");
            assertEquals(CycleRecord.Outcome.SYNCED, reader.sync().outcome());
            assertEquals("0", Cluster.scalar(reader.replica(), "SELECT count(*) FROM sqlite_master WHERE name = 'item'"));
            assertEquals(Cluster.dump(c.hub), Cluster.dump(reader.replica()));
            assertEquals(0, reader.conflicts().size(), "nothing set aside by a re-clone");
        }
    }
}

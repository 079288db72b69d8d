package io.sharemirror.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.sync.Backoff;
import io.sharemirror.sync.Clock;
import io.sharemirror.sync.CycleRecord;
import io.sharemirror.sync.CycleRecord.Outcome;
import io.sharemirror.sync.HubMovedException;
import io.sharemirror.sync.Mirror;
import io.sharemirror.sync.Retry;
import io.sharemirror.sync.conflict.ConflictPolicy;
import io.sharemirror.sync.conflict.TablePolicies;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file hub marked as moved ({@link MovedMark}): programs writing it directly are refused with the new hub's name and
 * write nothing, and an agent's cycle stops before it pushes and hands the move to whoever follows it.
 */
class MovedMarkTest {

    private static final String URL = "postgresql://team@db.example.com:5432/orders";

    @TempDir
    Path dir;

    private Cluster cluster;

    @BeforeEach
    void twoDesktopsOnAMarkedHub() throws Exception {
        cluster = Cluster.twoDesktops(dir, TablePolicies.everyTable(ConflictPolicy.NEWEST_WINS),
                "CREATE TABLE item(id INTEGER PRIMARY KEY, name TEXT)", "CREATE TABLE note(body TEXT)",
                "INSERT INTO item VALUES (1, 'one'), (2, 'two')", "INSERT INTO note VALUES ('keyless')");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + cluster.hub);
             Statement s = c.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            MovedMark.install(c, URL, 1_000);
            s.execute("COMMIT");
        }
    }

    @Test
    void theSqlite3ShellIsRefusedWithTheNewHubsNameAndWritesNothing() throws Exception {
        Map<String, java.util.List<String>> before = Cluster.exactDump(cluster.hub);
        for (String write : List.of("INSERT INTO item VALUES (3, 'three');", "UPDATE item SET name = 'x' WHERE id = 1;",
                "DELETE FROM item;", "INSERT INTO note VALUES ('more');", "DELETE FROM note;",
                "INSERT INTO _sm_log(tbl, pk, op, ts) VALUES ('item', '[9]', 'I', 1);")) {
            OtherPrograms.Run run = OtherPrograms.sqlite3(cluster.hub, write);
            assertNotEquals(0, run.exitCode(), write);
            assertTrue(run.output().contains(MovedMark.refusal(URL)), write + ": " + run.output());
        }
        assertEquals(before, Cluster.exactDump(cluster.hub), "nothing was written");
        assertEquals("2", Cluster.scalar(cluster.hub, "SELECT count(*) FROM item"), "reads still work");
    }

    @Test
    void pythonIsRefusedWithTheNewHubsNameAndWritesNothing() throws Exception {
        Map<String, java.util.List<String>> before = Cluster.exactDump(cluster.hub);
        OtherPrograms.Run run = OtherPrograms.python("""
                import sqlite3, sys
                db = sqlite3.connect(sys.argv[1])
                for sql in ("INSERT INTO item VALUES (3, 'three')", "UPDATE item SET name = 'x'", "DELETE FROM note"):
                    try:
                        with db:
                            db.execute(sql)
                        print("WRITTEN", sql)
                    except sqlite3.DatabaseError as e:
                        print(type(e).__name__, e)
                """, cluster.hub.toString());
        assertEquals(0, run.exitCode(), run.output());
        List<String> lines = run.output().lines().toList();
        assertEquals(3, lines.size(), run.output());
        lines.forEach(line -> assertEquals("IntegrityError " + MovedMark.refusal(URL), line));
        assertEquals(before, Cluster.exactDump(cluster.hub), "nothing was written");
    }

    @Test
    void anAgentsCycleStopsBeforeItPushesAndKeepsItsWritesQueued() throws Exception {
        Cluster.Node a = cluster.nodes.get(0);
        a.exec("INSERT INTO item VALUES (3, 'made on a')");
        String logBefore = Cluster.scalar(cluster.hub, "SELECT count(*) || '/' || max(seq) FROM _sm_log");

        CycleRecord record = a.sync();

        assertEquals(Outcome.FAILED, record.outcome(), "nobody follows this mirror: " + record);
        assertEquals("moved to PostgreSQL db.example.com:5432/orders", record.error());
        assertEquals(1, record.pending(), "the write stays queued for the new hub");
        assertEquals("2", Cluster.scalar(cluster.hub, "SELECT count(*) FROM item"));
        assertEquals(logBefore, Cluster.scalar(cluster.hub, "SELECT count(*) || '/' || max(seq) FROM _sm_log"));
    }

    /** A new desktop's first copy, and a read-only mirror's copy, are snapshots: the mark in one is followed too. */
    @Test
    void aFirstCopyAndAReadOnlyMirrorFindTheMarkInTheirSnapshot() {
        for (Cluster.Node node : List.of(cluster.add(ConflictPolicy.NEWEST_WINS), cluster.addReadOnly())) {
            CycleRecord record = node.sync();
            assertEquals(Outcome.FAILED, record.outcome(), "nobody follows this mirror: " + record);
            assertEquals("moved to PostgreSQL db.example.com:5432/orders", record.error());
        }
    }

    @Test
    void aFollowedMoveEndsTheCycleQuietlyAndIsHandedOverOnce() throws Exception {
        Cluster.Node b = cluster.nodes.get(1);
        b.exec("UPDATE item SET name = 'changed on b' WHERE id = 2");
        List<HubMovedException> followed = new ArrayList<>();
        Retry retry = new Retry(new Backoff(Duration.ofMillis(20), Duration.ofMillis(200), 3), Clock.SYSTEM);
        Mirror following = new Mirror("db", b.store(), TablePolicies.everyTable(ConflictPolicy.NEWEST_WINS),
                b.state(), retry, Clock.SYSTEM, (name, moved) -> followed.add(moved));

        CycleRecord record = following.sync();

        assertEquals(Outcome.IDLE, record.outcome(), record.toString());
        assertEquals(1, followed.size());
        assertEquals(URL, followed.get(0).url());
        assertEquals(1, b.store().replica().pendingCount(), "the write waits for the new hub");
        assertEquals("two", Cluster.scalar(cluster.hub, "SELECT name FROM item WHERE id = 2"));
    }
}

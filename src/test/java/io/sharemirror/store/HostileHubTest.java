package io.sharemirror.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.Figures;
import io.sharemirror.sync.CycleRecord;
import io.sharemirror.sync.conflict.ConflictPolicy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hub crafted to make the agent run someone else's SQL on the replica: its own triggers (one named like a capture
 * trigger), look-alikes of the replica's state tables, a view and an index named {@code _sm_*}, a pre-seeded change
 * log with nonsense in it, a schema entry carrying a second statement, a table with a generated column. None of it
 * may reach the replica or stop the sync: a replica's only triggers are the capture triggers the agent installs and the
 * application's own triggers that name nothing of ShareMirror's, and those never fire when the agent applies pulled rows.
 */
class HostileHubTest {

    @TempDir
    Path dir;

    /** Fires only where a replica's state table has a row: in a replica, if the clone let it in. */
    private static final String ONLY_IN_A_REPLICA = "WHEN (SELECT count(*) FROM _sm_state) > 0";

    /**
     * Log entries no agent or trigger wrote: keys that are not JSON, spelled with spaces, of the wrong length or type
     * (each of which SQLite's affinity would otherwise let name row 1 under a key no pending row has), of no table.
     */
    private static final String CRAFTED_LOG = "INSERT INTO _sm_log(tbl, pk, op, origin, ts) VALUES"
            + "('t', 'not json', 'U', NULL, 1), ('t', '[1, 2, 3]', 'U', 'someone', 2), ('t', '{\"a\": 1}', 'I', NULL, 3),"
            + " ('nope', '[1]', 'I', NULL, 4), ('t', '[null]', 'D', NULL, 5), ('t', '[\"1; DROP TABLE t\"]', 'U', NULL, 6),"
            + " ('fired', '[1]', 'U', '', 7), ('sqlite_master', '[1]', 'U', NULL, 8), ('t', '[]', 'U', NULL, 9),"
            + " ('t', '[\"1\"]', 'U', NULL, 10), ('t', '[1,2]', 'U', NULL, 11), ('t', '[1.0]', 'U', NULL, 12),"
            + " ('t', '[1]', 'U', NULL, 9000000000000000)";

    /** The hub's triggers that name ShareMirror's objects and its _sm_* look-alikes, below. */
    private static final int CRAFTED_OBJECTS = 9;

    private static final String[] HOSTILE = {
        "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT, g TEXT GENERATED ALWAYS AS (upper(v)) VIRTUAL)",
        "CREATE TABLE fired(what TEXT)",
        // The application's own: copied into replicas, runs for each write once, where it is made.
        "CREATE TABLE seen(what TEXT)",
        "CREATE TRIGGER seen_update AFTER UPDATE OF v ON t BEGIN INSERT INTO seen VALUES('update ' || NEW.id); END",
        "CREATE INDEX t_v ON t(v)",
        "CREATE VIEW report AS SELECT id, v FROM t",
        // Look-alikes of the replica's own tables: no key, so capture into it would pile up; a row that names a node.
        "CREATE TABLE _sm_pending(tbl, pk, ts, ver, ins)",
        "CREATE TABLE _sm_state(applying, clock, cursor, node, schema_version, blocked, replacing)",
        // A renumbering no agent made: an application that reads it would change ids of its own.
        "CREATE TABLE _sm_renumbered(tbl, old_pk, new_pk, at)",
        "INSERT INTO _sm_renumbered VALUES('t', 1, 2, 0)",
        "CREATE VIEW _sm_view AS SELECT 1",
        "CREATE INDEX _sm_index ON t(v)",
        "CREATE TRIGGER wipe_pending AFTER INSERT ON t " + ONLY_IN_A_REPLICA
                + " BEGIN DELETE FROM _sm_pending; INSERT INTO fired VALUES('insert ' || NEW.id); END",
        "CREATE TRIGGER rewrite AFTER UPDATE ON t " + ONLY_IN_A_REPLICA
                + " BEGIN UPDATE _sm_state SET node = 'hijacked'; INSERT INTO fired VALUES('update ' || NEW.id); END",
        // Named like the capture triggers, which CREATE TRIGGER IF NOT EXISTS would then never install.
        "CREATE TRIGGER _sm_ci_t AFTER INSERT ON t BEGIN SELECT 1; END",
        "CREATE TRIGGER _sm_cb_t BEFORE INSERT ON t BEGIN SELECT 1; END",
        // A change log as the agent makes it, pre-seeded with entries no agent wrote.
        "CREATE TABLE _sm_log(seq INTEGER PRIMARY KEY AUTOINCREMENT, tbl TEXT NOT NULL, pk TEXT NOT NULL,"
                + " op TEXT NOT NULL, origin TEXT, ts INTEGER NOT NULL)",
        CRAFTED_LOG,
        "INSERT INTO t(id, v) VALUES(1, 'one'), (2, 'two')",
    };

    @Test
    void aCraftedHubCannotRunItsOwnSqlOnTheReplica() throws Exception {
        try (Cluster cluster = Cluster.withSchema(dir, HOSTILE)) {
            var a = cluster.add(ConflictPolicy.NEWEST_WINS);
            var b = cluster.add(ConflictPolicy.NEWEST_WINS);
            assertSynced(a.sync());
            assertSynced(b.sync());
            for (var node : cluster.nodes) {
                Set<String> expected = captureTriggers("t", "fired", "seen");
                expected.add("seen_update");
                assertEquals(expected, names(node.replica(), "trigger"),
                        "the triggers in a replica: the agent's, and the application's that name none of its objects");
                assertEquals(Set.of("_sm_agreed", "_sm_ahead", "_sm_pending", "_sm_pulled", "_sm_renumbered",
                                "_sm_state", "_sm_uncaptured", "_sm_waiting"),
                        names(node.replica(), "table", "\\_sm\\_%"));
                assertEquals(Set.of(), names(node.replica(), "view", "\\_sm\\_%"));
                assertEquals(Set.of("_sm_keep_fired", "_sm_keep_seen"), names(node.replica(), "index", "\\_sm\\_%"),
                        "only the agent's own: the empty index that keeps the rowids of a table without a key");
                assertEquals(Set.of("report"), names(node.replica(), "view"), "the hub's own views stay");
                assertEquals("1", node.scalar("SELECT count(*) FROM sqlite_master WHERE name = 't_v'"),
                        "the hub's own indexes stay");
                assertEquals("1", node.scalar("SELECT count(*) FROM _sm_state"));
                assertEquals("0", node.scalar("SELECT count(*) FROM _sm_renumbered"), "the agent's own, empty");
                assertEquals("tbl,pk", node.scalar("SELECT group_concat(name) FROM (SELECT name FROM"
                        + " pragma_table_info('_sm_pending') WHERE pk > 0 ORDER BY pk)"), "the agent's own pending table");
            }

            a.exec("INSERT INTO t(id, v) VALUES(10, 'written on a')", "UPDATE t SET v = 'one on a' WHERE id = 1");
            assertEquals("3", a.scalar("SELECT count(*) FROM _sm_pending"), "both writes and the row derived are captured");
            b.exec("INSERT INTO t(id, v) VALUES(20, 'written on b')");
            cluster.hubExec("INSERT INTO t(id, v) VALUES(30, 'direct on the hub')", "UPDATE t SET v = 'two direct' WHERE id = 2",
                    CRAFTED_LOG);
            // Pulls apply inserts and updates of t on each replica: the hub's triggers would fire there now.
            cluster.settle();
            List<String> written = List.of("one on a", "written on a", "written on b", "direct on the hub", "two direct");
            long lost = written.stream().filter(v -> !onHub(cluster, v)).count();
            // Faults: the crafted triggers and look-alikes, and each crafted log entry (pre-seeded, and logged later).
            Figures.of("HostileHubTest").runs(1).faults(CRAFTED_OBJECTS + 2 * CRAFTED_LOG.split("\\), \\(").length)
                    .writesChecked(written.size()).writesLost(lost).publish();
            assertEquals(0, lost, "writes lost");
            cluster.assertConverged();
            for (var node : cluster.nodes) {
                assertEquals("0", node.scalar("SELECT count(*) FROM fired"), "a hub trigger fired in " + node.replica());
                assertEquals("update 1|update 2", node.scalar("SELECT group_concat(what, '|') FROM (SELECT what"
                        + " FROM seen ORDER BY what)"), "each update seen once, where it was made");
                assertEquals("ONE ON A|TWO DIRECT|WRITTEN ON A|WRITTEN ON B|DIRECT ON THE HUB",
                        node.scalar("SELECT group_concat(g, '|') FROM (SELECT g FROM t ORDER BY id)"));
                assertTrue(!"hijacked".equals(node.scalar("SELECT node FROM _sm_state")));
            }
            assertEquals("0", Cluster.scalar(cluster.hub, "SELECT count(*) FROM fired"));
            assertEquals("2", Cluster.scalar(cluster.hub, "SELECT count(*) FROM seen"));
            // The pre-seeded entry for row 1 claimed a time far ahead; the clone's clock starts after it, so a's edit is
            // newer than the crafted entry logged later with that time, and the hub's version went to the archive.
            assertTrue(Archive.contains(cluster, "t", "[1]", "one on a"), () -> Archive.all(cluster).toString());
        }
    }

    /** Every connection the agent opens refuses functions that are not marked harmless in triggers and views. */
    @Test
    void theAgentsConnectionsDoNotTrustTheSchema() throws Exception {
        try (Cluster cluster = Cluster.withSchema(dir, "CREATE TABLE t(id INTEGER PRIMARY KEY)")) {
            var a = cluster.add(ConflictPolicy.NEWEST_WINS);
            assertSynced(a.sync());
            SqliteMirrorStore store = a.store();
            SqliteReplica replica = (SqliteReplica) store.replica();
            SqliteHub hub = (SqliteHub) store.hub();
            assertEquals("0", SingleValue.of(replica.rows().connection(), "PRAGMA trusted_schema"));
            assertEquals("0", SingleValue.of(hub.rows().connection(), "PRAGMA trusted_schema"));
            try (Connection reader = replica.readers().borrow()) {
                assertEquals("0", SingleValue.of(reader, "PRAGMA trusted_schema"));
            }
        }
    }

    /**
     * A table added on the hub is created in the replica from the hub's own CREATE TABLE text. Made with
     * writable_schema (here by the sqlite3 shell, whose SQLite loads such a schema), that text can carry a second
     * statement. The SQLite the agent uses refuses the whole schema as malformed: the hub is reported damaged, the
     * replica keeps what it had, and the sync resumes once the hub's schema is repaired.
     */
    @Test
    void aSecondStatementSmuggledIntoATablesSchemaIsNeverRun() throws Exception {
        try (Cluster cluster = Cluster.withSchema(dir, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)",
                "INSERT INTO t VALUES(1, 'keep me')")) {
            var a = cluster.add(ConflictPolicy.NEWEST_WINS);
            assertSynced(a.sync());
            a.exec("INSERT INTO t VALUES(2, 'pending on a')");
            String craft = "CREATE TABLE later(id INTEGER PRIMARY KEY, v TEXT); INSERT INTO later VALUES(1, 'later');"
                    + " PRAGMA writable_schema = ON;"
                    + " UPDATE sqlite_master SET sql = sql || '; DROP TABLE t' WHERE name = 'later';";
            assertEquals(0, OtherPrograms.sqlite3(cluster.hub, craft).exitCode());
            CycleRecord refused = a.sync();
            assertEquals(CycleRecord.Outcome.FAILED, refused.outcome(), refused::toString);
            assertTrue(refused.error().contains("malformed database schema (later)"), refused::error);
            assertTrue(refused.hint().contains("damaged"), refused::hint);
            assertEquals("keep me|pending on a", a.scalar("SELECT group_concat(v, '|') FROM t"));
            assertEquals("0", a.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'later'"));
            assertEquals("1", a.scalar("SELECT count(*) FROM _sm_pending"), "the local write waits");

            assertEquals(0, OtherPrograms.sqlite3(cluster.hub, "PRAGMA writable_schema = ON; UPDATE sqlite_master"
                    + " SET sql = replace(sql, '; DROP TABLE t', '') WHERE name = 'later';").exitCode());
            assertSynced(a.sync());
            assertEquals("later", a.scalar("SELECT v FROM later"));
            assertEquals("pending on a", Cluster.scalar(cluster.hub, "SELECT v FROM t WHERE id = 2"));
            cluster.assertConverged();
        }
    }

    private static boolean onHub(Cluster cluster, String value) {
        try {
            return "1".equals(Cluster.scalar(cluster.hub, "SELECT count(*) FROM t WHERE v = '" + value + "'"));
        } catch (SQLException e) {
            return false;
        }
    }

    private static void assertSynced(CycleRecord r) {
        assertTrue(r.succeeded(), r::toString);
    }

    /**
     * The capture triggers ShareMirror installs for these tables (ReplicaCapture.triggers), each with one column
     * besides its key (o0: that column's BEFORE UPDATE OF).
     */
    private static Set<String> captureTriggers(String... tables) {
        Set<String> names = new TreeSet<>();
        for (String t : tables) {
            for (String kind : List.of("i", "u", "k", "d", "b", "o0")) {
                names.add("_sm_c" + kind + "_" + t);
            }
        }
        return names;
    }

    private static Set<String> names(Path db, String type) throws SQLException {
        return names(db, type, "%");
    }

    private static Set<String> names(Path db, String type, String like) throws SQLException {
        List<String> found = new ArrayList<>();
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db)) {
            found.addAll(Instrumentation.names(c, type, like));
        }
        return new TreeSet<>(found);
    }
}

package io.sharemirror.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.config.ConfigLoader;
import io.sharemirror.paths.PostgresAddress;
import io.sharemirror.share.PostgresServer;
import io.sharemirror.store.Cluster;
import io.sharemirror.store.HubCopy;
import io.sharemirror.store.OtherPrograms;
import io.sharemirror.store.PostgresHub;
import io.sharemirror.store.pg.PgHubCopy;
import io.sharemirror.sync.CycleRecord;
import io.sharemirror.sync.conflict.ConflictPolicy;
import io.sharemirror.sync.conflict.TablePolicies;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code move-hub} against a real PostgreSQL server: the file's write lock is held through the copy, the file is
 * marked only once the copy is committed and checked, and this computer's config names the new hub; a copy that fails
 * leaves the file the hub, writable and unmarked.
 */
class MoveHubTest {

    @RegisterExtension
    static final PostgresServer.PerClass postgres = new PostgresServer.PerClass();

    @TempDir
    Path dir;

    /** Each move goes into an empty database, as a team's would. */
    @BeforeEach
    void emptyDatabase() throws SQLException {
        try (Connection pg = postgres.server().connect(); var s = pg.createStatement()) {
            s.execute("DROP SCHEMA public CASCADE");
            s.execute("CREATE SCHEMA public");
        }
    }

    private String url() {
        return "postgresql://" + postgres.server().user() + "@127.0.0.1:" + postgres.server().port() + "/" + postgres.server().database();
    }

    /** The test server's copy, with its password; {@code during} runs while the copy holds the file. */
    private static Function<PostgresAddress, HubCopy> copies(Consumer<Path> during, Path hub) {
        return to -> {
            try {
                HubCopy pg = new PgHubCopy(postgres.server().connect(), to.describe());
                return new HubCopy() {
                    @Override
                    public Report copy(Connection file, Consumer<String> progress) throws SQLException {
                        during.accept(hub);
                        return pg.copy(file, progress);
                    }

                    @Override
                    public Report verify(Connection file, Consumer<String> progress) throws SQLException {
                        return pg.verify(file, progress);
                    }

                    @Override
                    public void commit() {
                        pg.commit();
                    }

                    @Override
                    public void close() {
                        pg.close();
                    }
                };
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    private record Run(ExitCode code, String out) {
    }

    private Run move(Path config, Function<PostgresAddress, HubCopy> copies) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CommandLine cl = CommandLine.parse(new String[] {"move-hub", "orders", "--to", url(), "--yes"});
        ExitCode code = MoveHubVerb.run(ConfigLoader.load(config), cl, new PrintStream(out, true,
                StandardCharsets.UTF_8), copies);
        return new Run(code, out.toString(StandardCharsets.UTF_8));
    }

    private Path config(Path hub) throws Exception {
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, "# ours\ndatabase:\n  cache_directory: cache\ndatabases:\n  - name: orders   # shop\n"
                + "    path: " + hub + "\n");
        return config;
    }

    /**
     * Two desktops in sync; the second has a write it has not pushed when the hub moves, and tries to push it while
     * the file is being copied. Every row and log entry is on
     * the new hub under the same numbers, the second desktop's write is still queued for it and its cursor means the
     * same there, and the old file refuses a direct writer.
     */
    @Test
    void theFileIsHeldThroughTheCopyThenMarkedAndTheConfigNamesTheNewHub() throws Exception {
        Cluster cluster = Cluster.twoDesktops(dir, TablePolicies.everyTable(ConflictPolicy.NEWEST_WINS),
                "CREATE TABLE item(id INTEGER PRIMARY KEY, name TEXT, price REAL)", "CREATE INDEX item_name ON"
                + " item(name)");
        Cluster.Node a = cluster.nodes.get(0);
        Cluster.Node b = cluster.nodes.get(1);
        a.exec("INSERT INTO item VALUES (1, 'a', 1.5), (2, 'b', 2), (3, 'c', NULL)");
        Cluster.assertSynced(a.sync());
        cluster.hubExec("UPDATE item SET name = 'direct' WHERE id = 2");
        b.exec("INSERT INTO item VALUES (4, 'pending on b', 4.25)");
        Path config = config(cluster.hub);
        String entries = Cluster.scalar(cluster.hub, "SELECT count(*) FROM _sm_log");
        String head = Cluster.scalar(cluster.hub, "SELECT max(seq) FROM _sm_log");

        AtomicReference<CompletableFuture<CycleRecord>> pushDuring = new AtomicReference<>();
        Run run = move(config, copies(hub -> {
            pushDuring.set(CompletableFuture.supplyAsync(b::sync)); // meets the lock, retries, then finds the mark
            try {
                OtherPrograms.Run writer = OtherPrograms.sqlite3(hub,
                        ".timeout 200\nINSERT INTO item VALUES (9, 'x', 0);");
                assertNotEquals(0, writer.exitCode());
                assertTrue(writer.output().contains("database is locked"), writer.output());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, cluster.hub));

        assertEquals(ExitCode.OK, run.code(), run.out());
        assertTrue(run.out().contains("orders: moved to PostgreSQL 127.0.0.1:" + postgres.server().port() + "/"
                + postgres.server().database() + ": 1 tables, 3 rows checked, " + entries + " log entries (numbers up to " + head
                + " kept)"), run.out());
        assertEquals(url(), Cluster.scalar(cluster.hub, "SELECT url FROM _sm_moved"));
        assertEquals(url(), ConfigLoader.load(config).database("orders").orElseThrow().path());
        assertTrue(Files.readString(config).startsWith("# ours\n"), "the user's comments stay");
        try (Connection pg = postgres.server().connect(); var s = pg.createStatement();
             var r = s.executeQuery("SELECT (SELECT count(*) FROM _sm_log), (SELECT max(seq) FROM _sm_log),"
                     + " (SELECT string_agg(id || ':' || name, ',' ORDER BY id) FROM item WHERE id < 3)")) {
            r.next();
            assertEquals(List.of(entries, head, "1:a,2:direct"), List.of(r.getString(1), r.getString(2),
                    r.getString(3)));
        }

        CycleRecord during = pushDuring.get().get(30, TimeUnit.SECONDS);
        assertEquals(CycleRecord.Outcome.FAILED, during.outcome(), "b's mirror follows nobody here: " + during);
        assertEquals("moved to PostgreSQL 127.0.0.1:" + postgres.server().port() + "/" + postgres.server().database(), during.error());
        assertEquals(1, b.store().replica().pendingCount(), "b's write waits for the new hub");
        assertTrue(b.store().replica().cursor() <= Long.parseLong(head), "b's cursor means the same on the new hub");
        OtherPrograms.Run direct = OtherPrograms.sqlite3(cluster.hub, "INSERT INTO item VALUES (5, 'late', 0);");
        assertTrue(direct.output().contains("this database moved to " + url() + ": connect there"), direct.output());
        cluster.close();

        // Both desktops as their agents open them after following: the same replicas, cursors and queues, on the new
        // hub. b's queued write lands there and reaches a; nothing else moves.
        try (Cluster followed = PostgresHub.desktops(postgres.server(), dir)) {
            Cluster.Node a2 = followed.add(ConflictPolicy.NEWEST_WINS);
            Cluster.Node b2 = followed.add(ConflictPolicy.NEWEST_WINS);
            followed.settle();
            followed.assertConverged();
            assertEquals("1:a,2:direct,3:c,4:pending on b", a2.scalar("SELECT group_concat(id || ':' || name, ',')"
                    + " FROM (SELECT * FROM item ORDER BY id)"));
            assertEquals(0, b2.store().replica().pendingCount());
            assertTrue(a2.conflicts().isEmpty() && b2.conflicts().isEmpty(), "nothing archived");
        }
    }

    @Test
    void aCopyThatFailsLeavesTheFileTheHubUnmarkedAndWritable() throws Exception {
        // A key PostgreSQL cannot compare as SQLite does (phase 1): the copy is refused after some tables went in.
        Cluster cluster = Cluster.withSchema(dir, "CREATE TABLE item(id INTEGER PRIMARY KEY, name TEXT)",
                "INSERT INTO item VALUES (1, 'a')", "CREATE TABLE reading(at REAL PRIMARY KEY)");
        Path config = config(cluster.hub);

        Run run = move(config, copies(hub -> { }, cluster.hub));

        assertEquals(ExitCode.FAILED, run.code(), run.out());
        try (Connection pg = postgres.server().connect(); var s = pg.createStatement();
             var r = s.executeQuery("SELECT count(*) FROM pg_tables WHERE tablename = 'item'")) {
            r.next();
            assertEquals(0, r.getInt(1), "nothing of the copy was committed");
        }
        assertEquals("0", Cluster.scalar(cluster.hub, "SELECT count(*) FROM sqlite_master WHERE name = '_sm_moved'"));
        cluster.hubExec("INSERT INTO item VALUES (2, 'b')");
        assertEquals(cluster.hub.toString(), ConfigLoader.load(config).database("orders").orElseThrow().path());
    }
}

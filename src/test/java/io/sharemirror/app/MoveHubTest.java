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
import io.sharemirror.store.pg.PgHubCopy;
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
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code move-hub} against a real PostgreSQL server: the file's write lock is held through the copy, the file is
 * marked only once the copy is committed and checked, and this computer's config names the new hub; a copy that fails
 * leaves the file the hub, writable and unmarked.
 */
class MoveHubTest {

    private static PostgresServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        server = PostgresServer.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private String url() {
        return "postgresql://" + server.user() + "@127.0.0.1:" + server.port() + "/" + server.database();
    }

    /** The test server's copy, with its password; {@code during} runs while the copy holds the file. */
    private static Function<PostgresAddress, HubCopy> copies(Consumer<Path> during, Path hub) {
        return to -> {
            try {
                HubCopy pg = new PgHubCopy(server.connect(), to.describe());
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
     * A hub whose desktops logged changes, then whose only table was dropped by hand: its log is all there is to copy
     * until the tables' copy is merged (PgHubCopy).
     */
    @Test
    void theFileIsHeldThroughTheCopyThenMarkedAndTheConfigNamesTheNewHub() throws Exception {
        Cluster cluster = Cluster.twoDesktops(dir, TablePolicies.everyTable(ConflictPolicy.NEWEST_WINS),
                "CREATE TABLE item(id INTEGER PRIMARY KEY, name TEXT)");
        cluster.nodes.get(0).exec("INSERT INTO item VALUES (1, 'a'), (2, 'b')");
        Cluster.assertSynced(cluster.nodes.get(0).sync());
        cluster.close();
        cluster.hubExec("DROP TABLE item");
        Path config = config(cluster.hub);
        String entries = Cluster.scalar(cluster.hub, "SELECT count(*) FROM _sm_log");
        String head = Cluster.scalar(cluster.hub, "SELECT max(seq) FROM _sm_log");

        Run run = move(config, copies(hub -> {
            try {
                OtherPrograms.Run writer = OtherPrograms.sqlite3(hub, ".timeout 200\nCREATE TABLE late(a);");
                assertNotEquals(0, writer.exitCode());
                assertTrue(writer.output().contains("database is locked"), writer.output());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, cluster.hub));

        assertEquals(ExitCode.OK, run.code(), run.out());
        assertTrue(run.out().contains("orders: moved to PostgreSQL 127.0.0.1:" + server.port() + "/"
                + server.database() + ": 0 tables, 0 rows checked, " + entries + " log entries (numbers up to " + head
                + " kept)"), run.out());
        assertEquals(url(), Cluster.scalar(cluster.hub, "SELECT url FROM _sm_moved"));
        assertEquals(url(), ConfigLoader.load(config).database("orders").orElseThrow().path());
        assertTrue(Files.readString(config).startsWith("# ours\n"), "the user's comments stay");
        try (Connection pg = server.connect(); var s = pg.createStatement();
             var r = s.executeQuery("SELECT count(*), max(seq) FROM _sm_log")) {
            r.next();
            assertEquals(List.of(entries, head), List.of(r.getString(1), r.getString(2)));
        }
    }

    @Test
    void aCopyThatFailsLeavesTheFileTheHubUnmarkedAndWritable() throws Exception {
        Cluster cluster = Cluster.withSchema(dir, "CREATE TABLE item(id INTEGER PRIMARY KEY, name TEXT)",
                "INSERT INTO item VALUES (1, 'a')");
        Path config = config(cluster.hub);

        Run run = move(config, copies(hub -> { }, cluster.hub));

        assertEquals(ExitCode.FAILED, run.code(), run.out());
        assertEquals("0", Cluster.scalar(cluster.hub, "SELECT count(*) FROM sqlite_master WHERE name = '_sm_moved'"));
        cluster.hubExec("INSERT INTO item VALUES (2, 'b')");
        assertEquals(cluster.hub.toString(), ConfigLoader.load(config).database("orders").orElseThrow().path());
    }
}

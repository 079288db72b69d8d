package io.sharemirror.app;

import static io.sharemirror.app.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.app.Cli.Result;
import io.sharemirror.store.Cluster;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code move-hub}'s refusals, as a script sees them: each before the file is locked or anything is written. */
class MoveHubCliTest {

    private static final String TO = "postgresql://team@db.example.com/orders";

    @TempDir
    Path dir;

    private Path config;
    private String configText;
    private Path hub;

    @BeforeEach
    void aConfigWithAFileHubAndAPostgresHub() throws Exception {
        hub = Files.createDirectories(dir.resolve("share")).resolve("orders.db");
        sql("CREATE TABLE item(id INTEGER PRIMARY KEY, name TEXT)");
        config = dir.resolve("config.yaml");
        configText = """
                database:
                  cache_directory: cache
                databases:
                  - name: orders
                    path: share/orders.db
                  - name: sales
                    path: postgresql://team@db.example.com/sales
                """;
        Files.writeString(config, configText);
    }

    private void sql(String... statements) throws Exception {
        Cluster.run(hub, statements);
    }

    private Result move(String... more) {
        String[] args = new String[4 + more.length];
        System.arraycopy(new String[] {"move-hub", "--config", config.toString(), "--yes"}, 0, args, 0, 4);
        System.arraycopy(more, 0, args, 4, more.length);
        return run(args);
    }

    private void assertRefused(Result r, int code, String message) throws Exception {
        assertEquals(code, r.code(), r.toString());
        assertTrue(r.err().contains(message), r.toString());
        assertEquals(configText, Files.readString(config), "the config is left as it was");
        assertEquals("0", Cluster.scalar(hub, "SELECT count(*) FROM sqlite_master WHERE name = '_sm_log'"),
                "the file was not touched: no agent, no move installed anything");
    }

    @Test
    void anUnknownNameIsRefusedNamingTheConfiguredOnes() throws Exception {
        assertRefused(move("invoices", "--to", TO), 2, "sharemirror: no database named 'invoices' in " + config
                + "; configured: orders, sales");
    }

    @Test
    void aHubOnPostgresAlreadyIsRefused() throws Exception {
        assertRefused(move("sales", "--to", TO), 2, "sharemirror: sales's hub is on PostgreSQL"
                + " db.example.com:5432/sales already; move-hub moves a hub that is a shared file");
    }

    @Test
    void aUrlThatIsNotAHubsIsRefusedWithWhatIsWrong() throws Exception {
        assertRefused(move("orders", "--to", "postgresql://team:secret@db.example.com/orders"), 2,
                "sharemirror: --to is not a PostgreSQL hub's URL: the URL holds a password");
        assertRefused(move("orders", "--to", "/mnt/other/orders.db"), 2, "--to is not a PostgreSQL hub's URL");
    }

    @Test
    void aDatabaseOnTheServerThatAnotherEntryUsesIsRefused() throws Exception {
        Result r = move("orders", "--to", "postgresql://team@db.example.com/sales");
        assertRefused(r, 2, "the config file would refuse orders on PostgreSQL db.example.com:5432/sales, so nothing"
                + " was moved");
    }

    @Test
    void aFileThatMovedAlreadyIsRefusedNamingWhere() throws Exception {
        sql("CREATE TABLE _sm_moved(url TEXT NOT NULL, at INTEGER NOT NULL)",
                "INSERT INTO _sm_moved VALUES ('postgresql://team@elsewhere:5432/orders', 1)");
        assertRefused(move("orders", "--to", TO), 5, "sharemirror: orders moved already, to"
                + " postgresql://team@elsewhere:5432/orders");
    }

    @Test
    void theCommandLineNeedsTheNewHubAndKeepsItsOptionsToMoveHub() {
        Result noTo = run("move-hub", "orders");
        assertEquals(2, noTo.code());
        assertTrue(noTo.err().contains("move-hub needs the new hub, e.g. move-hub chinook --to postgresql://"),
                noTo.err());
        Result toElsewhere = run("sync", "orders", "--to", TO);
        assertEquals(2, toElsewhere.code());
        assertTrue(toElsewhere.err().contains("--to and --yes go with move-hub only"), toElsewhere.err());
        assertTrue(run("--help").out().contains("move-hub NAME --to postgresql://"));
    }
}

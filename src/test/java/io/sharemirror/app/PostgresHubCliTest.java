package io.sharemirror.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.share.PostgresServer;
import io.sharemirror.store.Cluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sharemirror sync} and {@code status} on a database whose hub is a PostgreSQL server, with the password where
 * a user keeps it (a password file), as a script on a desktop would run them.
 */
class PostgresHubCliTest {

    @RegisterExtension
    static final PostgresServer.PerClass postgres = new PostgresServer.PerClass();

    @TempDir
    Path dir;

    private String pgpassBefore;

    @BeforeEach
    void passwordFile() throws Exception {
        Path pgpass = dir.resolve("pgpass");
        PostgresServer server = postgres.server();
        Files.writeString(pgpass, "127.0.0.1:" + server.port() + ":*:" + server.user() + ":" + server.password()
                + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-------"));
        pgpassBefore = System.getProperty("org.postgresql.pgpassfile");
        System.setProperty("org.postgresql.pgpassfile", pgpass.toString()); // the driver's override of ~/.pgpass
        try (Connection pg = server.connect(); Statement s = pg.createStatement()) {
            s.execute("DROP SCHEMA public CASCADE");
            s.execute("CREATE SCHEMA public");
        }
    }

    @AfterEach
    void restore() {
        if (pgpassBefore == null) {
            System.clearProperty("org.postgresql.pgpassfile");
        } else {
            System.setProperty("org.postgresql.pgpassfile", pgpassBefore);
        }
    }

    @Test
    void syncMakesAnEmptyDatabaseTheHubAndStatusNamesIt() throws Exception {
        PostgresServer server = postgres.server();
        String url = "postgresql://" + server.user() + "@127.0.0.1:" + server.port() + "/" + server.database()
                + "?sslmode=disable";
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, "database:\n  cache_directory: cache\ndatabases:\n  - name: orders\n    path: " + url
                + "\n");

        long start = System.nanoTime();
        Cli.Result first = Cli.run("sync", "orders", "--config", config.toString());
        long firstMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(0, first.code(), first.toString());

        Path replica = dir.resolve("cache").resolve("orders.db");
        Cluster.run(replica, "CREATE TABLE item(id INTEGER PRIMARY KEY, name TEXT)", "INSERT INTO item VALUES(1, 'a')");
        Cli.Result second = Cli.run("sync", "orders", "--config", config.toString());
        assertEquals(0, second.code(), second.toString());
        try (Connection pg = server.connect(); Statement s = pg.createStatement();
             var r = s.executeQuery("SELECT name FROM item WHERE id = 1")) {
            assertTrue(r.next(), "the row is on the hub");
            assertEquals("a", r.getString(1));
        }
        Cli.Result status = Cli.run("status", "--config", config.toString());
        assertTrue(status.out().contains("PostgreSQL 127.0.0.1:" + server.port() + "/" + server.database()),
                status.toString());
        System.out.println("PostgresHubCliTest: first sync of an empty database took " + firstMs + " ms");
    }
}

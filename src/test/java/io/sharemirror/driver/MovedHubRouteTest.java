package io.sharemirror.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.store.Cluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application keeps its {@code jdbc:sharemirror:} URL naming the shared file when its team moves the hub to
 * PostgreSQL: the driver reads the moved file's mark and routes to the database configured on that server.
 */
class MovedHubRouteTest {

    @TempDir
    Path dir;

    private Path config() throws Exception {
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, "database:\n  cache_directory: cache\ndatabases:\n  - name: orders\n"
                + "    path: postgresql://mirror@127.0.0.1:5439/orders\n");
        return config;
    }

    private Path hubFile(String... sql) throws SQLException {
        Path file = dir.resolve("share").resolve("orders.db");
        try {
            Files.createDirectories(file.getParent());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        Cluster.run(file, sql);
        return file;
    }

    @Test
    void theOldFilesUrlReachesTheDatabaseNowOnPostgresql() throws Exception {
        Path config = config();
        Path file = hubFile("CREATE TABLE item(id INTEGER PRIMARY KEY)", "CREATE TABLE _sm_moved(url TEXT NOT NULL,"
                + " at INTEGER NOT NULL)", "INSERT INTO _sm_moved VALUES('postgresql://someone@127.0.0.1:5439/orders"
                + "?sslmode=require', 1)");
        // No replica yet: routed to the PostgreSQL-hub database, which has no direct way, so it says what to do.
        SQLException refused = assertThrows(SQLException.class, () -> DriverManager.getConnection(
                "jdbc:sharemirror:" + file + "?config=" + config));
        assertTrue(refused.getMessage().contains("its hub is the database PostgreSQL 127.0.0.1:5439/orders, which"
                + " applications reach only through the replica"), refused.getMessage());
    }

    @Test
    void aFileThatDidNotMoveIsOpenedAsBefore() throws Exception {
        Path config = config();
        Path file = hubFile("CREATE TABLE item(id INTEGER PRIMARY KEY)", "INSERT INTO item VALUES(7)");
        try (Connection c = DriverManager.getConnection("jdbc:sharemirror:" + file + "?config=" + config);
             ResultSet r = c.createStatement().executeQuery("SELECT id FROM item")) {
            r.next();
            assertEquals(7, r.getInt(1), "not configured, not moved: the file itself");
        }
    }
}

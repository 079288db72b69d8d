package io.sharemirror.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.config.AppConfig;
import io.sharemirror.config.ConfigLoader;
import io.sharemirror.store.Cluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent need not run for an application to read and write: its writes queue in the replica until it starts. */
class AgentStoppedTest {

    @TempDir
    Path dir;

    @Test
    void anApplicationKeepsWorkingWhileTheAgentIsStoppedAndItsWritesSyncWhenItStarts() throws Exception {
        Path hub = Files.createDirectories(dir.resolve("share")).resolve("chinook.db");
        Files.copy(Cluster.CHINOOK, hub);
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, "database:\n  cache_directory: cache\n  enable_cache: true\n  sync_interval: 3600\n"
                + "databases:\n  - {name: chinook, path: share/chinook.db}\n");
        AppConfig config = ConfigLoader.load(file);
        try (Agent agent = Agent.open(config)) {
            assertTrue(agent.syncNow("chinook").get().succeeded()); // makes the replica, then stops
        }

        String url = "jdbc:sharemirror:" + hub + "?config=" + file;
        try (Connection app = DriverManager.getConnection(url)) {
            try (PreparedStatement insert = app.prepareStatement("INSERT INTO Artist(Name) VALUES(?)")) {
                for (int i = 0; i < 3; i++) {
                    insert.setString(1, "Written while the agent was stopped " + i);
                    insert.executeUpdate();
                }
            }
            assertEquals(3, count(app, "SELECT count(*) FROM Artist WHERE Name LIKE 'Written while%'"));
            assertEquals(3, count(app, "SELECT count(*) FROM _sm_pending"), "queued in the replica");
        }
        assertEquals("0", Cluster.scalar(hub, "SELECT count(*) FROM Artist WHERE Name LIKE 'Written while%'"));

        try (Agent agent = Agent.open(config)) {
            agent.start(); // what `sharemirror run` does; its first cycle is due at once
            await("the three writes on the hub").atMost(Duration.ofSeconds(20)).until(() -> "3".equals(
                    Cluster.scalar(hub, "SELECT count(*) FROM Artist WHERE Name LIKE 'Written while%'")));
        }
        assertEquals("0", Cluster.scalar(config.replicaPath("chinook"), "SELECT count(*) FROM _sm_pending"));
    }

    private static long count(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}

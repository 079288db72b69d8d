package io.sharemirror.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.config.ConfigLoader;
import io.sharemirror.status.DatabaseStatus;
import io.sharemirror.status.Notices;
import io.sharemirror.store.Cluster;
import io.sharemirror.sync.CycleRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A desktop whose hub moved follows it: the cycle that finds the mark pushes nothing and ends quietly, config.yaml
 * names the new hub with the user's comments kept, the agent restarts the database there with the same replica and
 * its queue, and the tray is told "moved to PostgreSQL host/db".
 */
class AgentFollowsMovedHubTest {

    private static final String URL = "postgresql://team@db.example.com:5432/orders";

    @TempDir
    Path dir;

    @Test
    void theConfigNamesTheNewHubTheQueueCarriesOverAndTheTrayIsTold() throws Exception {
        Path hub = Files.createDirectories(dir.resolve("share")).resolve("orders.db");
        Cluster.run(hub, "CREATE TABLE item(id INTEGER PRIMARY KEY, name TEXT)", "INSERT INTO item VALUES (1, 'one')");
        Path config = dir.resolve("config.yaml");
        String text = "# the shop\ndatabase:\n  cache_directory: cache\n  enable_cache: true\n"
                + "databases:\n  - name: orders   # on the NAS\n    path: share/orders.db\n";
        Files.writeString(config, text);
        Notices notices = new Notices(Instant::now, Duration.ofMinutes(5));

        try (Agent agent = Agent.open(ConfigLoader.load(config))) {
            assertTrue(agent.syncNow("orders").get().succeeded());
            notices.next(agent.statusSnapshot());
            Path replica = agent.replicaPath("orders");
            Cluster.run(replica, "INSERT INTO item VALUES (2, 'written here')");
            Cluster.run(hub, "CREATE TABLE _sm_moved(url TEXT NOT NULL, at INTEGER NOT NULL)",
                    "INSERT INTO _sm_moved VALUES ('" + URL + "', 1)");

            CycleRecord found = agent.syncNow("orders").get();

            assertEquals(CycleRecord.Outcome.IDLE, found.outcome(), found.toString());
            assertEquals(text.replace("share/orders.db", URL), Files.readString(config));
            assertEquals("1", Cluster.scalar(hub, "SELECT count(*) FROM item"),
                    "nothing was pushed to the old file");
            agent.reconfigure(ConfigLoader.load(config)); // what the config watcher does within 2 s
            DatabaseStatus orders = agent.statusSnapshot().databases().get(0);
            assertEquals(List.of(URL, "PostgreSQL db.example.com:5432/orders", replica.toString()),
                    List.of(orders.hubPath(), orders.hubKind(), orders.replicaPath()));
            List<Notices.Notice> told = notices.next(agent.statusSnapshot());
            assertEquals(List.of("orders moved to PostgreSQL db.example.com:5432/orders"),
                    told.stream().map(Notices.Notice::title).toList());
            assertEquals("1", Cluster.scalar(replica, "SELECT count(*) FROM _sm_pending"),
                    "the write waits for the new hub");
        }
    }
}

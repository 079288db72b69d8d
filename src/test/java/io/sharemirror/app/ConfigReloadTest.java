package io.sharemirror.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sharemirror.config.AppConfig;
import io.sharemirror.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** While the agent runs, a config edit that fails validation keeps the last good config running. */
class ConfigReloadTest {

    @TempDir
    Path dir;

    private Path write(Path file, String yaml, int secondsLater) throws Exception {
        Files.writeString(file, yaml);
        // A later time each write, so the watcher sees every edit even within one file-system tick.
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(secondsLater)));
        return file;
    }

    @Test
    void aBadEditKeepsTheLastGoodConfigAndAGoodEditApplies() throws Exception {
        for (String name : List.of("a", "b")) {
            try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(name + ".db"))) {
                c.createStatement().execute("CREATE TABLE t(id INTEGER PRIMARY KEY)");
            }
        }
        String base = "database:\n  cache_directory: cache\n  enable_cache: true\n  sync_interval: 30\n"
                + "databases:\n  - name: a\n    path: a.db\n";
        Path file = write(dir.resolve("config.yaml"), base, 0);
        AppConfig initial = ConfigLoader.load(file);
        try (Agent agent = Agent.open(initial)) {
            ConfigWatcher watcher = new ConfigWatcher(file, agent::reconfigure);
            watcher.close(); // driven by hand below, not by its timer

            write(file, base + "  - name: b\n    path: b.db\n    sync_interval: often\n", 10);
            watcher.check();
            assertEquals(List.of("a"), agent.engine().names(), "the broken edit is not applied at all");
            assertEquals(Duration.ofSeconds(30), agent.config().database("a").orElseThrow().syncInterval());

            write(file, base.replace("sync_interval: 30", "sync_interval: 45") + "  - name: b\n    path: b.db\n", 20);
            watcher.check();
            assertEquals(List.of("a", "b"), agent.engine().names().stream().sorted().toList());
            assertEquals(Duration.ofSeconds(45), agent.config().database("a").orElseThrow().syncInterval());
            assertEquals("45", agent.state().setting("a", "sync_interval").orElseThrow(),
                    "the file's newer interval also replaces one chosen earlier in the tray menu");
            assertEquals(2, agent.status().snapshot().databases().size());

            write(file, base, 30);
            watcher.check();
            assertEquals(List.of("a"), agent.engine().names());
            assertEquals(1, agent.status().snapshot().databases().size());
        }
    }
}

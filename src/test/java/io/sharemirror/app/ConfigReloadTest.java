package io.sharemirror.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.config.AppConfig;
import io.sharemirror.config.ConfigException;
import io.sharemirror.config.ConfigLoader;
import io.sharemirror.share.ReadOnlyFolder;
import io.sharemirror.store.Cluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
            agent.setInterval(Duration.ofSeconds(10));

            write(file, base + "  - name: b\n    path: b.db\n    sync_interval: often\n", 10);
            watcher.check();
            assertEquals(List.of("a"), agent.mirroredNames(), "the broken edit is not applied at all");
            assertEquals(Duration.ofSeconds(30), agent.config().database("a").orElseThrow().syncInterval());

            write(file, base.replace("sync_interval: 30", "sync_interval: 45") + "  - name: b\n    path: b.db\n", 20);
            watcher.check();
            assertEquals(List.of("a", "b"), agent.mirroredNames().stream().sorted().toList());
            assertEquals(Duration.ofSeconds(45), agent.config().database("a").orElseThrow().syncInterval());
            assertEquals(new Settings.Interval(Duration.ofSeconds(45), false, Duration.ofSeconds(45)),
                    agent.interval("a"), "the file's newer interval also replaces one chosen earlier in the tray menu");
            assertEquals(2, agent.statusSnapshot().databases().size());

            write(file, base, 30);
            watcher.check();
            assertEquals(List.of("a"), agent.mirroredNames());
            assertEquals(1, agent.statusSnapshot().databases().size());
        }
    }

    /**
     * Every kind of bad config.yaml, written over a good one while the agent runs: none is applied in part, the
     * databases keep syncing with the last good settings, and the next good edit applies.
     */
    @Test
    void everyKindOfBadEditKeepsTheLastGoodConfigRunning() throws Exception {
        for (String name : List.of("a", "b")) {
            Cluster.run(dir.resolve(name + ".db"), "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
        }
        Files.createDirectories(dir.resolve("folder.db"));
        Path locked = Files.createDirectories(dir.resolve("locked"));
        String base = "database:\n  cache_directory: cache\n  enable_cache: true\n  sync_interval: 30\n"
                + "databases:\n  - name: a\n    path: a.db\n";
        String withB = base + "  - name: b\n    path: b.db\n";
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("YAML syntax", withB + "  - name: [c\n");
        bad.put("a wrong type", withB.replace("sync_interval: 30", "sync_interval: [30]"));
        bad.put("an unknown key", withB + "    sync_intervall: 5\n");
        bad.put("duplicate names", withB + "  - name: A\n    path: c.db\n");
        bad.put("two entries for the same hub", withB + "  - name: c\n    path: ./a.db\n");
        bad.put("a path that is a folder", base + "  - name: b\n    path: folder.db\n");
        bad.put("a cache folder that is not writable", withB.replace("cache_directory: cache", "cache_directory: locked"));
        bad.put("a Java type tag", withB.replace("path: b.db", "path: !!javax.script.ScriptEngineManager b.db"));
        bad.put("an empty file", "");
        bad.put("half a file, as an editor crash leaves it", withB.substring(0, withB.indexOf("  - name: b") + 9));
        Path file = write(dir.resolve("config.yaml"), base, 0);
        try (Agent agent = Agent.open(ConfigLoader.load(file)); ReadOnlyFolder readOnly = ReadOnlyFolder.of(locked)) {
            ConfigWatcher watcher = new ConfigWatcher(file, agent::reconfigure);
            watcher.close(); // driven by hand below, not by its timer
            int edits = 0;
            for (Map.Entry<String, String> edit : bad.entrySet()) {
                write(file, edit.getValue(), 10 * ++edits);
                assertThrows(ConfigException.class, () -> ConfigLoader.load(file), edit.getKey() + " is a bad edit");
                watcher.check();
                assertEquals(List.of("a"), agent.mirroredNames(), edit.getKey() + " must not be applied in part");
                assertEquals(Duration.ofSeconds(30), agent.config().database("a").orElseThrow().syncInterval());
                assertEquals(dir.resolve("cache"), agent.config().cacheDirectory());
                assertTrue(agent.syncNow("a").get().succeeded(), "a still syncs after " + edit.getKey());
            }
            Files.delete(file);
            watcher.check();
            assertEquals(List.of("a"), agent.mirroredNames(), "a deleted config file keeps the last good one");

            write(file, withB, 10 * ++edits);
            watcher.check();
            assertEquals(List.of("a", "b"), agent.mirroredNames().stream().sorted().toList());
            assertTrue(agent.syncNow("b").get().succeeded());
        }
    }
}

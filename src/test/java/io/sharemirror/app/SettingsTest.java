package io.sharemirror.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.app.Settings.Interval;
import io.sharemirror.config.AppConfig;
import io.sharemirror.config.ConfigLoader;
import io.sharemirror.platform.ConfigLocation;
import io.sharemirror.store.Cluster;
import io.sharemirror.store.ConnectionFactory;
import io.sharemirror.store.StateStore;
import io.sharemirror.ui.AgentControl.Pause;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sync interval's precedence ({@link Settings}): the file's value at start, the menu's choice while the file is
 * unchanged (also over restarts), the file's next edit over the menu's choice, and what the Edit dialog shows.
 */
class SettingsTest {

    private static final Duration FILE = Duration.ofSeconds(30);
    private static final Duration MENU = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @BeforeEach
    void databases() throws Exception {
        Cluster.run(dir.resolve("a.db"), "CREATE TABLE t(id INTEGER PRIMARY KEY)");
    }

    /** The config with database {@code a} syncing every {@code seconds}, and {@code extra} lines of its entry. */
    private AppConfig config(long seconds, String extra) throws Exception {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, "database:\n  cache_directory: cache\n  enable_cache: true\n"
                + "databases:\n  - name: a\n    path: a.db\n    sync_interval: " + seconds + "\n" + extra);
        return ConfigLoader.load(file);
    }

    private AppConfig config(long seconds) throws Exception {
        return config(seconds, "");
    }

    private static Interval fromFile(Duration d) {
        return Interval.fromFile(d);
    }

    private static Interval fromMenu(Duration chosen, Duration inFile) {
        return new Interval(chosen, true, inFile);
    }

    @Test
    void aPauseUntilATimeEndsByItselfAndResumeEndsOneWithout() throws Exception {
        try (Agent agent = Agent.open(config(30))) {
            agent.pause(new Pause(Instant.now().plusMillis(300)));
            assertTrue(agent.paused().isPresent(), "paused");
            await().atMost(Duration.ofSeconds(10)).until(() -> agent.paused().isEmpty());
            agent.pause(new Pause(null));
            assertTrue(agent.paused().isPresent(), "paused until resumed");
            agent.resume();
            assertTrue(agent.paused().isEmpty(), "resumed");
        }
    }

    @Test
    void theFilesValueAppliesAtStart() throws Exception {
        try (Agent agent = Agent.open(config(30))) {
            assertEquals(fromFile(FILE), agent.interval("a"));
            assertEquals(Duration.ofSeconds(30), agent.commonInterval().orElseThrow());
        }
    }

    @Test
    void aMenuChoiceAppliesAtOnceAndOutlivesARestartWhileTheFileIsUnchanged() throws Exception {
        try (Agent agent = Agent.open(config(30))) {
            agent.setInterval(MENU);
            assertEquals(fromMenu(MENU, FILE), agent.interval("a"));
            assertEquals(MENU, agent.commonInterval().orElseThrow());
        }
        try (Agent agent = Agent.open(config(30))) {
            assertEquals(fromMenu(MENU, FILE), agent.interval("a"), "remembered over the restart");
        }
    }

    @Test
    void theFilesNextEditWinsWhileTheAgentRuns() throws Exception {
        try (Agent agent = Agent.open(config(30))) {
            agent.setInterval(MENU);
            agent.reconfigure(config(45));
            assertEquals(fromFile(Duration.ofSeconds(45)), agent.interval("a"));
        }
        try (Agent agent = Agent.open(config(30))) {
            assertEquals(fromFile(FILE), agent.interval("a"), "the menu's choice was forgotten, not set aside");
        }
    }

    @Test
    void anEditMadeWhileTheAgentIsStoppedWins() throws Exception {
        try (Agent agent = Agent.open(config(30))) {
            agent.setInterval(MENU);
        }
        try (Agent agent = Agent.open(config(60))) {
            assertEquals(fromFile(Duration.ofSeconds(60)), agent.interval("a"));
        }
        try (Agent agent = Agent.open(config(30))) {
            assertEquals(fromFile(FILE), agent.interval("a"), "the menu's choice does not come back with its value");
        }
    }

    @Test
    void anEditOfOtherSettingsKeepsTheMenuChoiceAndOneWithTheIntervalReplacesIt() throws Exception {
        try (Agent agent = Agent.open(config(30))) {
            agent.setInterval(MENU);
            agent.reconfigure(config(30, "    conflict: hub-wins\n"));
            assertEquals(fromMenu(MENU, FILE), agent.interval("a"), "its sync restarted with the menu's choice");
            agent.reconfigure(config(20, "    conflict: replica-wins\n"));
            assertEquals(fromFile(Duration.ofSeconds(20)), agent.interval("a"));
        }
    }

    @Test
    void aDatabaseRemovedAndAddedAgainStartsFromTheFilesValue() throws Exception {
        try (Agent agent = Agent.open(config(30))) {
            agent.setInterval(MENU);
            agent.reconfigure(ConfigLoader.parse("database:\n  cache_directory: cache\ndatabases: []\n",
                    dir.resolve("config.yaml")));
            assertEquals(List.of(), agent.mirroredNames());
            agent.reconfigure(config(30));
            assertEquals(fromFile(FILE), agent.interval("a"));
        }
    }

    @Test
    void aChoiceRememberedWithoutTheFilesValueGivesWayToTheFile() throws Exception {
        AppConfig config = config(30);
        Files.createDirectories(config.cacheDirectory());
        try (StateStore state = new StateStore(new ConnectionFactory(Duration.ofSeconds(5)),
                config.cacheDirectory().resolve("state.db"))) {
            state.setting("a", Settings.MENU_INTERVAL, "10"); // as earlier builds wrote it, from the menu or the file
        }
        try (Agent agent = Agent.open(config)) {
            assertEquals(fromFile(FILE), agent.interval("a"));
        }
    }

    @Test
    void theEditDialogShowsTheIntervalInForceAndWhereItComesFrom() throws Exception {
        try (Agent agent = Agent.open(config(30))) {
            DesktopSetup setup = new DesktopSetup(agent, new ConfigLocation(dir.resolve("config.yaml"), "--config",
                    false));
            assertEquals(FILE, setup.draft("a").syncInterval());
            assertEquals("from the config file", setup.intervalOrigin("a"));
            agent.setInterval(MENU);
            assertEquals(MENU, setup.draft("a").syncInterval());
            assertTrue(setup.intervalOrigin("a").contains("tray menu"), setup.intervalOrigin("a"));
            assertTrue(setup.intervalOrigin("a").contains("30 s"), setup.intervalOrigin("a"));

            setup.change(setup.draft("a"));
            assertEquals(fromFile(MENU), agent.interval("a"), "saved unchanged, the file now says what was in force");
        }
    }
}

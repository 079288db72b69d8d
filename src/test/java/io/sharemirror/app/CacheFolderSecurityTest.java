package io.sharemirror.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.config.ConfigLoader;
import io.sharemirror.platform.AppDirs;
import io.sharemirror.store.Cluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cache folder holds copies of shared data and the conflict archive: it and every file in it are owner-only,
 * including the files SQLite makes next to a database (-wal, -shm, -journal), the lock files and the logs; and no
 * row value is ever written outside it, nor into a log line.
 */
class CacheFolderSecurityTest {

    private static final String OWNER_ONLY_FILE = "rw-------";
    private static final String OWNER_ONLY_FOLDER = "rwx------";

    @TempDir
    Path dir;

    @Test
    void everyFileTheAgentMakesIsOwnerOnly() throws Exception {
        Path file = config();
        Path cache = dir.resolve("cache");
        Path replica = cache.resolve("app.db");

        assertEquals(0, Cli.run("sync", "--config", file.toString()).code());
        try (Agent agent = Agent.open(ConfigLoader.load(file))) {
            // While the agent has the replica open in WAL mode, with a write an application made: -wal and -shm exist.
            assertTrue(agent.syncNow("app").get().succeeded());
            try (Connection app = DriverManager.getConnection("jdbc:sqlite:" + replica); Statement s = app.createStatement()) {
                s.execute("INSERT INTO note(body) VALUES('written by an application')");
                assertTrue(Files.exists(Path.of(replica + "-wal")) && Files.exists(Path.of(replica + "-shm")));
                Map<String, String> modes = modes(cache);
                assertEquals(OWNER_ONLY_FOLDER, modes.remove("."), "the cache folder");
                assertEquals(List.of("app.db", "app.db-shm", "app.db-wal", "app.db.lock", "state.db", "state.db-shm", "state.db-wal"),
                        new ArrayList<>(modes.keySet()));
                modes.forEach((name, mode) -> assertEquals(OWNER_ONLY_FILE, mode, name + " in the cache folder"));
            }
            assertTrue(agent.syncNow("app").get().succeeded());
        }
        // A rollback journal, as SQLite makes it for state.db when it is not in WAL mode.
        Path journal = Path.of(cache.resolve("state.db") + "-journal");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + cache.resolve("state.db"));
             Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode = DELETE");
            s.execute("PRAGMA locking_mode = EXCLUSIVE"); // keeps the journal file after the commit
            s.execute("PRAGMA journal_mode = PERSIST");
            s.execute("CREATE TABLE journaled(x)");
            assertEquals(OWNER_ONLY_FILE, mode(journal), "a -journal takes the database's mode");
        }
        Files.deleteIfExists(journal);
    }

    /** In a JVM of its own: tinylog is set up once per JVM, by whichever test logs first. */
    @Test
    void theLogFilesAreOwnerOnly() throws Exception {
        Path file = config();
        Path logFolder = dir.resolve("logs");
        try (JavaChild agent = JavaChild.start(Map.of(), List.of("-D" + AppDirs.LOG_DIR_PROPERTY + "=" + logFolder),
                Main.class, "sync", "--config", file.toString())) {
            assertEquals(0, agent.awaitExit(Duration.ofSeconds(60)));
        }
        Map<String, String> logModes = modes(logFolder);
        assertEquals(OWNER_ONLY_FOLDER, logModes.remove("."), "the log folder");
        assertTrue(logModes.keySet().stream().anyMatch(n -> n.endsWith(".log")), logModes::toString);
        logModes.forEach((name, mode) -> assertEquals(OWNER_ONLY_FILE, mode, name + " in the log folder"));
    }

    /** The per-user state folder holds the single-instance lock and the running agent's address and token. */
    @Test
    void theSingleInstanceFilesAreOwnerOnly() throws Exception {
        Path state = dir.resolve("state");
        try (SingleInstance claim = SingleInstance.claim(state, dir.resolve("config.yaml"), () -> true)) {
            Map<String, String> modes = modes(state);
            assertEquals(OWNER_ONLY_FOLDER, modes.remove("."));
            assertEquals(List.of(SingleInstance.ADDRESS_FILE, SingleInstance.LOCK_FILE), new ArrayList<>(modes.keySet()));
            modes.forEach((name, mode) -> assertEquals(OWNER_ONLY_FILE, mode, name + " in the state folder"));
        }
    }

    /** A hub on a local folder standing in for the share, mirrored into {@code cache}. */
    private Path config() throws Exception {
        Path share = Files.createDirectories(dir.resolve("share"));
        Cluster.run(share.resolve("app.db"), "CREATE TABLE note(id INTEGER PRIMARY KEY, body TEXT)");
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, "database:\n  cache_directory: cache\n  enable_cache: true\ndatabases:\n"
                + "  - name: app\n    path: share/app.db\n");
        return file;
    }

    /** The folder's own mode (as ".") and every regular file's in it, by name. */
    private static Map<String, String> modes(Path folder) throws IOException {
        Map<String, String> modes = new TreeMap<>();
        modes.put(".", mode(folder));
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                modes.put(f.getFileName().toString(), mode(f));
            }
        }
        return modes;
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}

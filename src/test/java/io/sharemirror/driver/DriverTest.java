package io.sharemirror.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.sharemirror.platform.NetworkPaths;
import io.sharemirror.store.Cluster;
import io.sharemirror.sync.conflict.ConflictPolicy;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDBC driver as an application meets it: through DriverManager (so the service file is what registers it), with
 * nothing but java.sql in the application's code. Where a connection went is read from the connection itself.
 */
class DriverTest {

    @TempDir
    Path dir;

    /** A config whose one database "db" is the cluster's hub, replicated into the first node's cache folder. */
    private Path config(Cluster cluster, String settings) throws IOException {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, "database:\n  cache_directory: " + dir.resolve("cache0") + "\n" + settings
                + "databases:\n  - name: db\n    path: " + cluster.hub + "\n");
        return file;
    }

    private static String url(Path database, Path config) {
        return "jdbc:sharemirror:" + database + "?config=" + config;
    }

    /** The file the connection's main database is. */
    private static String opened(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT file FROM pragma_database_list WHERE name = 'main'")) {
            r.next();
            return r.getString(1);
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    @Test
    void aPlainJdbcProgramWorksOnTheReplicaAndItsWritesReachTheHubAndAnotherReplica() throws Exception {
        try (Cluster cluster = Cluster.chinook(dir)) {
            var mine = cluster.add(ConflictPolicy.NEWEST_WINS);
            var theirs = cluster.add(ConflictPolicy.NEWEST_WINS);
            cluster.settle();
            String url = url(cluster.hub, config(cluster, "  enable_cache: true\n"));

            // The application: java.sql only, and the one URL.
            try (Connection c = DriverManager.getConnection(url)) {
                long artists = count(c, "SELECT count(*) FROM Artist");
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO Artist(Name) VALUES(?)")) {
                    insert.setString(1, "Through the driver");
                    insert.executeUpdate();
                }
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("UPDATE Genre SET Name = 'Rock (driver)' WHERE GenreId = 1");
                    s.executeUpdate("DELETE FROM PlaylistTrack WHERE PlaylistId = 1 AND TrackId = 1");
                }
                c.commit();
                assertEquals(artists + 1, count(c, "SELECT count(*) FROM Artist"));
                assertEquals(mine.replica().toString(), opened(c));
                assertEquals(3, count(c, "SELECT count(*) FROM _sm_pending"), "captured like any other writer");
            }
            assertEquals("io.sharemirror.driver.ShareMirrorDriver", DriverManager.getDriver(url).getClass().getName());

            assertTrue(mine.sync().succeeded());
            assertTrue(theirs.sync().succeeded());
            assertEquals("1", Cluster.scalar(cluster.hub, "SELECT count(*) FROM Artist WHERE Name = 'Through the driver'"));
            assertEquals("1", theirs.scalar("SELECT count(*) FROM Artist WHERE Name = 'Through the driver'"));
            assertEquals("Rock (driver)", theirs.scalar("SELECT Name FROM Genre WHERE GenreId = 1"));
            cluster.assertConverged();
        }
    }

    @Test
    void bothDriversAreRegisteredThroughTheirServiceFiles() throws Exception {
        List<String> declared = new ArrayList<>();
        for (URL file : Collections.list(getClass().getClassLoader().getResources("META-INF/services/java.sql.Driver"))) {
            try (var in = file.openStream()) {
                new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                        .filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(declared::add);
            }
        }
        assertTrue(declared.containsAll(List.of("org.sqlite.JDBC", "io.sharemirror.driver.ShareMirrorDriver")),
                declared.toString());
        List<String> loaded = DriverManager.drivers().map(d -> d.getClass().getName()).toList();
        assertTrue(loaded.containsAll(List.of("org.sqlite.JDBC", "io.sharemirror.driver.ShareMirrorDriver")),
                loaded.toString());
        Driver ours = DriverManager.getDriver("jdbc:sharemirror:/x.db");
        assertFalse(ours.acceptsURL("jdbc:sqlite:/x.db"), "plain sqlite URLs stay with sqlite-jdbc");
        assertEquals("org.sqlite.JDBC", DriverManager.getDriver("jdbc:sqlite:/x.db").getClass().getName());
    }

    // ---------------------------------------------------------------- fallback: which file was opened

    @Test
    void aDatabaseTheConfigDoesNotListOpensTheShare() throws Exception {
        try (Cluster cluster = Cluster.chinook(dir)) {
            Path other = dir.resolve("share").resolve("other.db");
            Cluster.run(other, "CREATE TABLE t(x)");
            try (Connection c = DriverManager.getConnection(url(other, config(cluster, "  enable_cache: true\n")))) {
                assertEquals(other.toString(), opened(c));
                c.createStatement().execute("INSERT INTO t VALUES(1)");
            }
            assertEquals("1", Cluster.scalar(other, "SELECT count(*) FROM t"));
        }
    }

    @Test
    void withoutAConfigFileTheShareIsOpened() throws Exception {
        try (Cluster cluster = Cluster.chinook(dir)) {
            try (Connection c = DriverManager.getConnection(url(cluster.hub, dir.resolve("missing.yaml")))) {
                assertEquals(cluster.hub.toString(), opened(c));
                assertEquals("delete", Cluster.scalar(cluster.hub, "PRAGMA journal_mode"), "never WAL on the share");
            }
        }
    }

    @Test
    void enableCacheFalseOpensTheShare() throws Exception {
        try (Cluster cluster = Cluster.chinook(dir)) {
            cluster.add(ConflictPolicy.NEWEST_WINS).sync(); // a replica exists, but mirroring is off
            try (Connection c = DriverManager.getConnection(url(cluster.hub, config(cluster, "  enable_cache: false\n")))) {
                assertEquals(cluster.hub.toString(), opened(c));
            }
        }
    }

    @Test
    void enableCacheAutoOnALocalPathOpensTheShare() throws Exception {
        try (Cluster cluster = Cluster.chinook(dir)) {
            assumeFalse(NetworkPaths.classify(cluster.hub.toString()).network(), "the temp folder is on a network mount");
            cluster.add(ConflictPolicy.NEWEST_WINS).sync();
            try (Connection c = DriverManager.getConnection(url(cluster.hub, config(cluster, "  enable_cache: auto\n")))) {
                assertEquals(cluster.hub.toString(), opened(c));
            }
        }
    }

    @Test
    void withoutAReplicaYetTheShareIsOpenedAndNewConnectionsMoveToTheReplicaOnceItExists() throws Exception {
        try (Cluster cluster = Cluster.chinook(dir)) {
            var mine = cluster.add(ConflictPolicy.NEWEST_WINS); // not synced: no replica yet
            var theirs = cluster.add(ConflictPolicy.NEWEST_WINS);
            theirs.sync(); // instruments the hub, as another desktop would have
            String url = url(cluster.hub, config(cluster, "  enable_cache: true\n"));
            try (Connection early = DriverManager.getConnection(url)) {
                assertEquals(cluster.hub.toString(), opened(early));
                early.createStatement().execute("INSERT INTO Artist(Name) VALUES('Written on the share')");
                assertEquals("1", Cluster.scalar(cluster.hub, "SELECT count(*) FROM _sm_log WHERE origin IS NULL"),
                        "the hub's triggers log a direct writer, so other replicas get its writes");

                assertTrue(mine.sync().succeeded());
                try (Connection later = DriverManager.getConnection(url)) {
                    assertEquals(mine.replica().toString(), opened(later));
                    assertEquals(1, count(later, "SELECT count(*) FROM Artist WHERE Name = 'Written on the share'"));
                }
                assertEquals(cluster.hub.toString(), opened(early), "an open connection stays where it is");
            }
            assertTrue(theirs.sync().succeeded());
            assertEquals("1", theirs.scalar("SELECT count(*) FROM Artist WHERE Name = 'Written on the share'"));
        }
    }

    @Test
    void aCorruptReplicaIsPassedOverForTheShare() throws Exception {
        try (Cluster cluster = Cluster.chinook(dir)) {
            var mine = cluster.add(ConflictPolicy.NEWEST_WINS);
            mine.sync();
            mine.store().close();
            Files.write(mine.replica(), "this is not an SQLite database, it was damaged".repeat(200).getBytes());
            Files.deleteIfExists(Path.of(mine.replica() + "-wal"));
            Files.deleteIfExists(Path.of(mine.replica() + "-shm"));
            try (Connection c = DriverManager.getConnection(url(cluster.hub, config(cluster, "  enable_cache: true\n")))) {
                assertEquals(cluster.hub.toString(), opened(c));
            }
        }
    }

    @Test
    void aFileThatIsNotAFinishedReplicaIsPassedOverForTheShare() throws Exception {
        try (Cluster cluster = Cluster.chinook(dir)) {
            Files.createDirectories(dir.resolve("cache0"));
            Path replica = dir.resolve("cache0").resolve("db.db");
            Files.copy(cluster.hub, replica); // a copy without ShareMirror's state tables, as if copied by hand
            Files.copy(cluster.hub, dir.resolve("cache0").resolve("db.db.cloning")); // and a clone that died
            try (Connection c = DriverManager.getConnection(url(cluster.hub, config(cluster, "  enable_cache: true\n")))) {
                assertEquals(cluster.hub.toString(), opened(c));
            }
        }
    }

    // ---------------------------------------------------------------- read-only mode

    @Test
    void aReadOnlyMirrorRefusesWritesThroughTheDriverAndItsFallbackCannotWriteTheShare() throws Exception {
        try (Cluster cluster = Cluster.chinook(dir)) {
            String url = url(cluster.hub, config(cluster, "  enable_cache: true\n  mode: read-only\n"));
            try (Connection direct = DriverManager.getConnection(url)) {
                assertEquals(cluster.hub.toString(), opened(direct), "no replica yet");
                SQLException e = assertThrows(SQLException.class,
                        () -> direct.createStatement().execute("DELETE FROM Genre"));
                assertTrue(e.getMessage().contains("readonly"), e.getMessage());
            }
            var mine = cluster.addReadOnly();
            mine.sync();
            try (Connection c = DriverManager.getConnection(url)) {
                assertEquals(mine.replica().toString(), opened(c));
                assertTrue(count(c, "SELECT count(*) FROM Genre") > 0);
                SQLException e = assertThrows(SQLException.class,
                        () -> c.createStatement().execute("DELETE FROM Genre"));
                assertTrue(e.getMessage().contains("db is mirrored read-only (mode: read-only); writes are not allowed"),
                        e.getMessage());
            }
        }
    }

    // ---------------------------------------------------------------- options

    @Test
    void usualSqliteOptionsArePassedOn() throws Exception {
        try (Cluster cluster = Cluster.chinook(dir)) {
            cluster.add(ConflictPolicy.NEWEST_WINS).sync();
            var options = new java.util.Properties();
            options.setProperty("busy_timeout", "4321");
            options.setProperty("user", "sa"); // DriverManager.getConnection(url, user, password) sends these
            options.setProperty("password", "");
            String url = url(cluster.hub, config(cluster, "  enable_cache: true\n")) + "&foreign_keys=true";
            try (Connection c = DriverManager.getConnection(url, options)) {
                assertEquals(1, count(c, "PRAGMA foreign_keys"));
                assertEquals(4321, count(c, "PRAGMA busy_timeout"));
                assertEquals(dir.resolve("cache0").resolve("db.db").toString(), opened(c));
            }
        }
    }

    @Test
    void badUrlsSayWhatIsWrongAndWhatIsAllowed() {
        assertEquals("jdbc:sharemirror:/s/app.db?busy_timout=5&journal_mode=DELETE&foreign_keys=yes&cache_size:\n"
                + "  option cache_size has no value; write it as key=value, like busy_timeout=5000\n"
                + "  unknown option busy_timout (did you mean \"busy_timeout\"?); allowed: busy_timeout, foreign_keys,"
                + " defer_foreign_keys, case_sensitive_like, cache_size, temp_store, transaction_mode, date_class,"
                + " date_precision, date_string_format, jdbc.explicit_readonly, jdbc.get_generated_keys, config\n"
                + "  option journal_mode is not allowed: ShareMirror sets it: WAL on the local replica, and never WAL"
                + " on a share, where it does not work; allowed: busy_timeout, foreign_keys, defer_foreign_keys,"
                + " case_sensitive_like, cache_size, temp_store, transaction_mode, date_class, date_precision,"
                + " date_string_format, jdbc.explicit_readonly, jdbc.get_generated_keys, config\n"
                + "  option foreign_keys=yes is not allowed; expected true or false",
                refused("jdbc:sharemirror:/s/app.db?busy_timout=5&journal_mode=DELETE&foreign_keys=yes&cache_size"));
        assertTrue(refused("jdbc:sharemirror:/s/app.db?transaction_mode=IMMEDIATE").contains(
                "option transaction_mode=IMMEDIATE is not allowed; expected DEFERRED (IMMEDIATE and EXCLUSIVE would"
                        + " keep the write lock between transactions"));
        assertTrue(refused("jdbc:sharemirror:/s/app.db?busy_timeout=1&busy_timeout=2")
                .contains("option busy_timeout is given twice"));
        assertTrue(refused("jdbc:sharemirror:").contains("no database path; expected the database on the share, like"
                + " jdbc:sharemirror://server/share/app.db"));
        assertTrue(refused("jdbc:sharemirror::memory:").contains(":memory: is not a path to a database file"));
        assertTrue(refused("jdbc:sharemirror:/s/app.db?config=").contains("option config has no value"));
    }

    private static String refused(String url) {
        return assertThrows(SQLException.class, () -> DriverManager.getConnection(url)).getMessage();
    }
}

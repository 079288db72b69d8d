package io.sharemirror.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.app.Cli.Result;
import io.sharemirror.store.Cluster;
import io.sharemirror.store.OtherPrograms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The verbs as a script sees them: exit codes, stdout, stderr. */
class CommandLineTest {

    @TempDir
    Path dir;

    private static Result run(String... args) {
        return Cli.run(args);
    }

    private Path config(String body) throws Exception {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, body);
        return file;
    }

    private static void sql(Path db, String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            for (String q : statements) {
                s.execute(q);
            }
        }
    }

    private static String scalar(Path db, String query) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             ResultSet r = s.executeQuery(query)) {
            return r.next() ? r.getString(1) : null;
        }
    }

    @Test
    void helpListsVerbsAndExitCodes() {
        Result r = run("--help");
        assertEquals(0, r.code());
        for (String expected : new String[] {"run", "sync [NAME]", "status", "clear-cache NAME", "--config PATH",
                "--discard-pending", "5  refused: Clear Cache", "settle NAME TABLE KEY WAY"}) {
            assertTrue(r.out().contains(expected), "help lacks " + expected + ":\n" + r.out());
        }
    }

    @Test
    void badCommandLinesExitTwoAndSayWhatIsAllowed() {
        Result unknown = run("frobnicate");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("unknown verb 'frobnicate'; verbs are run, sync, status"), unknown.err());
        Result noName = run("clear-cache");
        assertEquals(2, noName.code());
        assertTrue(noName.err().contains("clear-cache needs the name of a database"), noName.err());
        Result option = run("status", "--colour");
        assertEquals(2, option.code());
        assertTrue(option.err().contains("unknown option --colour"), option.err());
        Result seconds = run("demo", "--seconds", "soon");
        assertEquals(2, seconds.code());
        assertTrue(seconds.err().contains("--seconds must be a whole number"), seconds.err());
    }

    @Test
    void aBadConfigStartsNothingAndNamesTheLine() throws Exception {
        Path file = config("database:\n  sync_interval: soon\n  path: hub.db\n");
        Result r = run("status", "--config", file.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("config.yaml:2: database.sync_interval: \"soon\""), r.err());
        assertTrue(r.err().contains("nothing was started"), r.err());
        assertTrue(!Files.exists(dir.resolve(".ims_cache")));
    }

    @Test
    void syncStatusAndClearCacheAsAScriptSeesThem() throws Exception {
        Path share = Files.createDirectories(dir.resolve("share"));
        Path hub = share.resolve("app.db");
        sql(hub, "CREATE TABLE note(id INTEGER PRIMARY KEY, body TEXT)", "INSERT INTO note(body) VALUES('first')");
        Path file = config("database:\n  cache_directory: cache\n  enable_cache: true\n  max_retries: 1\n"
                + "databases:\n  - name: app\n    path: share/app.db\n  - name: local\n    path: local.db\n"
                + "    enable_cache: false\n");
        Path replica = dir.resolve("cache").resolve("app.db");

        Result first = run("sync", "--config", file.toString());
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().startsWith("app: idle"), "a fresh clone has nothing to move: " + first.out());
        assertEquals("first", scalar(replica, "SELECT body FROM note"));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("cache"))),
                "the cache holds copies of shared data: owner only");

        Result status = run("status", "--config", file.toString());
        assertEquals(0, status.code());
        assertTrue(status.out().matches("(?s)NAME +STATE +PENDING +LAST SYNC +MODE +REPLICA +HUB.*"), status.out());
        assertTrue(status.out().matches("(?s).*\\napp +OK +0 +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d +mirrored .*"),
                status.out());
        assertTrue(status.out().contains("local: direct: enable_cache is false"), status.out());

        Result direct = run("sync", "local", "--config", file.toString());
        assertEquals(2, direct.code());
        assertTrue(direct.err().contains("local is opened directly, not mirrored"), direct.err());

        // The share goes away with a write queued: sync says offline, Clear Cache refuses.
        Files.move(share, dir.resolve("share-away"));
        sql(replica, "INSERT INTO note(body) VALUES('queued')");
        Result offline = run("sync", "app", "--config", file.toString());
        assertEquals(3, offline.code(), offline.out() + offline.err());
        assertTrue(offline.out().contains("app: offline"), offline.out());
        Result refused = run("clear-cache", "app", "--config", file.toString());
        assertEquals(5, refused.code());
        assertTrue(refused.err().contains("1 pending write that could not be pushed"), refused.err());
        Result stillOffline = run("clear-cache", "app", "--discard-pending", "--config", file.toString());
        assertEquals(3, stillOffline.code(), "nothing is discarded while no fresh copy can be made");
        assertEquals("1", scalar(replica, "SELECT count(*) FROM _sm_pending"));
        status = run("status", "--config", file.toString());
        assertTrue(status.out().matches("(?s).*\\napp +OFFLINE +1 .*"), status.out());

        // Back again: Clear Cache pushes first, so the queued write survives the fresh copy.
        Files.move(dir.resolve("share-away"), share);
        Result cleared = run("clear-cache", "app", "--config", file.toString());
        assertEquals(0, cleared.code(), cleared.err());
        assertEquals("1", scalar(hub, "SELECT count(*) FROM note WHERE body = 'queued'"));
        assertEquals("2", scalar(replica, "SELECT count(*) FROM note"));
        assertEquals("0", scalar(replica, "SELECT count(*) FROM _sm_pending"));
    }

    @Test
    void pathPrintsTheReplicaOrTheSharePathWithWhyAndStatusShowsHowAppsReachEachDatabase() throws Exception {
        Path share = Files.createDirectories(dir.resolve("share"));
        sql(share.resolve("app.db"), "CREATE TABLE note(id INTEGER PRIMARY KEY, body TEXT)");
        sql(share.resolve("copy.db"), "CREATE TABLE note(id INTEGER PRIMARY KEY, body TEXT)");
        sql(share.resolve("local.db"), "CREATE TABLE note(id INTEGER PRIMARY KEY, body TEXT)");
        Path file = config("database:\n  cache_directory: cache\n  enable_cache: true\ndatabases:\n"
                + "  - {name: app, path: share/app.db}\n  - {name: copy, path: share/copy.db, mode: read-only}\n"
                + "  - {name: local, path: share/local.db, enable_cache: false}\n");

        Result before = run("path", "app", "--config", file.toString());
        assertEquals(0, before.code());
        assertEquals(share.resolve("app.db") + "\n", before.out(), "no replica yet: the share path");
        assertTrue(before.err().contains("app is opened on the share for now (direct: there is no replica "
                + dir.resolve("cache").resolve("app.db") + " yet"), before.err());
        Result status = run("status", "--config", file.toString());
        assertTrue(status.out().matches("(?s).*\\napp +PENDING +0 +never +direct .*"), status.out());

        assertEquals(0, run("sync", "--config", file.toString()).code());
        Result after = run("path", "app", "--config", file.toString());
        assertEquals(dir.resolve("cache").resolve("app.db") + "\n", after.out());
        assertEquals("", after.err());
        Result copy = run("path", "copy", "--config", file.toString());
        assertEquals(dir.resolve("cache").resolve("copy.db") + "\n", copy.out());
        Result local = run("path", "local", "--config", file.toString());
        assertEquals(share.resolve("local.db") + "\n", local.out());
        assertTrue(local.err().contains("(direct: enable_cache is false)"), local.err());

        status = run("status", "--config", file.toString());
        assertTrue(status.out().matches("(?s).*\\napp +OK +0 +\\S+ \\S+ +mirrored +" + dir.resolve("cache").resolve("app.db")
                + " .*"), status.out());
        assertTrue(status.out().matches("(?s).*\\ncopy +OK +0 +\\S+ \\S+ +read-only +.*"), status.out());
        assertTrue(status.out().matches("(?s).*\\nlocal +OK +- +- +direct +- .*"), status.out());
        assertTrue(status.out().contains("copy: mirrored: enable_cache is true; mode: read-only"), status.out());

        Result unknown = run("path", "nope", "--config", file.toString());
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("no database named 'nope'"), unknown.err());
        Result missing = run("path", "--config", file.toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("path needs the name of a database"), missing.err());
    }

    /** Another language, pointed at the file `sharemirror path` prints: captured by the replica's triggers. */
    @Test
    void pythonWritingThePathThatPathPrintsReachesTheHub() throws Exception {
        Path hub = Files.createDirectories(dir.resolve("share")).resolve("chinook.db");
        Files.copy(Cluster.CHINOOK, hub);
        Path file = config("database:\n  cache_directory: cache\n  enable_cache: true\ndatabases:\n"
                + "  - {name: chinook, path: share/chinook.db}\n");
        assertEquals(0, run("sync", "--config", file.toString()).code());
        String replica = run("path", "chinook", "--config", file.toString()).out().strip();

        OtherPrograms.Run python = OtherPrograms.python("""
                import sqlite3, sys
                db = sqlite3.connect(sys.argv[1], timeout=10)
                with db:
                    db.execute("INSERT INTO Artist(Name) VALUES ('Written from Python')")
                print(db.execute("SELECT count(*) FROM _sm_pending").fetchone()[0])
                """, replica);
        assertEquals(0, python.exitCode(), python.output());
        assertEquals("1", python.output(), "captured by the triggers stored in the replica");

        assertEquals(0, run("sync", "chinook", "--config", file.toString()).code());
        assertEquals("1", scalar(hub, "SELECT count(*) FROM Artist WHERE Name = 'Written from Python'"));
        assertEquals("0", scalar(Path.of(replica), "SELECT count(*) FROM _sm_pending"));
    }
}

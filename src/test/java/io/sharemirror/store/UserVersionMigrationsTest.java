package io.sharemirror.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sharemirror.sync.conflict.ConflictPolicy;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Applications that count their schema in {@code PRAGMA user_version} (SQLite's own suggestion; Python's sqlite3
 * module here, as many desktop programs do it): at start-up each runs the migrations past the file's number, each in
 * one transaction with the new number. The number lives in the file's header, not in a table: unless it travels with
 * the schema, a desktop that got the columns by sync runs the migration again and stops ("duplicate column name"), and
 * every newly cloned desktop does.
 */
class UserVersionMigrationsTest {

    @TempDir
    Path dir;

    private static final String SCHEMA = "CREATE TABLE item(id INTEGER PRIMARY KEY, name TEXT)";

    /** The application's start-up: migrations up to {@code argv[2]}, then it prints its schema number. */
    private static final String START = String.join("\n",
            "import sqlite3, sys",
            "MIGRATIONS = [",
            "    'ALTER TABLE item ADD COLUMN colour TEXT',",
            "    'CREATE TABLE note(id INTEGER PRIMARY KEY, item INTEGER REFERENCES item(id), body TEXT NOT NULL)',",
            "    'CREATE INDEX note_item ON note(item)',",
            "    \"UPDATE item SET colour = 'grey' WHERE colour IS NULL\",",
            "]",
            "con = sqlite3.connect(sys.argv[1], isolation_level=None)",
            "have = con.execute('PRAGMA user_version').fetchone()[0]",
            "for number in range(have, int(sys.argv[2])):",
            "    con.execute('BEGIN IMMEDIATE')",
            "    con.execute(MIGRATIONS[number])",
            "    con.execute('PRAGMA user_version = %d' % (number + 1))",
            "    con.execute('COMMIT')",
            "print('schema', con.execute('PRAGMA user_version').fetchone()[0])");

    private static void start(Cluster.Node desktop, int version) throws Exception {
        start(desktop.replica(), version);
    }

    private static void start(Path db, int version) throws Exception {
        var run = OtherPrograms.python(START, db.toString(), Integer.toString(version));
        assertEquals(List.of(0, "schema " + version), List.of(run.exitCode(), run.output()),
                "the application's start-up on " + db);
    }

    @Test
    void aMigrationMadeOnOneDesktopIsNotRunAgainOnTheOthers() throws Exception {
        try (Cluster cluster = Cluster.withSchema(dir, SCHEMA)) {
            var a = cluster.add(ConflictPolicy.NEWEST_WINS);
            var b = cluster.add(ConflictPolicy.NEWEST_WINS);
            cluster.settle();
            start(a, 2);
            a.exec("INSERT INTO item(id, name, colour) VALUES(1, 'one', 'red')", "INSERT INTO note(item, body)"
                    + " VALUES(1, 'made on a')");
            cluster.settle();
            assertEquals("2", b.scalar("PRAGMA user_version"), "b's number, with a's columns");
            start(b, 2);
            start(b, 3); // b's application is newer: its migration reaches a, which must not run it again
            b.exec("INSERT INTO note(item, body) VALUES(1, 'made on b')");
            cluster.settle();
            start(a, 3);
            assertEquals("3", Cluster.scalar(cluster.hub, "PRAGMA user_version"));
            var c = cluster.add(ConflictPolicy.NEWEST_WINS);
            c.sync();
            start(c, 3);
            cluster.assertConverged();
            assertEquals(SchemaChangeMatrixTest.schema(cluster.hub), SchemaChangeMatrixTest.schema(a.replica()));
        }
    }

    @Test
    void desktopsUpgradedWhileApartAgreeOnTheHigherNumber() throws Exception {
        try (Cluster cluster = Cluster.withSchema(dir, SCHEMA)) {
            var a = cluster.add(ConflictPolicy.NEWEST_WINS);
            var b = cluster.add(ConflictPolicy.NEWEST_WINS);
            cluster.settle();
            start(a, 3); // a's application is the newest
            start(b, 1); // b's lags behind by two versions
            b.exec("INSERT INTO item(id, name, colour) VALUES(2, 'two', 'blue')");
            a.exec("INSERT INTO item(id, name, colour) VALUES(1, 'one', 'red')");
            cluster.settle();
            cluster.settle();
            for (var node : List.of(a, b)) {
                assertEquals("3", node.scalar("PRAGMA user_version"), "on " + node.replica());
                start(node, 3);
            }
            assertEquals("3", Cluster.scalar(cluster.hub, "PRAGMA user_version"));
            assertEquals("2", Cluster.scalar(cluster.hub, "SELECT count(*) FROM item"));
            cluster.assertConverged();
        }
    }

    /**
     * The application run on the share's file itself (a desktop without ShareMirror) migrates it; then a desktop's
     * application, a version newer, adds a migration that changes only rows: neither moves SQLite's schema cookie.
     */
    @Test
    void aMigrationOnTheShareAndOneThatChangesOnlyRowsReachEveryDesktop() throws Exception {
        try (Cluster cluster = Cluster.withSchema(dir, SCHEMA)) {
            var a = cluster.add(ConflictPolicy.NEWEST_WINS);
            var b = cluster.add(ConflictPolicy.NEWEST_WINS);
            cluster.settle();
            start(cluster.hub, 3);
            cluster.hubExec("INSERT INTO item(id, name) VALUES(1, 'no colour yet')");
            cluster.settle();
            start(b, 3);
            start(b, 4);
            cluster.settle();
            assertEquals("4", Cluster.scalar(cluster.hub, "PRAGMA user_version"));
            assertEquals("4", a.scalar("PRAGMA user_version"));
            assertEquals("grey", a.scalar("SELECT colour FROM item WHERE id = 1"));
            start(a, 4);
            start(cluster.hub, 4);
            cluster.assertConverged();
        }
    }
}

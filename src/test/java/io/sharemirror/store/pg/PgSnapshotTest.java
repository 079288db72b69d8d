package io.sharemirror.store.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sharemirror.Requirements;
import io.sharemirror.share.PostgresServer;
import io.sharemirror.share.SqliteShell;
import io.sharemirror.sync.CloneProgress;
import io.sharemirror.sync.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An SQLite database of every affinity and key shape, moved onto a PostgreSQL hub, comes back in the hub's snapshot with
 * the same rows (class, quote and bytes, as the sqlite3 shell shows them), definitions and schema number; the
 * application's triggers do not fire on the copy; only committed log entries are copied; a cancelled copy leaves no
 * file.
 */
class PgSnapshotTest {

    /** Every affinity, key shape and kind of object, with values that test exactness. */
    static final String SOURCE = """
            CREATE TABLE items(id INTEGER PRIMARY KEY, n INT, r REAL, t TEXT, b BLOB, x, d NUMERIC, day DATE,
              mixed INTEGER, big BIGINT);
            CREATE TABLE codes(code TEXT COLLATE NOCASE PRIMARY KEY, label VARCHAR(20)) WITHOUT ROWID;
            CREATE TABLE blobs(k BLOB PRIMARY KEY, v TEXT);
            CREATE TABLE pairs(a INTEGER, b TEXT COLLATE RTRIM, v, PRIMARY KEY (a, b));
            CREATE TABLE notes(body TEXT, at REAL);
            CREATE TABLE strict_t(k TEXT PRIMARY KEY, n INTEGER, any_v ANY) STRICT;
            CREATE UNIQUE INDEX items_t ON items(t);
            CREATE INDEX notes_at ON notes(at);
            CREATE VIEW item_texts AS SELECT id, t FROM items;
            CREATE VIEW short_texts AS SELECT * FROM item_texts WHERE length(t) < 5;
            CREATE TRIGGER items_touch AFTER INSERT ON items BEGIN UPDATE items SET n = n + 1000 WHERE id = NEW.id; END;
            INSERT INTO items VALUES(1, 9223372036854775807, -0.0, 'ünï ☃ 😀', x'00ff', -0.0, 1.5, '2024-01-31', 1,
              -9223372036854775808);
            INSERT INTO items VALUES(2, -1, 9e999, 'a' || char(0) || 'b', x'', 'text', 7, 1706659200, 2.5, 0);
            INSERT INTO items VALUES(3, NULL, 4.9406564584124654e-324, CAST(x'61ff62' AS TEXT), NULL, x'01', NULL,
              NULL, NULL, 42);
            INSERT INTO items(id, t, x) VALUES(9000000000, '', 1e20);
            INSERT INTO codes VALUES('ACME', 'Acme'), ('b"q\\', NULL);
            INSERT INTO blobs VALUES(x'00', 'zero'), (x'ffee', CAST(x'c0' AS TEXT));
            INSERT INTO pairs VALUES(1, 'a ', 1), (1, 'b', 'two'), (-5, '', x'');
            INSERT INTO notes(rowid, body, at) VALUES(5, 'five', 0.5), (9, NULL, NULL), (12, 'twelve', -1.0);
            INSERT INTO strict_t VALUES('k', 1, 2.5), ('l', NULL, 'x');
            PRAGMA user_version = 7;
            """;

    @TempDir
    Path dir;
    private static PostgresServer server;
    private static Connection pg;

    @BeforeAll
    static void start() throws IOException, SQLException {
        Requirements.requireProgram("sqlite3", "sqlite3");
        server = PostgresServer.start();
        pg = server.connect();
    }

    @AfterAll
    static void stop() throws SQLException {
        try {
            if (pg != null) {
                pg.close();
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    @BeforeEach
    void emptyHub() throws SQLException {
        PgHubFixture.reset(pg);
    }

    @Test
    void theSnapshotHoldsTheSameRowsDefinitionsAndSchemaNumber() throws SQLException {
        Path source = source();
        PgHubFixture.copy(source, pg);
        Path copy = dir.resolve("copy.db");
        List<long[]> heard = new ArrayList<>();
        long cookie = PgSnapshot.into(pg, "the hub", copy, (done, total) -> heard.add(new long[] {done, total}));

        assertEquals(1, cookie);
        assertEquals(PgHubFixture.rowsShownByShell(source), PgHubFixture.rowsShownByShell(copy));
        assertEquals(PgHubFixture.definitionsShownByShell(source), PgHubFixture.definitionsShownByShell(copy));
        assertEquals("7", SqliteShell.query(copy, "PRAGMA user_version;"));
        assertEquals("ok", SqliteShell.query(copy, "PRAGMA integrity_check;"));
        assertEquals(6, heard.size(), "one report per table");
        assertEquals(heard.get(5)[1], heard.get(5)[0], "the last report says all is copied");
    }

    @Test
    void onlyCommittedLogEntriesAreCopied() throws SQLException {
        PgHubFixture.copy(source(), pg);
        try (Statement s = pg.createStatement()) {
            s.execute("INSERT INTO _sm_log(tbl, pk, op, origin, ts) VALUES ('items', '[1]', 'U', NULL, 100),"
                    + " ('codes', '[\"acme\"]', 'D', 'node-a', 200)");
        }
        try (Connection writer = server.connect(); Statement w = writer.createStatement()) {
            writer.setAutoCommit(false);
            w.execute("INSERT INTO _sm_log(tbl, pk, op, origin, ts) VALUES ('items', '[2]', 'U', NULL, 300)");
            Path copy = dir.resolve("copy.db");
            PgSnapshot.into(pg, "the hub", copy, CloneProgress.NONE);
            writer.rollback();
            assertEquals("1|items|[1]|U||100|\n2|codes|[\"acme\"]|D|node-a|200|",
                    SqliteShell.query(copy, "SELECT seq, tbl, pk, op, origin, ts, cols FROM _sm_log ORDER BY seq;"));
        }
    }

    @Test
    void aCancelledCopyLeavesNoFile() throws SQLException {
        PgHubFixture.copy(source(), pg);
        Path copy = dir.resolve("copy.db");
        StoreException e = assertThrows(StoreException.class,
                () -> PgSnapshot.into(pg, "the hub", copy, (done, total) -> false));
        assertEquals("the first copy of the hub was cancelled", e.getMessage());
        assertFalse(Files.exists(copy));
        assertTrue(pg.getAutoCommit(), "the hub's connection is as it was");
    }

    private Path source() throws SQLException {
        Path source = dir.resolve("source.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + source); Statement s = c.createStatement()) {
            s.executeUpdate(SOURCE);
        }
        return source;
    }
}

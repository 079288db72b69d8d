package io.sharemirror.store.pg;

import io.sharemirror.share.PostgresServer;
import io.sharemirror.share.SqliteShell;
import io.sharemirror.store.Schema;
import io.sharemirror.store.Sql;
import io.sharemirror.store.TableInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * Tests on a PostgreSQL hub: one server per test class, the hub emptied before each test; a hub made afresh from an
 * SQLite database, and what the sqlite3 shell says of an SQLite file.
 */
abstract class PgHubFixture {

    static PostgresServer server;
    /** The hub's connection, auto-committing. */
    static Connection pg;

    @BeforeAll
    static void startServer() throws IOException, SQLException {
        server = PostgresServer.start();
        pg = server.connect();
    }

    @AfterAll
    static void stopServer() throws SQLException {
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

    /** An empty public schema with ShareMirror's own objects. */
    @BeforeEach
    void emptyHub() throws SQLException {
        try (Statement s = pg.createStatement()) {
            s.execute("DROP SCHEMA public CASCADE");
            s.execute("CREATE SCHEMA public");
        }
        PgCatalog.install(pg);
    }

    /**
     * Every table of an SQLite file with its rows, its other objects and its schema number, onto the hub; as an agent
     * writes, so the capture of direct writers logs none of it.
     */
    static void copy(Path sqliteFile, Connection pg) throws SQLException {
        try (Connection sqlite = DriverManager.getConnection("jdbc:sqlite:" + sqliteFile)) {
            boolean autoCommit = pg.getAutoCommit();
            pg.setAutoCommit(false); // the copy's agent setting lasts its transaction
            PgTablesCopy.copy(sqlite, pg);
            pg.commit();
            pg.setAutoCommit(autoCommit);
        }
    }

    /** Every row of every user table as the sqlite3 shell shows it: rowid, then typeof, quote and bytes of each value. */
    static String rowsShownByShell(Path file) throws SQLException {
        List<String> queries = new ArrayList<>();
        try (Connection sqlite = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            for (TableInfo t : Schema.read(sqlite, n -> !n.startsWith("_sm_")).values()) {
                String values = t.columns().stream().map(Sql::ident).map(c -> "typeof(" + c + ") || ' ' || quote(" + c
                        + ") || ' ' || hex(CAST(" + c + " AS BLOB))").collect(Collectors.joining(" || ' | ' || "));
                queries.add("SELECT " + Sql.literal(t.name() + ": ") + " || " + values + " FROM " + Sql.ident(t.name())
                        + " ORDER BY " + Sql.idents(t.keyColumns()) + ";");
            }
        }
        return SqliteShell.query(file, String.join("\n", queries));
    }

    /** The application's objects as the sqlite3 shell reads them from sqlite_master. */
    static String definitionsShownByShell(Path file) {
        return SqliteShell.query(file, "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE"
                + " '\\_sm\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY type, name;");
    }
}

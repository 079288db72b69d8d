package io.sharemirror.store;

import io.sharemirror.paths.PostgresAddress;
import io.sharemirror.share.PostgresServer;
import io.sharemirror.store.pg.PgConnector;
import io.sharemirror.store.pg.PgHubConnection;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

/**
 * A real PostgreSQL server per test class (registered as a static extension) as the hub of test desktops, for tests that run the same case on a file hub and on this
 * one: {@link #cluster} gives desktops on an emptied database, {@link #exec} and {@link #scalar} are a program using
 * the hub directly, as {@code psql} would.
 */
public final class PostgresHub extends PostgresServer.PerClass {

    /** Desktops whose hub is the server's database, emptied first (the first agent to connect makes it a hub). */
    public Cluster cluster(Path dir) throws SQLException, PostgresAddress.Invalid {
        exec("DROP SCHEMA public CASCADE", "CREATE SCHEMA public");
        return desktops(server(), dir);
    }

    /** Desktops whose hub is {@code server}'s database as it is, the password given as PGPASSWORD would be. */
    public static Cluster desktops(PostgresServer server, Path dir) throws PostgresAddress.Invalid {
        PostgresAddress address = PostgresAddress.parse("postgresql://" + server.user() + "@127.0.0.1:"
                + server.port() + "/" + server.database() + "?sslmode=disable");
        PgConnector connector = new PgConnector(Map.of("PGPASSWORD", server.password()), Duration.ofSeconds(5),
                Duration.ofSeconds(30));
        return Cluster.on(dir, (tables, mode) -> PgHubConnection.maker(address, tables, mode, connector));
    }

    public void exec(String... sql) throws SQLException {
        try (Connection c = server().connect(); Statement s = c.createStatement()) {
            for (String one : sql) {
                s.execute(one);
            }
        }
    }

    /** The first column of the first row, as text, or null. */
    public String scalar(String sql) throws SQLException {
        try (Connection c = server().connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            return r.next() ? r.getString(1) : null;
        }
    }
}

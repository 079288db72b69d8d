package io.sharemirror.store.pg;

import io.sharemirror.paths.PostgresAddress;
import io.sharemirror.share.PostgresServer;
import io.sharemirror.store.Cluster;
import io.sharemirror.store.DirectHubWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

/** The PostgreSQL hub of the engine's randomized tests: made from a schema, and written by a program of its own. */
final class PgHubs {

    private PgHubs() {
    }

    /** Desktops on the server's database, emptied and then holding what {@code ddl} makes (logged as nobody's write). */
    static Cluster cluster(PostgresServer server, Path root, String... ddl) throws SQLException, PostgresAddress.Invalid {
        Path made = root.resolve("schema.db");
        Cluster.run(made, ddl);
        try (Connection pg = server.connect(); Statement s = pg.createStatement()) {
            s.execute("DROP SCHEMA public CASCADE");
            s.execute("CREATE SCHEMA public");
            PgCatalog.install(pg);
            PgHubFixture.copy(made, pg);
        }
        return desktops(server, root);
    }

    /** Desktops on the server's database as it is. */
    static Cluster desktops(PostgresServer server, Path root) throws PostgresAddress.Invalid {
        PostgresAddress address = PostgresAddress.parse("postgresql://" + server.user() + "@127.0.0.1:"
                + server.port() + "/" + server.database() + "?sslmode=disable");
        PgConnector connector = new PgConnector(Map.of("PGPASSWORD", server.password()), Duration.ofSeconds(5),
                Duration.ofSeconds(30));
        return Cluster.on(root, (tables, mode) -> PgHubConnection.maker(address, tables, mode, connector));
    }

    /** A program writing the hub's tables in PostgreSQL's SQL; the rowid of a keyless table is its {@code _sm_rowid}. */
    static DirectHubWriter directWriter(PostgresServer server) {
        return new DirectHubWriter() {
            @Override
            public Connection begin() throws SQLException {
                Connection c = server.connect();
                try (Statement s = c.createStatement()) {
                    s.execute("BEGIN");
                }
                return c;
            }

            @Override
            public String rowidColumn() {
                return "_sm_rowid";
            }

            @Override
            public String jsonQuote(String column) {
                return "to_json(" + column + ")::text";
            }
        };
    }
}

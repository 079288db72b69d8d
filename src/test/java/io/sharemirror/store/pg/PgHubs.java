package io.sharemirror.store.pg;

import io.sharemirror.paths.PostgresAddress;
import io.sharemirror.share.PostgresServer;
import io.sharemirror.store.Cluster;
import io.sharemirror.store.DirectHubWriter;
import io.sharemirror.store.PostgresHub;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

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
        return PostgresHub.desktops(server, root);
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

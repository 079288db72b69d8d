package io.sharemirror.store.pg;

import io.sharemirror.share.PostgresServer;
import io.sharemirror.store.Cluster;
import io.sharemirror.store.ConvergenceTest;
import io.sharemirror.store.DirectHubWriter;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link ConvergenceTest}'s histories on a PostgreSQL hub, with the direct writer writing PostgreSQL's SQL. */
class PgConvergenceTest extends ConvergenceTest {

    private static PostgresServer server;

    @BeforeAll
    static void startServer() throws IOException {
        server = PostgresServer.start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected Cluster cluster(Path root, String... ddl) throws Exception {
        return PgHubs.cluster(server, root, ddl);
    }

    /** A case takes about twice a file hub's time here: 25 add about a minute to the suite. */
    @Override
    protected int ciCases() {
        return 25;
    }

    @Override
    protected DirectHubWriter directWriter(Cluster cluster) {
        return PgHubs.directWriter(server);
    }
}
